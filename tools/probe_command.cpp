// augment probe: what video files hold — the frames that decode, beside what their headers claim
// (which can be wrong), their rate, size and codec. One JSON object per line, or a table.
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "augment/core/error.hpp"
#include "augment/video/video_reader.hpp"
#include "cli_common.hpp"

namespace augment::cli {

namespace po = boost::program_options;

int probe_command(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  std::string format = "table";
  po::options_description options("options");
  options.add_options()("files", po::value(&files)->multitoken(), "video files")(
      "format", po::value(&format)->default_value("table"), "table or jsonl");
  po::positional_options_description positional;
  positional.add("files", -1);
  po::variables_map vm;
  po::options_description all(options);
  all.add_options()("help,h", "show this help");
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    if (vm.count("help")) {
      std::cout << "usage: augment probe VIDEO... [--format table|jsonl]\n\n" << all << "\n";
      return ok;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string(e.what()) + " (see `augment probe --help`)");
  }
  if (files.empty()) throw UsageError("give one or more video files (see `augment probe --help`)");
  if (format != "table" && format != "jsonl") throw UsageError("--format must be table or jsonl, got '" + format + "'");

  if (format == "table")
    std::cout << std::left << std::setw(10) << "decoded" << std::setw(10) << "header" << std::setw(9) << "fps"
              << std::setw(12) << "size" << std::setw(7) << "codec" << "file\n";
  int status = ok;
  for (const std::string& file : files) {
    try {
      const video::VideoInfo info = video::probe_video(file);
      if (format == "jsonl") {
        std::cout << nlohmann::json{{"path", file},          {"decoded_frames", info.decoded_frames},
                                    {"header_frames", info.header_frames}, {"fps", info.fps},
                                    {"width", info.width},   {"height", info.height},
                                    {"fourcc", info.fourcc}}
                         .dump()
                  << "\n";
      } else {
        std::cout << std::left << std::setw(10) << info.decoded_frames << std::setw(10)
                  << (info.header_frames < 0 ? std::string("-") : std::to_string(info.header_frames)) << std::setw(9)
                  << std::setprecision(4) << info.fps << std::setw(12)
                  << (std::to_string(info.width) + "x" + std::to_string(info.height)) << std::setw(7)
                  << (info.fourcc.empty() ? "-" : info.fourcc) << file << "\n";
      }
    } catch (const DataError& e) {
      print_error("probe", e.what());
      status = data_failed;
    }
  }
  return status;
}

}  // namespace augment::cli
