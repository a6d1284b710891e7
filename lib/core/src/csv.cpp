#include "augment/core/csv.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <istream>
#include <ostream>
#include <unordered_map>
#include <utility>

#include "augment/core/error.hpp"
#include "augment/core/limits.hpp"

namespace augment {

namespace {

constexpr int kEndOfInput = -1;
constexpr std::size_t kBufferSize = 1 << 16;

bool is_continuation(unsigned char byte) { return (byte & 0xC0U) == 0x80U; }

std::string in_quotes(std::string_view text) {
  std::string result = "\"";
  result.append(text);
  result += '"';
  return result;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    const unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    // Per lead byte: sequence length and the allowed range of the second byte. Narrowing the
    // second byte is what rules out overlongs (E0, F0), surrogates (ED) and > U+10FFFF (F4).
    std::size_t length = 0;
    unsigned char second_min = 0x80;
    unsigned char second_max = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) second_min = 0xA0;
      if (lead == 0xED) second_max = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) second_min = 0x90;
      if (lead == 0xF4) second_max = 0x8F;
    } else {
      return false;  // continuation byte without a lead, C0/C1 (always overlong), or F5..FF
    }
    if (size - i < length) return false;
    if (bytes[i + 1] < second_min || bytes[i + 1] > second_max) return false;
    for (std::size_t k = 2; k < length; ++k) {
      if (!is_continuation(bytes[i + k])) return false;
    }
    i += length;
  }
  return true;
}

// ---- CsvReader ---------------------------------------------------------------------------

CsvReader::CsvReader(const std::filesystem::path& path) : name_(path.string()) {
  std::error_code ignored;
  // An ifstream opens a directory without complaint and then reads nothing; say what it is.
  if (std::filesystem::is_directory(path, ignored)) {
    throw DataError(name_ + ": cannot open: " + std::strerror(EISDIR));
  }
  errno = 0;
  auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!file->is_open()) {
    const int reason = errno;
    throw DataError(name_ + ": cannot open: " +
                    (reason != 0 ? std::strerror(reason) : "unknown error"));
  }
  input_ = file.get();
  owned_input_ = std::move(file);
  read_header();
}

CsvReader::CsvReader(std::istream& input, std::string name)
    : input_(&input), name_(std::move(name)) {
  read_header();
}

CsvReader::CsvReader(CsvReader&&) noexcept = default;
CsvReader& CsvReader::operator=(CsvReader&&) noexcept = default;
CsvReader::~CsvReader() = default;

bool CsvReader::refill() {
  if (buffer_.empty()) buffer_.resize(kBufferSize);
  input_->read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  buffer_pos_ = 0;
  buffer_end_ = static_cast<std::size_t>(input_->gcount());
  if (input_->bad()) throw DataError(name_ + ":" + std::to_string(line_) + ": read failed");
  return buffer_end_ > 0;
}

int CsvReader::peek() {
  if (buffer_pos_ == buffer_end_ && !refill()) return kEndOfInput;
  return static_cast<unsigned char>(buffer_[buffer_pos_]);
}

int CsvReader::take() {
  const int c = peek();
  if (c != kEndOfInput) ++buffer_pos_;
  return c;
}

void CsvReader::read_header() {
  // The first fill holds the whole BOM unless the input is shorter than three bytes.
  if (peek() != kEndOfInput && buffer_end_ - buffer_pos_ >= 3 &&
      std::memcmp(buffer_.data() + buffer_pos_, "\xEF\xBB\xBF", 3) == 0) {
    buffer_pos_ += 3;
  }
  CsvRow row;
  if (!read_record(row)) throw DataError(name_ + ": empty file, expected a header row");
  const std::string where = name_ + ":" + std::to_string(row.line) + ": ";
  // A hash map, not a scan of the earlier names: a header of a million columns stays linear.
  std::unordered_map<std::string_view, std::size_t> seen;
  for (std::size_t i = 0; i < row.fields.size(); ++i) {
    if (!is_valid_utf8(row.fields[i])) {
      throw DataError(where + "invalid UTF-8 in header field " + std::to_string(i + 1));
    }
    if (const auto [earlier, added] = seen.emplace(row.fields[i], i); !added) {
      throw DataError(where + "duplicate column name " + in_quotes(row.fields[i]) + " (columns " +
                      std::to_string(earlier->second + 1) + " and " + std::to_string(i + 1) + ")");
    }
  }
  header_ = std::move(row.fields);
}

bool CsvReader::next(CsvRow& row) {
  if (!read_record(row)) return false;
  // Built only on error: this is the per-record hot path.
  auto where = [&] { return name_ + ":" + std::to_string(row.line) + ": "; };
  if (row.fields.size() != header_.size()) {
    throw DataError(where() + "expected " + std::to_string(header_.size()) + " fields, got " +
                    std::to_string(row.fields.size()));
  }
  for (std::size_t i = 0; i < row.fields.size(); ++i) {
    if (!is_valid_utf8(row.fields[i])) {
      throw DataError(where() + "invalid UTF-8 in column " + header_[i]);
    }
  }
  return true;
}

