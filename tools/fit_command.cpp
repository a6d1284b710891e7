// augment fit: learn the fitted stages of a pipeline from a table; write the fitted spec.
#include <iomanip>
#include <iostream>

#include "augment/core/paths.hpp"
#include "augment/core/pipeline.hpp"
#include "cli_common.hpp"
#include "table_options.hpp"

namespace augment::cli {
namespace po = boost::program_options;

int fit_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  TableArgs table_args;
  features::TableOptions table;
  add_table_options(options, table_args, table);
  po::variables_map vm;
  if (!parse("fit", "--pipeline P.json --input DATA.csv --output FITTED.json [options]", options, args, vm)) return ok;
  finish_table_options("fit", table_args, table);

  refuse_same_file(table_args.input, table_args.output, "the output would overwrite the input");
  Pipeline pipeline = Pipeline::load(table_args.pipeline, registry());
  const features::TableSummary summary = features::fit_table(pipeline, table_args.input, table);
  pipeline.save(table_args.output);
  if (!table_args.quiet)
    std::cerr << "augment fit: " << summary.rows_read << " rows read, " << summary.rows_failed << " bad; "
              << describe_columns(summary) << "; wrote " << table_args.output << " in " << std::fixed
              << std::setprecision(2) << summary.seconds << " s\n";
  return summary.rows_failed > 0 ? data_failed : ok;
}

}  // namespace augment::cli
