// augment run: transform and augment a table into N copies of every row.
#include <iomanip>
#include <iostream>

#include "augment/core/error.hpp"
#include "augment/core/pipeline.hpp"
#include "cli_common.hpp"
#include "table_options.hpp"

namespace augment::cli {
namespace po = boost::program_options;

int run_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  TableArgs table_args;
  features::RunOptions run;
  int copies = 1;
  std::string params;
  add_table_options(options, table_args, run);
  options.add_options()
      ("copies,n", po::value(&copies)->default_value(1), "copies of every row (a 'copy' column is added when > 1)")
      ("seed,s", po::value(&run.seed)->default_value(0), "seed; with the row key and copy index it fixes every draw")
      ("params", po::value(&params), "also write each output row's drawn params as JSON lines (replayable)");
  po::variables_map vm;
  if (!parse("run", "--pipeline P.json --input DATA.csv --output OUT.csv [options]", options, args, vm)) return ok;
  finish_table_options("run", table_args, run);
  if (copies < 1) throw UsageError("--copies must be >= 1, got " + std::to_string(copies));
  run.copies = static_cast<std::size_t>(copies);
  run.params_output = params;

  const Pipeline pipeline = Pipeline::load(table_args.pipeline, registry());
  const features::TableSummary s = features::run_table(pipeline, table_args.input, table_args.output, run);
  if (!table_args.quiet)
    std::cerr << "augment run: " << s.rows_read << " rows read, " << s.rows_written << " written, " << s.rows_failed
              << " failed; " << describe_columns(s) << "; " << std::fixed << std::setprecision(2) << s.seconds
              << " s (" << std::setprecision(0) << (s.seconds > 0 ? static_cast<double>(s.rows_written) / s.seconds : 0.0)
              << " rows/s) -> " << table_args.output << "\n";
  return s.rows_failed > 0 ? data_failed : ok;
}

}  // namespace augment::cli
