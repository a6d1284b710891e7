// augment fit: learn the fitted stages of a pipeline from a table, or from a dataset of files for
// pipelines that take images, audio or text; write the fitted spec.
#include <iomanip>
#include <iostream>

#include "augment/core/paths.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/runner/fit_dataset.hpp"
#include "cli_common.hpp"
#include "table_options.hpp"
#include "text_records_mode.hpp"

namespace augment::cli {
namespace po = boost::program_options;

int fit_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  TableArgs table_args;
  features::TableOptions table;
  add_table_options(options, table_args, table);
  TextArgs text;
  add_text_options(options, text, false);
  po::variables_map vm;
  if (!parse("fit", "--pipeline P.json --input DATA.csv|DIR|MANIFEST.csv|TEXTS.jsonl|LINES.txt --output FITTED.json [options]", options,
             args, vm))
    return ok;
  finish_table_options("fit", table_args, table);

  refuse_same_file(table_args.input, table_args.output, "the output would overwrite the input");
  refuse_folder_output(table_args.output);
  Pipeline pipeline = Pipeline::load(table_args.pipeline, registry_for(text));
  if (is_text_records(pipeline, table_args.input, text)) {
    refuse_root(table_args, table_args.input + " holds records of text");
    return fit_text_records_mode(pipeline, table_args, table, text);
  }
  if (pipeline.input_kind() != Kind::features) {
    // A dataset of files: a folder, or a manifest naming them.
    runner::DatasetFitOptions fit_options;
    fit_options.fail_fast = table_args.fail_fast;
    fit_options.root = table_args.root;
    fit_options.report = [](const std::string& message) { print_error("fit", message); };
    const runner::DatasetFitSummary summary = runner::fit_dataset(pipeline, table_args.input, registry_for(text), fit_options);
    pipeline.save(table_args.output);
    if (!table_args.quiet && summary.passes == 0)
      std::cerr << "augment fit: the pipeline has no stage to fit; nothing read, wrote " << table_args.output << "\n";
    else if (!table_args.quiet)
      std::cerr << "augment fit: " << summary.sources << " sources, " << summary.failed << " failed; wrote "
                << table_args.output << " in " << std::fixed << std::setprecision(2) << summary.seconds << " s\n";
    return summary.failed > 0 ? data_failed : ok;
  }
  refuse_root(table_args, "this pipeline takes a feature table");
  const features::TableSummary summary = features::fit_table(pipeline, table_args.input, table);
  pipeline.save(table_args.output);
  if (!table_args.quiet)
    std::cerr << "augment fit: " << summary.rows_read << " rows read, " << summary.rows_failed << " bad; "
              << describe_columns(summary) << "; wrote " << table_args.output << " in " << std::fixed
              << std::setprecision(2) << summary.seconds << " s\n";
  return summary.rows_failed > 0 ? data_failed : ok;
}

}  // namespace augment::cli
