#pragma once
// The options fit and run share for feature tables.
#include <boost/program_options.hpp>

#include "augment/features/feature_table.hpp"

namespace augment::cli {

struct TableArgs {
  std::string pipeline, input, output, columns;
  std::string root;  // datasets of files: what sample keys are relative to
  int jobs = 0;
  bool fail_fast = false, quiet = false;
};

/// Adds --pipeline, --input, --output, --root, --columns, --key-column, --jobs, --fail-fast, --quiet.
void add_table_options(boost::program_options::options_description& options, TableArgs& args,
                       features::TableOptions& table);
/// Checks them and fills `table` (columns split on commas, jobs, error printing).
void finish_table_options(const std::string& command, TableArgs& args, features::TableOptions& table);
/// UsageError when --root is given for input that is not a dataset of files (`what` says what it is).
void refuse_root(const TableArgs& args, const std::string& what);
/// "features: 16 columns (x-box .. yegvx); passed through: lettr"
std::string describe_columns(const features::TableSummary& summary);

}  // namespace augment::cli
