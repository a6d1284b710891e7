#pragma once
// Texts kept many to a file ("records"), the way text datasets usually come: one sample per
// line of a .txt, a text column of a CSV, or a text field of JSON Lines. A pipeline runs over
// every record into an output of the same format, everything else in the record passed
// through; the fitted stages (bag_of_words) learn from such a file. The file-per-sample way
// (a folder of .txt files, or a manifest naming them) is the dataset runner's.
//
// Formats, chosen by the caller (record_format() maps the CLI's choice):
// - lines: each line of a UTF-8 file is a record, empty lines included, so output line k still
//   matches line k of a parallel labels file when copies is 1. LF and CRLF ends are not part of
//   the text and each output line gets its source line's end (LF for a last line without one).
//   A leading BOM is dropped.
// - csv: RFC 4180 with a header; the text is the column `text_column`; the other columns pass
//   through, and the output has the same header (plus `copy` when copies > 1).
// - jsonl: one JSON object per line (blank lines skipped); the text is the string field
//   `text_column`; other fields pass through in their order (re-serialised compactly), with a
//   `copy` field when copies > 1.
// A record's language (Text::language) is its `language_column` value when the format has one
// and the value is not empty, else `language`.
//
// Outputs: a pipeline ending in text or tokens writes the same format; one ending in features
// (bag_of_words) writes svmlight lines, "LABEL 3:0.5 17:2" with the label from `label_column`
// (csv/jsonl) or "IDX:VAL ..." without one (features_svmlight.hpp's layout), one per record and
// copy in order: scikit-learn's load_svmlight_file(zero_based=False) reads them.
//
// Random numbers: record k's copy c draws from (seed, key, c), key being the `key_column`
// value when given, else k (1-based record number), as feature tables do: the same bytes
// whatever the thread count. Records are written in input order, each copy after the other.
//
// Bad records — invalid UTF-8 ("FILE:LINE: invalid UTF-8 at byte N", N counted in the file for
// lines, in the field for csv and jsonl), a malformed CSV row or JSON line, a missing or
// non-string text field, an op's error, an output line that would hold a line break — are
// reported one line each through on_error and left out; the rest is written. With
// InvalidUtf8::repair, ill-formed bytes of .txt lines and JSONL lines become U+FFFD instead
// (the CSV reader checks every field and rejects).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "augment/core/pipeline.hpp"
#include "augment/text/text_codec.hpp"

namespace augment::text {

enum class RecordFormat { lines, csv, jsonl };

/// The format of a records file by its extension: ".csv" → csv, ".jsonl" / ".ndjson" → jsonl,
/// anything else → lines. UsageError for a folder.
RecordFormat record_format(const std::filesystem::path& file);

struct TextRecordOptions {
  RecordFormat format = RecordFormat::lines;
  std::string text_column = "text";          // csv column, jsonl field
  std::string language_column = "language";  // read when the file has it
  std::string language;                      // for records that give none
  std::string key_column;                    // empty: the record number
  InvalidUtf8 invalid_utf8 = InvalidUtf8::reject;
  std::size_t jobs = 0;  // 0: every core
  bool fail_fast = false;
  std::function<void(const std::string&)> on_error;  // one line per bad record, in file order
};

struct TextRunOptions : TextRecordOptions {
  std::uint64_t seed = 0;
  std::size_t copies = 1;
  std::string label_column;  // svmlight outputs: the label's column or field
  /// When set, one JSON line per output record: {"key", "line", "copy", "record"} (replayable).
  std::filesystem::path params_output;
};

struct TextRecordSummary {
  std::size_t read = 0, failed = 0, written = 0;
  double seconds = 0;
};

/// Fits every fitted stage of `pipeline` (which takes text) on the records of `input`.
TextRecordSummary fit_text_records(Pipeline& pipeline, const std::filesystem::path& input,
                                   const TextRecordOptions& options);

/// Runs `pipeline` over the records of `input` into `output` (written atomically). UsageError
/// for a pipeline that does not take text or is not fitted, an output of another format than
/// the input (or not .svm for features), an output that would overwrite the input.
TextRecordSummary run_text_records(const Pipeline& pipeline, const std::filesystem::path& input,
                                   const std::filesystem::path& output, const TextRunOptions& options);

}  // namespace augment::text
