#pragma once
// Feature tables: CSV files with a header whose numeric columns are the features and whose
// other columns (ids, labels) pass through untouched. fit_table learns a pipeline's fitted
// stages from one; run_table writes N transformed copies of every row, in parallel, with the
// same bytes whatever the number of threads.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "augment/core/pipeline.hpp"

namespace augment::features {

struct TableOptions {
  /// Feature columns by name. Empty: the pipeline spec's "columns", else every column whose
  /// value in the first data row is a number.
  std::vector<std::string> columns;
  /// Column whose value keys each row's random numbers; empty: the data row number (1-based),
  /// so reordering the file changes the draws unless a key column is named.
  std::string key_column;
  /// Worker threads; 0 uses every core.
  std::size_t jobs = 0;
  /// Stop at the first bad row instead of reporting it and going on.
  bool fail_fast = false;
  /// Receives one line per bad row ("FILE:LINE: reason"); rows in file order.
  std::function<void(const std::string&)> on_error;
};

struct RunOptions : TableOptions {
  std::uint64_t seed = 0;
  std::size_t copies = 1;
  /// When set, one JSON line per output row: {"key", "line", "copy", "record"} (replayable).
  std::filesystem::path params_output;
};

struct TableSummary {
  std::size_t rows_read = 0;    // data rows seen
  std::size_t rows_failed = 0;  // reported through on_error and left out
  std::size_t rows_written = 0;
  double seconds = 0;
  std::vector<std::string> feature_columns;
  std::vector<std::string> passthrough_columns;
};

/// Fits every fitted stage of `pipeline` on the table. Bad rows are reported and skipped.
TableSummary fit_table(Pipeline& pipeline, const std::filesystem::path& input, const TableOptions& options);

/// Transforms the table into `output` (written atomically). Throws UsageError for an unfitted
/// pipeline or one that does not take and give features, and DataError for an unusable input.
TableSummary run_table(const Pipeline& pipeline, const std::filesystem::path& input,
                       const std::filesystem::path& output, const RunOptions& options);

}  // namespace augment::features
