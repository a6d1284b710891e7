#pragma once
// augment fit/run on records of text: lines of a .txt, a text column of a CSV, a text field of
// JSON Lines (augment/text/text_records.hpp), rather than one file per sample.
#include <boost/program_options.hpp>

#include <string>

#include "augment/core/pipeline.hpp"
#include "augment/features/feature_table.hpp"
#include "table_options.hpp"

namespace augment::cli {

struct TextArgs {
  bool lines = false, repair_utf8 = false;
  std::string text_column, language, label_column;
};

/// Adds --lines, --text-column, --language, --label-column (run only, with `for_run`), --repair-utf8.
void add_text_options(boost::program_options::options_description& options, TextArgs& args, bool for_run);

/// The registry to load pipelines with: --repair-utf8 swaps the text codec.
const Registry& registry_for(const TextArgs& args);

/// Whether `pipeline` runs over records of text in `input` rather than over files: a .jsonl
/// or .ndjson file, a .txt with --lines, a CSV with --text-column or without a `path` column
/// (with one it is a manifest of files). UsageError for a lone .txt without --lines and for
/// text options given to a pipeline that does not take text.
bool is_text_records(const Pipeline& pipeline, const std::string& input, const TextArgs& args);

int fit_text_records_mode(Pipeline& pipeline, const TableArgs& table_args, const features::TableOptions& table,
                          const TextArgs& text);
int run_text_records_mode(const Pipeline& pipeline, const TableArgs& table_args, const features::RunOptions& run,
                          const TextArgs& text);

}  // namespace augment::cli
