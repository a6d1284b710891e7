#include "augment/features/feature_table.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <memory>
#include <sstream>

#include "augment/core/atomic_file.hpp"
#include "augment/core/csv.hpp"
#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"
#include "augment/core/ordered_blocks.hpp"
#include "augment/core/paths.hpp"
#include "augment/features/feature_vector.hpp"

namespace augment::features {
namespace {

// Rows per block: fixed, so fitted state and outputs do not depend on the thread count.
constexpr std::size_t kBlockRows = 1024;

struct RawRow {
  std::size_t line = 0;
  std::size_t number = 0;  // 1-based data row
  std::vector<std::string> fields;
  std::string error;  // set when the CSV record itself is malformed
};

// A table being read: its header, which columns are features, and its rows in blocks.
class TableInput {
 public:
  TableInput(const std::filesystem::path& path, const std::vector<std::string>& requested,
             const std::string& key_column)
      : reader_(path) {
    const auto& header = reader_.header();
    if (!key_column.empty()) key_index_ = reader_.column_index(key_column);
    if (!requested.empty()) {
      for (const auto& name : requested) features_.push_back(reader_.column_index(name));
    } else {
      detect_features();
    }
    std::vector<bool> is_feature(header.size(), false);
    for (auto j : features_) is_feature[j] = true;
    for (std::size_t j = 0; j < header.size(); ++j)
      (is_feature[j] ? feature_names_ : passthrough_names_).push_back(header[j]);
  }

  const std::string& name() const { return reader_.name(); }
  const std::vector<std::string>& header() const { return reader_.header(); }
  const std::vector<std::size_t>& features() const { return features_; }
  const std::vector<std::string>& feature_names() const { return feature_names_; }
  const std::vector<std::string>& passthrough_names() const { return passthrough_names_; }

  /// Up to kBlockRows rows; false when the table is exhausted and the block is empty.
  bool read_block(std::vector<RawRow>& block) {
    block.clear();
    while (block.size() < kBlockRows) {
      RawRow row;
      if (!next(row)) break;
      block.push_back(std::move(row));
    }
    return !block.empty();
  }

  std::string key_of(const RawRow& row) const {
    return key_index_ ? row.fields[*key_index_] : std::to_string(row.number);
  }

  /// The feature values of a row; DataError "FILE:LINE: column 'x': ..." when one is unusable.
  FeatureVector parse(const RawRow& row) const {
    FeatureVector values(features_.size());
    for (std::size_t k = 0; k < features_.size(); ++k) {
      const std::string& text = row.fields[features_[k]];
      const auto value = parse_number(text);
      const std::string where = name() + ":" + std::to_string(row.line) + ": column '" +
                                header()[features_[k]] + "': ";
      if (!value) throw DataError(where + (text.empty() ? "empty value" : "not a number: '" + text + "'"));
      if (!std::isfinite(*value)) throw DataError(where + "NaN and infinity are not accepted, got '" + text + "'");
      values[k] = *value;
    }
    return values;
  }

 private:
  bool next(RawRow& row) {
    if (!pending_.empty()) {
      row = std::move(pending_.front());
      pending_.pop_front();
      return true;
    }
    return read_row(row);
  }

  bool read_row(RawRow& row) {
    CsvRow record;
    try {
      if (!reader_.next(record)) return false;
      row.fields = std::move(record.fields);
      row.line = record.line;
    } catch (const DataError& e) {
      row.error = e.what();
    }
    row.number = ++rows_seen_;
    return true;
  }

  // Feature columns: those whose value in the first well-formed row is a finite number. Rows
  // are read straight from the file (not through next(), which would hand back the rows kept
  // in pending_ and never get past a malformed first row).
  void detect_features() {
    bool well_formed = false;
    for (RawRow row; read_row(row); row = RawRow{}) {
      pending_.push_back(row);
      if (!row.error.empty()) continue;
      well_formed = true;
      for (std::size_t j = 0; j < row.fields.size(); ++j)
        if (const auto v = parse_number(row.fields[j]); v && std::isfinite(*v) && j != key_index_)
          features_.push_back(j);
      break;
    }
    // With no well-formed row at all, every row is reported as it is read.
    if (features_.empty() && well_formed)
      throw DataError(name() + ": no numeric column in the first data row; name the feature columns");
  }

