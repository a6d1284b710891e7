#include "augment/text/text_records.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <sstream>

#include "augment/core/atomic_file.hpp"
#include "augment/core/csv.hpp"
#include "augment/core/error.hpp"
#include "augment/core/ordered_blocks.hpp"
#include "augment/core/paths.hpp"
#include "augment/features/feature_vector.hpp"
#include "augment/features/svmlight_codec.hpp"
#include "text_record_reader.hpp"

namespace augment::text {
namespace {

using detail::TextRecord;
using detail::TextRecordReader;

// Records per block: fixed, so fitted state and outputs do not depend on the thread count.
constexpr std::size_t kBlockRecords = 512;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void check_takes_text(const Pipeline& pipeline) {
  if (pipeline.input_kind() != Kind::text)
    throw UsageError("records of text need a pipeline that takes text; this one takes " +
                     std::string(to_string(pipeline.input_kind())));
}

// A bad record: reported and skipped, or with fail_fast the end of the run.
void report(const TextRecordOptions& options, const std::string& message) {
  if (options.fail_fast) throw DataError(message);
  if (options.on_error) options.on_error(message);
}

// Writes one output record in the run's output format.
class RecordWriter {
 public:
  RecordWriter(const TextRunOptions& options, Kind output_kind, const TextRecordReader& reader)
      : options_(options), features_(output_kind == Kind::features) {
    if (features_ && !options.label_column.empty()) {
      if (options.format == RecordFormat::lines)
        throw UsageError("a label column needs CSV or JSON Lines records; lines have no columns");
      if (options.format == RecordFormat::csv) label_index_ = reader.find_column(options.label_column);
      if (options.format == RecordFormat::csv && !label_index_)
        throw DataError(reader.name() + ": no column '" + options.label_column + "' for the labels");
    }
    if (options.format == RecordFormat::csv && !features_) {
      text_index_ = *reader.find_column(options.text_column);
      header_ = reader.header();
      if (options.copies > 1) {
        if (reader.find_column("copy"))
          throw DataError(reader.name() + ": already has a column 'copy', which copies > 1 adds");
        header_.push_back("copy");
      }
    }
  }

  /// The header line, if the format has one.
  std::string header() const {
    std::ostringstream out;
    if (!header_.empty()) CsvWriter(out).write_row(header_);
    return out.str();
  }

  /// `sample` (the pipeline's output for `record`'s copy `copy`) as its output line(s).
  std::string write(const TextRecord& record, const Sample& sample, std::size_t copy) const {
    std::ostringstream out;
    if (features_) {
      const std::string label = label_of(record);
      if (label.find_first_of(" \t\r\n") != std::string::npos)
        throw DataError("the label '" + label + "' has spacing, which svmlight lines cannot hold");
      const std::string pairs = features::to_svmlight(features::values_of(sample));  // "\n" when all zero
      out << label << (label.empty() || pairs == "\n" ? "" : " ") << pairs;
      return out.str();
    }
    const std::string text = sample.kind() == Kind::tokens ? tokens_of(sample).join() : text_of(sample).utf8;
    switch (options_.format) {
      case RecordFormat::lines:
        if (text.find_first_of("\r\n") != std::string::npos)
          throw DataError("the output has a line break, which would make it two records");
        out << text << (record.end_of_line.empty() ? "\n" : record.end_of_line);
        break;
      case RecordFormat::csv: {
        std::vector<std::string> fields = record.fields;
        fields[text_index_] = text;
        if (options_.copies > 1) fields.push_back(std::to_string(copy));
        CsvWriter(out).write_row(fields);
        break;
      }
      case RecordFormat::jsonl: {
        nlohmann::ordered_json object = record.object;
        object[options_.text_column] = text;
        if (options_.copies > 1) {
          if (record.object.contains("copy"))
            throw DataError("already has a field 'copy', which copies > 1 adds");
          object["copy"] = copy;
        }
        out << object.dump() << '\n';
        break;
      }
    }
    return out.str();
  }

 private:
  std::string label_of(const TextRecord& record) const {
    if (options_.label_column.empty()) return "";
    if (label_index_) return record.fields[*label_index_];
    const auto label = record.object.find(options_.label_column);
    if (label == record.object.end()) throw DataError("no field \"" + options_.label_column + "\" for the label");
    return label->is_string() ? label->get<std::string>() : label->dump();
  }

