#pragma once
// What every subcommand shares: the registry of linked modules, exit codes, option parsing
// with one-line errors, and printing.
#include <boost/program_options.hpp>

#include <string>
#include <vector>

#include "augment/core/registry.hpp"

namespace augment::cli {

/// Exit statuses, documented in the README.
enum Exit : int {
  ok = 0,
  data_failed = 1,  // some inputs were bad (reported one per line) or the input was unusable
  usage = 2,        // bad option, bad value, bad pipeline spec
  internal = 3,     // a bug: an exception nobody expected
};

/// The transforms and codecs of every module this binary links; with a text codec that replaces
/// invalid UTF-8 by U+FFFD when `repair_utf8` (--repair-utf8).
Registry make_cli_registry(bool repair_utf8);
/// make_cli_registry(false), made once.
const Registry& registry();
/// make_cli_registry(true), made once.
const Registry& registry_repairing_utf8();

/// Parses `args` against `options` (and positional names, if any). Prints help and returns
/// false when --help is given; throws UsageError with one clear line on a bad option.
bool parse(const std::string& command, const std::string& synopsis,
           const boost::program_options::options_description& options,
           const std::vector<std::string>& args, boost::program_options::variables_map& vm);

/// Throws UsageError when `output` (a file the command writes) is an existing folder: the
/// rename at the end would fail only after all the work.
void refuse_folder_output(const std::string& output, const std::string& option = "--output");

/// "augment CMD: message" on stderr.
void print_error(const std::string& command, const std::string& message);

int list_command(const std::vector<std::string>& args);
int fit_command(const std::vector<std::string>& args);
int run_command(const std::vector<std::string>& args);
int embed_command(const std::vector<std::string>& args);
int merge_manifests_command(const std::vector<std::string>& args);
int train_command(const std::vector<std::string>& args);
int predict_command(const std::vector<std::string>& args);
int evaluate_command(const std::vector<std::string>& args);
int preview_command(const std::vector<std::string>& args);
int probe_command(const std::vector<std::string>& args);

}  // namespace augment::cli
