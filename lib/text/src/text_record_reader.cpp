#include "text_record_reader.hpp"

#include "augment/core/error.hpp"
#include "augment/core/json_text.hpp"
#include "augment/core/limits.hpp"
#include "augment/text/utf8.hpp"

namespace augment::text::detail {
namespace {

// A key or label field as text: strings as they are, anything else as JSON.
std::string field_text(const nlohmann::ordered_json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

}  // namespace

TextRecordReader::TextRecordReader(const std::filesystem::path& file, const TextRecordOptions& options)
    : options_(options), name_(file.string()) {
  if (options.format == RecordFormat::csv) {
    csv_.emplace(file);
    text_index_ = csv_->column_index(options.text_column);
    if (!options.language_column.empty()) language_index_ = csv_->find_column(options.language_column);
    if (!options.key_column.empty()) key_index_ = csv_->column_index(options.key_column);
    return;
  }
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) throw DataError(name_ + ": is a folder, not a records file");
  file_.open(file, std::ios::binary);
  if (!file_) throw DataError(name_ + ": cannot open");
}

const std::vector<std::string>& TextRecordReader::header() const {
  static const std::vector<std::string> none;
  return csv_ ? csv_->header() : none;
}

std::optional<std::size_t> TextRecordReader::find_column(const std::string& column) const {
  return csv_ ? csv_->find_column(column) : std::nullopt;
}

bool TextRecordReader::next_line(std::string& line, std::string& end_of_line) {
  // std::getline would grow the line without bound: a 50 MB line held whole, then copied by
  // every stage. Past record_bytes the rest of the line is skipped and the record refused.
  const std::uint64_t limit = limits().record_bytes;
  line.clear();
  std::uint64_t length = 0;
  bool newline = false;
  std::streambuf& in = *file_.rdbuf();
  for (int c; (c = in.sbumpc()) != std::char_traits<char>::eof();) {
    if (c == '\n') {
      newline = true;
      break;
    }
    if (++length <= limit) line += static_cast<char>(c);
  }
  if (file_.bad()) throw DataError(name_ + ": read error");
  if (!newline && length == 0) return false;
  ++line_;
  line_offset_ = next_offset_;
  next_offset_ += length + (newline ? 1 : 0);
  end_of_line = newline ? "\n" : "";
  if (length > limit) {
    line.clear();
    line.shrink_to_fit();
    line_too_long_ = length;
    return true;
  }
  line_too_long_ = 0;
  if (line_ == 1 && line.starts_with("\xEF\xBB\xBF")) {  // the encoding's mark, not text
    line.erase(0, 3);
    line_offset_ += 3;
  }
  if (line.ends_with('\r')) {
    line.pop_back();
    end_of_line = end_of_line.empty() ? "\r" : "\r\n";
  }
  return true;
}

bool TextRecordReader::next(TextRecord& record) {
  record = TextRecord{};
  if (csv_) {
    read_csv_record(record);
  } else {
    std::string line, end;
    if (options_.format == RecordFormat::jsonl) {
      do {
        if (!next_line(line, end)) return false;
      } while (line_too_long_ == 0 && line.find_first_not_of(" \t") == std::string::npos);  // blank lines are not records
    } else if (!next_line(line, end)) {
      return false;
    }
    record.line = line_;
    record.end_of_line = end;
    record.text.utf8 = std::move(line);
    if (line_too_long_ != 0)
      record.error = where(record.line) + over_limit_message("record_bytes", line_too_long_, "line length in bytes");
    else if (options_.format == RecordFormat::jsonl) read_jsonl_record(record);
    else read_lines_record(record);
  }
  if (record.line == 0) return false;  // csv: no more rows
  record.number = ++records_;
  if (record.key.empty() && !key_index_ && options_.key_column.empty()) record.key = std::to_string(record.number);
  if (record.text.language.empty()) record.text.language = options_.language;
  return true;
}

bool TextRecordReader::read_block(std::vector<TextRecord>& block, std::size_t count) {
  block.clear();
  for (TextRecord record; block.size() < count && next(record);) block.push_back(std::move(record));
  return !block.empty();
}

void TextRecordReader::read_lines_record(TextRecord& record) {
  std::string& utf8 = record.text.utf8;
  if (const auto bad = first_invalid_utf8(utf8)) {
    if (options_.invalid_utf8 == InvalidUtf8::reject)
      record.error = where(record.line) + "invalid UTF-8 at byte " + std::to_string(line_offset_ + *bad);
    else
      utf8 = repair_utf8(utf8);
  }
}

void TextRecordReader::read_csv_record(TextRecord& record) {
  CsvRow row;
  try {
    if (!csv_->next(row)) return;
  } catch (const DataError& e) {  // a malformed row, already consumed: reported in its place
    record.line = row.line > 0 ? row.line : 1;
    record.error = e.what();
    record.fields.assign(csv_->header().size(), "");
    return;
  }
  record.line = row.line;
  record.text.utf8 = row.fields[*text_index_];
  if (language_index_) record.text.language = row.fields[*language_index_];
  if (key_index_) record.key = row.fields[*key_index_];
  record.fields = std::move(row.fields);
}

void TextRecordReader::read_jsonl_record(TextRecord& record) {
  std::string line = std::move(record.text.utf8);
  record.text.utf8.clear();
  if (const auto bad = first_invalid_utf8(line)) {
    if (options_.invalid_utf8 == InvalidUtf8::reject) {
      record.error = where(record.line) + "invalid UTF-8 at byte " + std::to_string(line_offset_ + *bad);
      return;
    }
    line = repair_utf8(line);
  }
  try {
    record.object = parse_ordered_json(line, name_ + ":" + std::to_string(record.line));
  } catch (const DataError& e) {
    record.error = e.what();
    return;
  }
  if (!record.object.is_object()) {
    record.error = where(record.line) + "expected a JSON object, got " + std::string(record.object.type_name());
    return;
  }
  const auto text = record.object.find(options_.text_column);
  if (text == record.object.end() || !text->is_string()) {
    record.error = where(record.line) + "no string field \"" + options_.text_column + "\"";
    return;
  }
  record.text.utf8 = text->get<std::string>();
  if (!options_.language_column.empty())
    if (const auto language = record.object.find(options_.language_column);
        language != record.object.end() && language->is_string())
      record.text.language = language->get<std::string>();
  if (!options_.key_column.empty()) {
    const auto key = record.object.find(options_.key_column);
    if (key == record.object.end()) record.error = where(record.line) + "no field \"" + options_.key_column + "\"";
    else record.key = field_text(*key);
  }
}

}  // namespace augment::text::detail
