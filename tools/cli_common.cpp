#include "cli_common.hpp"

#include <filesystem>
#include <iostream>

#include "augment/audio/register_transforms.hpp"
#include "augment/core/error.hpp"
#include "augment/embed/register_transforms.hpp"
#include "augment/features/register_transforms.hpp"
#include "augment/image/register_transforms.hpp"
#include "augment/text/register_transforms.hpp"
#include "augment/text/text_codec.hpp"
#include "augment/video/register_transforms.hpp"

namespace augment::cli {

namespace po = boost::program_options;

Registry make_cli_registry(bool repair_utf8) {
  Registry r;
  features::register_transforms(r);
  image::register_transforms(r);
  audio::register_transforms(r);
  text::register_transforms(r);
  embed::register_transforms(r);
  video::register_transforms(r);  // after image: it lifts the image ops to frames
  if (repair_utf8) r.replace_codec(std::make_shared<text::TextCodec>(text::InvalidUtf8::repair));
  return r;
}

const Registry& registry() {
  static const Registry all = make_cli_registry(false);
  return all;
}

const Registry& registry_repairing_utf8() {
  static const Registry all = make_cli_registry(true);
  return all;
}

bool parse(const std::string& command, const std::string& synopsis, const po::options_description& options,
           const std::vector<std::string>& args, po::variables_map& vm) {
  po::options_description all(options);
  all.add_options()("help,h", "show this help");
  try {
    po::store(po::command_line_parser(args).options(all).run(), vm);
    if (vm.count("help")) {
      std::cout << "usage: augment " << command << " " << synopsis << "\n\n" << all << "\n";
      return false;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string(e.what()) + " (see `augment " + command + " --help`)");
  }
  return true;
}

void refuse_folder_output(const std::string& output, const std::string& option) {
  std::error_code ec;
  if (!output.empty() && std::filesystem::is_directory(output, ec))
    throw UsageError(output + ": is a folder; " + option + " here takes a file name");
}

void print_error(const std::string& command, const std::string& message) {
  std::cerr << "augment " << command << ": " << message << "\n";
}

}  // namespace augment::cli