  CsvReader reader_;
  std::optional<std::size_t> key_index_;
  std::vector<std::size_t> features_;
  std::vector<std::string> feature_names_, passthrough_names_;
  std::deque<RawRow> pending_;  // rows read ahead while detecting the feature columns
  std::size_t rows_seen_ = 0;
};

std::vector<std::string> requested_columns(const Pipeline& pipeline, const TableOptions& options) {
  if (!options.columns.empty()) return options.columns;
  const auto& meta = pipeline.metadata();
  if (!meta.contains("columns")) return {};
  if (!meta["columns"].is_array())
    throw SpecError("pipeline: \"columns\" must be a list of column names, got " + meta["columns"].dump());
  std::vector<std::string> out;
  for (const auto& c : meta["columns"]) {
    if (!c.is_string())
      throw SpecError("pipeline: \"columns\" must be a list of column names, got " + meta["columns"].dump());
    out.push_back(c.get<std::string>());
  }
  return out;
}

void check_features_pipeline(const Pipeline& pipeline) {
  if (pipeline.input_kind() != Kind::features || pipeline.output_kind() != Kind::features)
    throw UsageError("pipeline takes " + std::string(to_string(pipeline.input_kind())) + " and gives " +
                     std::string(to_string(pipeline.output_kind())) + "; a feature table needs features in and out");
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A bad row: reported and skipped, or with fail_fast the end of the run (reported once, by
// whoever catches the exception).
void report(const TableOptions& options, const std::string& message) {
  if (options.fail_fast) throw DataError(message);
  if (options.on_error) options.on_error(message);
}

TableSummary summary_of(const TableInput& input) {
  TableSummary s;
  s.feature_columns = input.feature_names();
  s.passthrough_columns = input.passthrough_names();
  return s;
}

// What one block of rows becomes: CSV text, params lines, and the bad rows in order.
struct BlockResult {
  std::string csv;
  std::string params;
  std::vector<std::string> errors;
  std::size_t rows = 0, written = 0;
};

}  // namespace

TableSummary fit_table(Pipeline& pipeline, const std::filesystem::path& input, const TableOptions& options) {
  check_features_pipeline(pipeline);
  const auto start = std::chrono::steady_clock::now();
  const auto columns = requested_columns(pipeline, options);
  TableSummary summary = summary_of(TableInput(input, columns, options.key_column));
  bool first_pass = true;  // rows are counted and bad ones reported once, not once per fitted stage
  with_workers(options.jobs, [&] {
    pipeline.fit([&]() -> SampleBlockReader {
      auto table = std::make_shared<TableInput>(input, columns, options.key_column);
      const bool counting = first_pass;
      first_pass = false;
      return [&, table, counting](std::vector<Sample>& block) {
        block.clear();
        std::vector<RawRow> rows;
        if (!table->read_block(rows)) return false;
        for (const RawRow& row : rows) {
          if (counting) ++summary.rows_read;
          try {
            if (!row.error.empty()) throw DataError(row.error);
            block.push_back(make_sample(table->parse(row)));
          } catch (const DataError& e) {
            if (counting) {
              ++summary.rows_failed;
              report(options, e.what());
            }
          }
        }
        return true;
      };
    });
  });
  summary.seconds = seconds_since(start);
  return summary;
}

namespace {

// A table the tool writes must be one it can read back: a value a stage made infinite or NaN
// (a sigma of 1e300, a value far outside a fitted range) fails its row, naming the row, the
// column and the first top-level stage after which some value was not finite (found by
// replaying the row's record one stage more at a time).
void check_finite_output(const Pipeline& pipeline, const TableInput& table, const RawRow& row,
                         const FeatureVector& input, const FeatureVector& output, const nlohmann::json& record,
                         std::size_t copy, std::size_t copies) {
  auto first_bad = [](const FeatureVector& v) {
    return static_cast<std::size_t>(std::find_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }) - v.begin());
  };
  std::size_t column = first_bad(output);
  if (column == output.size()) return;
  double value = output[column];
  std::string stage = "the pipeline";
  if (record.is_array()) {
    for (std::size_t i = 0; i < record.size(); ++i) {
      nlohmann::json prefix = record;
      for (std::size_t j = i + 1; j < prefix.size(); ++j) prefix[j] = nullptr;  // null: a stage that did not run
      Sample partial = make_sample(input);
      pipeline.replay(partial, prefix);
      const FeatureVector& values = values_of(partial);
      if (const std::size_t k = first_bad(values); k < values.size()) {
        column = k;
        value = values[k];
        const auto& r = record[i];
        stage = "stage " + std::to_string(i) + (r.is_object() && r.contains("op") ? " (" + r["op"].get<std::string>() + ")" : "");
        break;
      }
    }
  }
  const std::string text = std::isnan(value) ? "NaN" : value > 0 ? "inf" : "-inf";
  throw DataError(table.name() + ":" + std::to_string(row.line) + ": column '" + table.header()[table.features()[column]] +
                  "'" + (copies > 1 ? " (copy " + std::to_string(copy) + ")" : "") + ": " + stage + " made it " + text +
                  "; only finite values are written");
}

}  // namespace

TableSummary run_table(const Pipeline& pipeline, const std::filesystem::path& input,
                       const std::filesystem::path& output, const RunOptions& options) {
  check_features_pipeline(pipeline);
  if (const auto unfitted = pipeline.unfitted_stages(); !unfitted.empty())
    throw UsageError(unfitted.front() + ": not fitted; run `augment fit` first or give its state");
  if (options.copies == 0) throw UsageError("copies must be at least 1");
  refuse_same_file(input, output, "the output would overwrite the input");
  if (!options.params_output.empty()) {
    refuse_same_file(input, options.params_output, "the params output would overwrite the input");
    refuse_same_file(output, options.params_output, "the params output would overwrite the table output");
  }

  const auto start = std::chrono::steady_clock::now();
  TableInput table(input, requested_columns(pipeline, options), options.key_column);
  TableSummary summary = summary_of(table);

  std::vector<std::string> header = table.header();
  if (options.copies > 1) {
    for (const auto& h : header)
      if (h == "copy") throw DataError(table.name() + ": already has a column 'copy', which --copies > 1 adds");
    header.push_back("copy");
  }
  AtomicOutputFile out(output);
  std::optional<AtomicOutputFile> params_out;
  if (!options.params_output.empty()) params_out.emplace(options.params_output);
  CsvWriter(out.stream()).write_row(header);

  using Block = std::vector<RawRow>;
  run_ordered_blocks<Block, BlockResult>(
      options.jobs,
      [&]() -> std::optional<Block> {
        Block block;
        if (!table.read_block(block)) return std::nullopt;
        return block;
      },
      [&](std::vector<RawRow>& rows) {
        BlockResult result;
        std::ostringstream csv, params;
        std::vector<std::string> fields;
        for (const RawRow& row : rows) {
          ++result.rows;
          try {
            if (!row.error.empty()) throw DataError(row.error);
            const FeatureVector values = table.parse(row);
            const std::string key = table.key_of(row);
            std::ostringstream row_csv, row_params;  // a row is written whole or not at all
            CsvWriter row_writer(row_csv);
            for (std::size_t copy = 0; copy < options.copies; ++copy) {
              Sample sample = make_sample(values);
              const nlohmann::json record = pipeline.run(sample, Rng::derive(options.seed, key, copy, 0));
              const FeatureVector& result_values = values_of(sample);
              if (result_values.size() != values.size())
                throw UsageError("the pipeline changed the number of features");
              check_finite_output(pipeline, table, row, values, result_values, record, copy, options.copies);
              fields = row.fields;
              for (std::size_t k = 0; k < values.size(); ++k)
                fields[table.features()[k]] = format_number(result_values[k]);
              if (options.copies > 1) fields.push_back(std::to_string(copy));
              row_writer.write_row(fields);
              if (params_out)
                row_params << nlohmann::json{{"key", key}, {"line", row.line}, {"copy", copy}, {"record", record}}.dump()
                           << '\n';
            }
            csv << row_csv.str();
            params << row_params.str();
            result.written += options.copies;
          } catch (const DataError& e) {
            result.errors.emplace_back(e.what());
          } catch (const UsageError& e) {
            result.errors.push_back(table.name() + ":" + std::to_string(row.line) + ": " + e.what());
          }
        }
        result.csv = csv.str();
        result.params = params.str();
        return result;
      },
      [&](BlockResult& result) {
        summary.rows_read += result.rows;
        summary.rows_written += result.written;
        summary.rows_failed += result.errors.size();
        for (const auto& e : result.errors) report(options, e);
        out.stream() << result.csv;
        if (params_out) params_out->stream() << result.params;
        // A full disk stops the run now, naming the output, not after the whole input is read.
        if (const int error = out.write_error()) throw_write_error(output, error);
        if (params_out)
          if (const int error = params_out->write_error()) throw_write_error(options.params_output, error);
      });
  out.commit();
  if (params_out) params_out->commit();
  summary.seconds = seconds_since(start);
  return summary;
}

}  // namespace augment::features
