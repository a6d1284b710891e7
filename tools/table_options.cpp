#include "table_options.hpp"

#include <iostream>
#include <sstream>

#include "augment/core/error.hpp"
#include "cli_common.hpp"

namespace augment::cli {
namespace po = boost::program_options;

void add_table_options(po::options_description& options, TableArgs& args, features::TableOptions& table) {
  options.add_options()
      ("pipeline", po::value(&args.pipeline)->required(), "pipeline spec (JSON)")
      ("input", po::value(&args.input)->required(), "input: a CSV feature table; a folder or manifest .csv of files; text records (.jsonl, .csv with a text column, .txt with --lines)")
      ("output", po::value(&args.output)->required(), "output file (tables) or folder (datasets); files are written under a temporary name, then renamed")
      ("root", po::value(&args.root), "datasets of files: the folder sample keys (draws, output names) are relative to; "
                                      "default: the input folder, or the manifest's folder. A manifest's paths may go "
                                      "up (../images/x.jpg) but not out of it")
      ("columns", po::value(&args.columns), "feature columns, comma-separated (default: the spec's \"columns\", "
                                            "else the columns numeric in the first row)")
      ("key-column", po::value(&table.key_column), "column whose value keys each row's random numbers "
                                                   "(default: the row number)")
      ("jobs,j", po::value(&args.jobs)->default_value(0), "worker threads (0: all cores)")
      ("fail-fast", po::bool_switch(&args.fail_fast), "stop at the first bad row or file (default: report it and go on)")
      ("quiet,q", po::bool_switch(&args.quiet), "no summary line");
}

void finish_table_options(const std::string& command, TableArgs& args, features::TableOptions& table) {
  if (args.jobs < 0) throw UsageError("--jobs must be >= 0, got " + std::to_string(args.jobs));
  table.jobs = static_cast<std::size_t>(args.jobs);
  table.fail_fast = args.fail_fast;
  std::stringstream list(args.columns);
  for (std::string name; std::getline(list, name, ',');)
    if (!name.empty()) table.columns.push_back(name);
  table.on_error = [command](const std::string& message) { print_error(command, message); };
}

void refuse_root(const TableArgs& args, const std::string& what) {
  if (!args.root.empty()) throw UsageError("--root is for datasets of files (a folder or a manifest); " + what);
}

std::string describe_columns(const features::TableSummary& s) {
  std::string out = "features: " + std::to_string(s.feature_columns.size()) + " columns";
  if (!s.feature_columns.empty()) out += " (" + s.feature_columns.front() + " .. " + s.feature_columns.back() + ")";
  if (!s.passthrough_columns.empty()) {
    out += "; passed through:";
    for (const auto& c : s.passthrough_columns) out += " " + c;
  }
  return out;
}

}  // namespace augment::cli
