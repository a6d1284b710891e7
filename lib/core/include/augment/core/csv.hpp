#pragma once
// RFC 4180 CSV, read as a stream of records (files can be larger than memory) and written with
// minimal quoting. Errors are DataError with "PATH:LINE: ..." so the CLI can print them as is.
#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace augment {

/// True if `text` is well-formed UTF-8: no stray continuation bytes, no truncated sequences,
/// no overlong encodings, no UTF-16 surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
[[nodiscard]] bool is_valid_utf8(std::string_view text);

/// One record. `line` is the 1-based physical line where it starts (records may span lines).
struct CsvRow {
  std::vector<std::string> fields;
  std::size_t line = 0;
};

/// Reads a CSV with a header row. Quoted fields may hold commas, doubled quotes, CR and LF;
/// CRLF and LF line ends, a leading UTF-8 BOM and a last line without newline are accepted;
/// completely empty lines are skipped. Every field is checked to be valid UTF-8.
class CsvReader {
 public:
  /// Opens `path`; throws DataError "PATH: cannot open: REASON" if it cannot.
  explicit CsvReader(const std::filesystem::path& path);
  /// Reads from `input`, which must outlive the reader; `name` stands for the file in messages.
  CsvReader(std::istream& input, std::string name);

  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;
  CsvReader(CsvReader&&) noexcept;
  CsvReader& operator=(CsvReader&&) noexcept;
  ~CsvReader();

  [[nodiscard]] const std::vector<std::string>& header() const { return header_; }
  /// The file name used in error messages.
  [[nodiscard]] const std::string& name() const { return name_; }

  /// Reads the next record into `row`; false at end of input. Throws DataError for a record with
  /// the wrong field count, a malformed quote or invalid UTF-8 -- after consuming that whole
  /// record, so the caller may report it and call next() again. An unterminated quote consumes
  /// the rest of the input.
  bool next(CsvRow& row);

  /// Position of the column called `name`; throws DataError listing the columns if absent.
  [[nodiscard]] std::size_t column_index(std::string_view name) const;
  [[nodiscard]] std::optional<std::size_t> find_column(std::string_view name) const;

 private:
  void read_header();
  bool read_record(CsvRow& row);
  bool refill();
  int peek();
  int take();

  std::unique_ptr<std::istream> owned_input_;  // set when the reader opened the file itself
  std::istream* input_ = nullptr;
  std::string name_;
  std::vector<std::string> header_;
  // Own buffer rather than istream::get() per byte: far faster, and lets us peek at the BOM.
  std::vector<char> buffer_;
  std::size_t buffer_pos_ = 0;
  std::size_t buffer_end_ = 0;
  std::size_t line_ = 1;  // physical line of the next unread byte
};

/// Writes CSV records with LF line ends. A field is quoted only when it must be: it holds a
/// comma, quote, CR or LF, or starts or ends with a space or tab (which other tools may trim).
/// Stream errors are left for the owner of the stream to check.
class CsvWriter {
 public:
  explicit CsvWriter(std::ostream& output) : output_(&output) {}

  void write_row(std::span<const std::string_view> fields);
  void write_row(const std::vector<std::string>& fields);

 private:
  std::ostream* output_;
};

}  // namespace augment
