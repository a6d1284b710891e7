// The augment command line: one subcommand per file, dispatched here.
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "augment/core/error.hpp"
#include "cli_common.hpp"

namespace {

using Command = int (*)(const std::vector<std::string>&);

const std::map<std::string, std::pair<Command, const char*>>& commands() {
  static const std::map<std::string, std::pair<Command, const char*>> all = {
      {"list", {augment::cli::list_command, "the transform catalogue"}},
      {"fit", {augment::cli::fit_command, "learn a pipeline's fitted stages from data"}},
      {"preview", {augment::cli::preview_command, "a picture of an image, audio or video and augmented variants of it"}},
      {"run", {augment::cli::run_command, "transform and augment a feature table or a dataset of files"}},
      {"embed", {augment::cli::embed_command, "train word vectors, query them, score them on analogies"}},
      {"train", {augment::cli::train_command, "train a network as a JSON config describes"}},
      {"probe", {augment::cli::probe_command, "what video files hold: frames that decode, against what headers claim"}},
      {"merge-manifests", {augment::cli::merge_manifests_command, "merge the manifests of a sharded run"}},
  };
  return all;
}

void usage(std::ostream& out) {
  out << "usage: augment <command> [options]   (augment <command> --help for its options)\n\ncommands:\n";
  for (const auto& [name, entry] : commands()) out << "  " << name << std::string(name.size() < 17 ? 17 - name.size() : 1, ' ') << entry.second << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    usage(std::cerr);
    return augment::cli::usage;
  }
  const std::string name = args.front();
  if (name == "--help" || name == "-h" || name == "help") {
    usage(std::cout);
    return augment::cli::ok;
  }
  if (name == "--version") {
    std::cout << "augment " << AUGMENT_VERSION << "\n";
    return augment::cli::ok;
  }
  const auto it = commands().find(name);
  if (it == commands().end()) {
    std::cerr << "augment: unknown command '" << name << "' (see `augment --help`)\n";
    return augment::cli::usage;
  }
  args.erase(args.begin());
  try {
    return it->second.first(args);
  } catch (const augment::UsageError& e) {
    augment::cli::print_error(name, e.what());
    return augment::cli::usage;
  } catch (const augment::SpecError& e) {
    augment::cli::print_error(name, e.what());
    return augment::cli::usage;
  } catch (const augment::DataError& e) {
    augment::cli::print_error(name, e.what());
    return augment::cli::data_failed;
  } catch (const std::exception& e) {
    augment::cli::print_error(name, std::string("internal error: ") + e.what());
    return augment::cli::internal;
  }
}