  const TextRunOptions& options_;
  bool features_;
  std::optional<std::size_t> label_index_;
  std::size_t text_index_ = 0;
  std::vector<std::string> header_;
};

void check_output(const Pipeline& pipeline, const std::filesystem::path& output, const TextRunOptions& options) {
  const std::string extension = lower_extension(output);
  if (pipeline.output_kind() == Kind::features) {
    if (extension != ".svm")
      throw UsageError(output.string() + ": this pipeline gives features, written as svmlight lines: name the output .svm");
    return;
  }
  if (pipeline.output_kind() != Kind::text && pipeline.output_kind() != Kind::tokens)
    throw UsageError("records of text can be written as text, tokens or features; this pipeline gives " +
                     std::string(to_string(pipeline.output_kind())));
  if (record_format(output) != options.format)
    throw UsageError(output.string() + ": the output must have the input's format (" +
                     (options.format == RecordFormat::csv     ? std::string(".csv")
                      : options.format == RecordFormat::jsonl ? std::string(".jsonl")
                                                              : std::string("lines: .txt")) +
                     ")");
}

// What one block of records becomes: the output text, params lines, and the bad records in order.
struct BlockResult {
  std::string output, params;
  std::vector<std::string> errors;
  std::size_t read = 0, written = 0;
};

}  // namespace

RecordFormat record_format(const std::filesystem::path& file) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec))
    throw UsageError(file.string() + ": a folder holds one sample per file; records come in one file");
  const std::string extension = lower_extension(file);
  if (extension == ".csv") return RecordFormat::csv;
  if (extension == ".jsonl" || extension == ".ndjson") return RecordFormat::jsonl;
  return RecordFormat::lines;
}

TextRecordSummary fit_text_records(Pipeline& pipeline, const std::filesystem::path& input,
                                   const TextRecordOptions& options) {
  check_takes_text(pipeline);
  const auto start = std::chrono::steady_clock::now();
  TextRecordSummary summary;
  bool first_pass = true;  // records are counted and bad ones reported once, not once per fitted stage
  with_workers(options.jobs, [&] {
    pipeline.fit([&]() -> SampleBlockReader {
      auto reader = std::make_shared<TextRecordReader>(input, options);
      const bool counting = first_pass;
      first_pass = false;
      return [&, reader, counting](std::vector<Sample>& block) {
        block.clear();
        std::vector<TextRecord> records;
        if (!reader->read_block(records, kBlockRecords)) return false;
        for (TextRecord& record : records) {
          if (counting) ++summary.read;
          if (record.error.empty()) {
            block.push_back(make_sample(std::move(record.text)));
          } else if (counting) {
            ++summary.failed;
            report(options, record.error);
          }
        }
        return true;
      };
    });
  });
  summary.seconds = seconds_since(start);
  return summary;
}

TextRecordSummary run_text_records(const Pipeline& pipeline, const std::filesystem::path& input,
                                   const std::filesystem::path& output, const TextRunOptions& options) {
  check_takes_text(pipeline);
  if (const auto unfitted = pipeline.unfitted_stages(); !unfitted.empty())
    throw UsageError(unfitted.front() + ": not fitted; run `augment fit` first or give its state");
  if (options.copies == 0) throw UsageError("copies must be at least 1");
  check_output(pipeline, output, options);
  refuse_same_file(input, output, "the output would overwrite the input");
  if (!options.params_output.empty()) {
    refuse_same_file(input, options.params_output, "the params output would overwrite the input");
    refuse_same_file(output, options.params_output, "the params output would overwrite the records output");
  }

  const auto start = std::chrono::steady_clock::now();
  TextRecordReader reader(input, options);
  const RecordWriter writer(options, pipeline.output_kind(), reader);
  AtomicOutputFile out(output);
  std::optional<AtomicOutputFile> params_out;
  if (!options.params_output.empty()) params_out.emplace(options.params_output);
  out.stream() << writer.header();

  TextRecordSummary summary;
  using Block = std::vector<TextRecord>;
  run_ordered_blocks<Block, BlockResult>(
      options.jobs,
      [&]() -> std::optional<Block> {
        Block block;
        if (!reader.read_block(block, kBlockRecords)) return std::nullopt;
        return block;
      },
      [&](Block& records) {
        BlockResult result;
        for (const TextRecord& record : records) {
          ++result.read;
          try {
            if (!record.error.empty()) throw DataError(record.error);
            std::string lines, params;  // a record is written whole or not at all
            for (std::size_t copy = 0; copy < options.copies; ++copy) {
              Sample sample = make_sample(record.text);
              const nlohmann::json done = pipeline.run(sample, Rng::derive(options.seed, record.key, copy, 0));
              lines += writer.write(record, sample, copy);
              if (params_out)
                params += nlohmann::json{{"key", record.key}, {"line", record.line}, {"copy", copy}, {"record", done}}
                              .dump() +
                          '\n';
            }
            result.output += lines;
            result.params += params;
            result.written += options.copies;
          } catch (const DataError& e) {
            const std::string what = e.what();
            result.errors.push_back(what.starts_with(reader.name() + ":")
                                        ? what
                                        : reader.name() + ":" + std::to_string(record.line) + ": " + what);
          } catch (const UsageError& e) {
            result.errors.push_back(reader.name() + ":" + std::to_string(record.line) + ": " + e.what());
          }
        }
        return result;
      },
      [&](BlockResult& result) {
        summary.read += result.read;
        summary.written += result.written;
        summary.failed += result.errors.size();
        for (const auto& e : result.errors) report(options, e);
        out.stream() << result.output;
        if (params_out) params_out->stream() << result.params;
      });
  out.commit();
  if (params_out) params_out->commit();
  summary.seconds = seconds_since(start);
  return summary;
}

}  // namespace augment::text
