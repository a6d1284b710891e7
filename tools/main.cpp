// The augment command line: one subcommand per file, dispatched here.
#include <filesystem>
#include <iostream>
#include <new>
#include <map>
#include <string>
#include <vector>

#include "augment/core/error.hpp"
#include "augment/core/limits.hpp"
#include "augment/core/version.hpp"
#include "cli_common.hpp"
#include "interrupt_signals.hpp"

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
      {"predict", {augment::cli::predict_command, "a trained checkpoint's class probabilities and labels for data"}},
      {"evaluate", {augment::cli::evaluate_command, "a trained checkpoint's loss and accuracy on labelled data"}},
      {"probe", {augment::cli::probe_command, "what video files hold: frames that decode, against what headers claim"}},
      {"merge-manifests", {augment::cli::merge_manifests_command, "merge the manifests of a sharded run"}},
  };
  return all;
}

void usage(std::ostream& out) {
  out << "usage: augment <command> [options]   (augment <command> --help for its options)\n\ncommands:\n";
  for (const auto& [name, entry] : commands()) out << "  " << name << std::string(name.size() < 17 ? 17 - name.size() : 1, ' ') << entry.second << "\n";
  out << "\nevery command also takes --limit NAME=VALUE (repeatable) to raise a resource limit:\n  ";
  const augment::Limits defaults;
  out << "image_pixels=" << defaults.image_pixels << " record_bytes=" << defaults.record_bytes
      << " json_depth=" << defaults.json_depth << "\n  allocation_bytes=" << defaults.allocation_bytes
      << " audio_samples=" << defaults.audio_samples << "\n";
}

// "PATH: reason" from a file-system error (whose own what() repeats the call's name).
std::string describe(const std::filesystem::filesystem_error& e) {
  std::string where = e.path1().string();
  if (!e.path2().empty()) where += " -> " + e.path2().string();
  return (where.empty() ? std::string("file system") : where) + ": " + e.code().message();
}

// Takes every `--limit NAME=VALUE` (or `--limit=NAME=VALUE`) out of `args`, wherever it stands,
// and sets the process-wide limits from them.
void take_limit_options(std::vector<std::string>& args) {
  augment::Limits limits = augment::limits();
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--limit") {
      if (i + 1 == args.size()) throw augment::UsageError("--limit needs NAME=VALUE");
      augment::apply_limit(limits, args[++i]);
    } else if (args[i].starts_with("--limit=")) {
      augment::apply_limit(limits, std::string_view(args[i]).substr(8));
    } else {
      rest.push_back(args[i]);
    }
  }
  augment::set_limits(limits);
  args = std::move(rest);
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
    std::cout << "augment " << augment::version << "\n";
    return augment::cli::ok;
  }
  const auto it = commands().find(name);
  if (it == commands().end()) {
    std::cerr << "augment: unknown command '" << name << "' (see `augment --help`)\n";
    return augment::cli::usage;
  }
  args.erase(args.begin());
  augment::cli::stop_at_once_on_interrupt(name.c_str());
  try {
    take_limit_options(args);
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
  } catch (const std::bad_alloc&) {
    // A size that no limit caught: say so plainly rather than as a bug's status.
    augment::cli::print_error(name, "out of memory (a file or parameter asked for more than this machine has; "
                                    "see --limit in `augment --help`)");
    return augment::cli::data_failed;
  } catch (const std::filesystem::filesystem_error& e) {
    augment::cli::print_error(name, describe(e));
    return augment::cli::data_failed;
  } catch (const std::exception& e) {
    augment::cli::print_error(name, std::string("internal error: ") + e.what());
    return augment::cli::internal;
  }
}
