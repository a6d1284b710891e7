#pragma once
// Reads the records of a lines / CSV / JSONL file one at a time (text_records.hpp has the
// formats), so memory does not grow with the file.
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/csv.hpp"
#include "augment/text/text.hpp"
#include "augment/text/text_records.hpp"

namespace augment::text::detail {

struct TextRecord {
  std::size_t number = 0;  // 1-based, in the file's order
  std::size_t line = 0;    // physical line where it starts
  std::string key;         // what its random numbers derive from
  Text text;
  std::vector<std::string> fields;  // csv: every column
  nlohmann::ordered_json object;    // jsonl: the whole object
  std::string end_of_line;          // lines: "\n", "\r\n", or "" for a last line without one
  std::string error;                // "FILE:LINE: reason" when the record cannot be used
};

class TextRecordReader {
 public:
  /// Opens `file`; DataError "FILE: reason" when it cannot be opened or (csv) lacks the text or
  /// key column.
  TextRecordReader(const std::filesystem::path& file, const TextRecordOptions& options);

  /// The next record (possibly with its error set); false at the end.
  bool next(TextRecord& record);
  /// Up to `count` records; false when none was left.
  bool read_block(std::vector<TextRecord>& block, std::size_t count);

  const std::string& name() const { return name_; }
  /// csv: the header.
  const std::vector<std::string>& header() const;
  /// csv: the position of a column, if the file has it.
  std::optional<std::size_t> find_column(const std::string& column) const;

 private:
  bool next_line(std::string& line, std::string& end_of_line);
  void read_lines_record(TextRecord& record);
  void read_csv_record(TextRecord& record);
  void read_jsonl_record(TextRecord& record);
  std::string where(std::size_t line) const { return name_ + ":" + std::to_string(line) + ": "; }

  TextRecordOptions options_;
  std::string name_;
  std::ifstream file_;                 // lines and jsonl
  std::size_t line_ = 0;               // lines read so far
  std::size_t line_offset_ = 0;        // byte offset in the file of the line just read
  std::size_t next_offset_ = 0;        // byte offset of the next line
  std::uint64_t line_too_long_ = 0;    // length of the line just read when over record_bytes
  std::optional<CsvReader> csv_;
  std::optional<std::size_t> text_index_, language_index_, key_index_;
  std::size_t records_ = 0;
};

}  // namespace augment::text::detail