// Reads one record, whatever its field count. Problems that leave the record's extent clear
// (text after a closing quote, a quote inside an unquoted field) are reported only once the
// record has been consumed, so the next call starts cleanly at the following record.
bool CsvReader::read_record(CsvRow& row) {
  // Skip completely empty lines.
  for (;;) {
    const int c = peek();
    if (c == kEndOfInput) return false;
    if (c != '\n' && c != '\r') break;
    take();
    if (c == '\r' && peek() == '\n') take();
    ++line_;
  }
  row.line = line_;

  std::size_t field_count = 0;
  // Memory the record takes (its bytes plus a string per field), held under the record_bytes
  // limit: past it the rest of the record is consumed but not kept, and the record refused.
  const std::uint64_t limit = limits().record_bytes;
  std::uint64_t used = 0;
  bool too_long = false;
  // Reuse the row's strings so a streaming loop does not reallocate every field.
  auto start_field = [&]() -> std::string& {
    used += sizeof(std::string);
    if (used > limit) too_long = true;
    if (too_long) {  // keep one scratch field while the rest of the record goes by
      field_count = 1;
      row.fields.resize(1);
      row.fields[0].clear();
      return row.fields[0];
    }
    if (field_count == row.fields.size()) row.fields.emplace_back();
    std::string& field = row.fields[field_count++];
    field.clear();
    return field;
  };
  std::string* field = &start_field();
  auto append = [&](char c) {
    if (++used > limit) too_long = true;
    if (!too_long) *field += c;
  };

  enum class State { FieldStart, Unquoted, Quoted, AfterClosingQuote };
  State state = State::FieldStart;
  std::size_t quote_line = 0;
  std::string problem;  // first structural problem in this record, thrown at its end
  auto note_problem = [&](std::string_view what) {
    if (problem.empty()) {
      problem = name_ + ":" + std::to_string(line_) + ": " + std::string(what) + " in field " +
                std::to_string(field_count);
    }
  };

  for (;;) {
    const int c = take();
    if (state == State::Quoted) {
      if (c == kEndOfInput) {
        throw DataError(name_ + ":" + std::to_string(quote_line) +
                        ": unterminated quoted field (no closing quote before end of file)");
      }
      if (c == '"') {
        state = State::AfterClosingQuote;
      } else {
        if (c == '\n') ++line_;
        append(static_cast<char>(c));
      }
      continue;
    }
    if (c == kEndOfInput) break;
    if (c == '\n' || c == '\r') {
      if (c == '\r' && peek() == '\n') take();
      ++line_;
      break;
    }
    if (c == ',') {
      field = &start_field();
      state = State::FieldStart;
      continue;
    }
    switch (state) {
      case State::FieldStart:
        if (c == '"') {
          state = State::Quoted;
          quote_line = line_;
        } else {
          append(static_cast<char>(c));
          state = State::Unquoted;
        }
        break;
      case State::Unquoted:
        if (c == '"') note_problem("quote inside an unquoted field");
        append(static_cast<char>(c));
        break;
      case State::AfterClosingQuote:
        if (c == '"') {  // doubled quote: a literal quote, still inside the quoted field
          append('"');
          state = State::Quoted;
        } else {
          note_problem("text after closing quote");
          append(static_cast<char>(c));
          state = State::Unquoted;
        }
        break;
      case State::Quoted:
        break;  // handled above
    }
  }
  row.fields.resize(field_count);
  if (too_long) {
    row.fields.clear();
    row.fields.shrink_to_fit();
    throw DataError(name_ + ":" + std::to_string(row.line) + ": " +
                    over_limit_message("record_bytes", used, "record size in bytes (its text and fields)"));
  }
  if (!problem.empty()) throw DataError(problem);
  return true;
}

std::optional<std::size_t> CsvReader::find_column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return i;
  }
  return std::nullopt;
}

std::size_t CsvReader::column_index(std::string_view name) const {
  if (auto index = find_column(name)) return *index;
  std::string available;
  for (const auto& column : header_) {
    if (!available.empty()) available += ", ";
    available += column;
  }
  throw DataError(name_ + ": no column " + in_quotes(name) + "; columns are: " + available);
}

// ---- CsvWriter ---------------------------------------------------------------------------

namespace {

void write_field(std::ostream& output, std::string_view field) {
  const bool needs_quotes =
      field.find_first_of(",\"\r\n") != std::string_view::npos ||
      (!field.empty() && (field.front() == ' ' || field.front() == '\t' ||
                          field.back() == ' ' || field.back() == '\t'));
  if (!needs_quotes) {
    output.write(field.data(), static_cast<std::streamsize>(field.size()));
    return;
  }
  output.put('"');
  for (;;) {
    const std::size_t quote = field.find('"');
    const std::string_view run = field.substr(0, quote);
    output.write(run.data(), static_cast<std::streamsize>(run.size()));
    if (quote == std::string_view::npos) break;
    output.write("\"\"", 2);
    field.remove_prefix(quote + 1);
  }
  output.put('"');
}

template <typename Fields>
void write_record(std::ostream& output, const Fields& fields) {
  // A lone empty field would be an empty line, which readers skip; quote it to keep the record.
  if (fields.size() == 1 && std::string_view(fields[0]).empty()) {
    output.write("\"\"\n", 3);
    return;
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) output.put(',');
    write_field(output, fields[i]);
  }
  output.put('\n');
}

}  // namespace

void CsvWriter::write_row(std::span<const std::string_view> fields) {
  write_record(*output_, fields);
}

void CsvWriter::write_row(const std::vector<std::string>& fields) {
  write_record(*output_, fields);
}

}  // namespace augment
