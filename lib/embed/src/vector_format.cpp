// Embeddings::load and Embeddings::save: word2vec's text and binary formats, byte for byte as
// word2vec.c and gensim's save_word2vec_format write them.
#include <algorithm>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <ostream>
#include <string>
#include <string_view>

#include "augment/core/atomic_file.hpp"
#include "augment/core/csv.hpp"  // is_valid_utf8
#include "augment/core/error.hpp"
#include "augment/embed/embeddings.hpp"
#include "augment/text/utf8.hpp"

namespace augment::embed {
namespace {

static_assert(sizeof(float) == 4 && std::numeric_limits<float>::is_iec559, "the binary format holds IEEE float32");

std::string shown(std::string_view word) {
  std::string out = "'";
  for (char c : word.substr(0, 60)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
      constexpr char hex[] = "0123456789abcdef";
      out += "\\x";
      out += hex[byte >> 4];
      out += hex[byte & 15];
    } else {
      out += c;
    }
  }
  return out + (word.size() > 60 ? "...'" : "'");
}

std::string read_whole(const std::filesystem::path& file) {
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  if (!in) throw DataError(file.string() + ": cannot read: " + (errno ? std::strerror(errno) : "cannot open"));
  std::string bytes;
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size > 0) {
    bytes.resize(static_cast<std::size_t>(size));
    in.seekg(0);
    in.read(bytes.data(), size);
  }
  if (size < 0 || in.bad() || (size > 0 && in.gcount() != size)) throw DataError(file.string() + ": cannot read");
  return bytes;
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

bool only_whitespace(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return is_blank(c) || c == '\n'; });
}

// Bytes a text row's numbers can hold ("-1.5e-05", "nan", "inf", "infinity"); a float32 of a
// binary row has other bytes in its first line all but surely, which tells the formats apart.
bool is_text_number_byte(char c) {
  return (c >= '0' && c <= '9') || (c != '\0' && std::strchr("+-.eEnNaAiIfFtTyY \t\r", c) != nullptr);
}

/// A decimal as float, rounded once; "+1.5" and "1e-50" (an underflow, as strtof gives 0) pass.
/// False when the text is not entirely a number.
bool parse_float(std::string_view field, float& value) {
  if (field.size() > 1 && field[0] == '+' && field[1] != '-') field.remove_prefix(1);
  const char* end = field.data() + field.size();
  const auto [ptr, ec] = std::from_chars(field.data(), end, value);
  if (ptr != end) return false;
  if (ec == std::errc::result_out_of_range) {
    // from_chars leaves `value` unset here: read as double, so that an underflow gives the
    // nearest float (0 or a subnormal) and an overflow gives ±inf (rejected as non-finite).
    double wide = 0;
    const auto [wide_ptr, wide_ec] = std::from_chars(field.data(), end, wide);
    if (wide_ptr != end) return false;
    value = wide_ec == std::errc{} ? static_cast<float>(wide) : (field[0] == '-' ? -1.0f : 1.0f) * std::numeric_limits<float>::infinity();
    return true;
  }
  return ec == std::errc{};
}

struct Header {
  std::uint64_t count = 0, dims = 0;
};

Header parse_header(std::string_view line, const std::string& where) {
  while (!line.empty() && is_blank(line.back())) line.remove_suffix(1);
  std::string_view rest = line;
  auto number = [&](std::uint64_t& out) {
    while (!rest.empty() && is_blank(rest.front())) rest.remove_prefix(1);
    const auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), out);
    if (ec != std::errc{} || ptr == rest.data()) return false;
    rest.remove_prefix(static_cast<std::size_t>(ptr - rest.data()));
    return true;
  };
  Header header;
  if (!number(header.count) || rest.empty() || !is_blank(rest.front()) || !number(header.dims) || !rest.empty())
    throw DataError(where + ": bad header " + shown(line) + ": expected '<word count> <dims>'");
  if (header.count > 0 && header.dims == 0) throw DataError(where + ": bad header " + shown(line) + ": dims must be > 0");
  return header;
}

void append_float_bytes(std::string& out, float value) {
  auto bits = std::bit_cast<std::uint32_t>(value);
  for (int i = 0; i < 4; ++i, bits >>= 8) out += static_cast<char>(bits & 0xFF);
}

float float_from_bytes(const char* bytes) {
  std::uint32_t bits = 0;
  for (int i = 3; i >= 0; --i) bits = bits << 8 | static_cast<unsigned char>(bytes[i]);
  return std::bit_cast<float>(bits);
}

/// `value` as numpy's repr of a float32 prints it (what gensim writes): the shortest digits
/// that read back to the same float; positional with at least one decimal ("1.0", "0.00012",
/// "1234567800000000.0") when 1e-4 <= |x| < 1e16, else scientific ("1e-05", "2.5e+20").
void append_float_text(std::string& out, float value) {
  if (value == 0) {
    out += std::signbit(value) ? "-0.0" : "0.0";
    return;
  }
  char buffer[64];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific).ptr;
  const std::string_view scientific(buffer, static_cast<std::size_t>(end - buffer));  // "-1.2345e+15"
  const double magnitude = std::fabs(static_cast<double>(value));
  if (!(magnitude >= 1e-4 && magnitude < 1e16)) {
    out += scientific;
    return;
  }
  // Rebuild the shortest digits positionally: to_chars(fixed) would print a large float's exact
  // value (1234567813922816), where numpy pads the shortest digits with zeros.
  const std::size_t e_at = scientific.find('e');
  std::string digits;
  for (char c : scientific.substr(0, e_at))
    if (c >= '0' && c <= '9') digits += c;
  int exponent = 0;
  std::string_view exponent_text = scientific.substr(e_at + 1);
  if (exponent_text.front() == '+') exponent_text.remove_prefix(1);
  std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);
  if (value < 0) out += '-';
  const int point = exponent + 1;  // digits before the decimal point
  if (point <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-point), '0');
    out += digits;
  } else if (static_cast<std::size_t>(point) >= digits.size()) {
    out += digits;
    out.append(static_cast<std::size_t>(point) - digits.size(), '0');
    out += ".0";
  } else {
    out.append(digits, 0, static_cast<std::size_t>(point));
    out += '.';
    out.append(digits, static_cast<std::size_t>(point));
  }
}

class Loader {
 public:
  Loader(std::string bytes, std::string where) : bytes_(std::move(bytes)), where_(std::move(where)) {}

  Embeddings load() {
    if (bytes_.empty()) throw fail("empty file, expected a '<word count> <dims>' header");
    const std::size_t end_of_header = bytes_.find('\n');
    if (end_of_header == std::string::npos) throw fail("no line break after the header: not a word2vec file");
    const Header header = parse_header(std::string_view(bytes_).substr(0, end_of_header), where_);
    pos_ = end_of_header + 1;
    // Each value takes at least 2 bytes of text or 4 of binary: a header that promises more
    // than the file holds is caught before anything is allocated.
    const std::size_t body = bytes_.size() - pos_;
    if (header.count > body || header.dims > body || (header.dims > 0 && header.count > body / 2 / header.dims))
      throw fail("truncated: the header promises " + std::to_string(header.count) + " words of " +
                 std::to_string(header.dims) + " dims, the file has " + std::to_string(body) + " bytes after it");
    count_ = static_cast<std::size_t>(header.count);
    dims_ = static_cast<std::size_t>(header.dims);
    words_.reserve(count_);
    values_.reserve(count_ * dims_);
    const bool text = count_ == 0 || looks_like_text();
    if (text)
      read_text();
    else
      read_binary();
    if (!only_whitespace(std::string_view(bytes_).substr(pos_)))
      throw fail(text ? "more rows than the header's " + std::to_string(count_) + " words"
                      : "bytes left after the header's " + std::to_string(count_) +
                            " words: its count or dims do not match the rows");
    try {
      return Embeddings(std::move(words_), dims_, std::move(values_));
    } catch (const UsageError& e) {
      std::string reason = e.what();
      const std::string prefix = "Embeddings: ";
      if (reason.starts_with(prefix)) reason.erase(0, prefix.size());
      throw fail(reason);
    }
  }

 private:
  DataError fail(const std::string& reason) const { return DataError(where_ + ": " + reason); }

  // Text when the first row's values are made of number bytes only; else binary when the row is
  // shaped as one (its floats then a line break); else text if that line is valid UTF-8 without
  // control bytes (a text row with a typo in a value), binary otherwise (float bytes).
  bool looks_like_text() const {
    std::size_t word_end = pos_;
    while (word_end < bytes_.size() && bytes_[word_end] != ' ' && bytes_[word_end] != '\t' && bytes_[word_end] != '\n')
      ++word_end;
    std::size_t line_end = bytes_.find('\n', word_end);
    if (line_end == std::string::npos) line_end = bytes_.size();
    const std::string_view rest(bytes_.data() + word_end, line_end - word_end);
    if (std::all_of(rest.begin(), rest.end(), is_text_number_byte) &&
        std::any_of(rest.begin(), rest.end(), [](char c) { return !is_blank(c); }))
      return true;
    const std::size_t binary_row_end = word_end + 1 + 4 * dims_;
    if (binary_row_end == bytes_.size() || (binary_row_end < bytes_.size() && bytes_[binary_row_end] == '\n'))
      return false;
    return text::is_valid_utf8(rest) && std::none_of(rest.begin(), rest.end(), [](char c) {
             const auto byte = static_cast<unsigned char>(c);
             return (byte < 0x20 && c != '\t' && c != '\r') || byte == 0x7F;
           });
  }

  void read_text() {
    std::size_t line_number = 2;
    std::vector<std::string_view> fields;
    for (std::size_t row = 0; row < count_; ++row, ++line_number) {
      if (pos_ >= bytes_.size())
        throw fail("truncated: the header says " + std::to_string(count_) + " words, the file has " +
                   std::to_string(row));
      std::size_t end = bytes_.find('\n', pos_);
      if (end == std::string::npos) end = bytes_.size();
      std::string_view line(bytes_.data() + pos_, end - pos_);
      pos_ = std::min(end + 1, bytes_.size());
      fields.clear();
      for (std::size_t i = 0; i < line.size();) {
        while (i < line.size() && is_blank(line[i])) ++i;
        const std::size_t start = i;
        while (i < line.size() && !is_blank(line[i])) ++i;
        if (i > start) fields.push_back(line.substr(start, i - start));
      }
      const std::string at = "line " + std::to_string(line_number) + ": ";
      if (fields.empty()) throw fail(at + "empty line, expected a word and " + std::to_string(dims_) + " values");
      if (fields.size() - 1 != dims_)
        throw fail(at + "word " + shown(fields[0]) + " has " + std::to_string(fields.size() - 1) +
                   " values, the header says " + std::to_string(dims_));
      // Words feed text ops that take UTF-8 (as gensim, which decodes them strictly).
      if (!is_valid_utf8(fields[0])) throw fail(at + "invalid UTF-8 in the word");
      words_.emplace_back(fields[0]);
      for (std::size_t j = 1; j < fields.size(); ++j) {
        float value = 0;
        if (!parse_float(fields[j], value)) throw fail(at + shown(fields[j]) + " is not a number");
        if (!std::isfinite(value))
          throw fail(at + "word " + shown(fields[0]) + " has a non-finite value " + shown(fields[j]));
        values_.push_back(value);
      }
    }
  }

  // Two dialects: word2vec.c ends each row with '\n' (so does this library), gensim 4.0-4.2 put
  // the rows back to back. The first row tells which; with line breaks, a row not followed by
  // one means the header's dims are wrong. Without, a misaligned read shows as a word holding
  // control bytes, or as a count of rows that does not match.
  void read_binary() {
    const std::size_t row_bytes = 4 * dims_;
    bool row_breaks = true;
    for (std::size_t row = 0; row < count_; ++row) {
      const std::string at = "word " + std::to_string(row + 1) + " of " + std::to_string(count_) + ": ";
      while (pos_ < bytes_.size() && bytes_[pos_] == '\n') ++pos_;  // as gensim, which strips it from the word
      const std::size_t space = bytes_.find(' ', pos_);
      if (pos_ >= bytes_.size() || space == std::string::npos)
        throw fail("truncated: the header says " + std::to_string(count_) + " words, the file ends in word " +
                   std::to_string(row + 1));
      const std::string_view word(bytes_.data() + pos_, space - pos_);
      if (std::any_of(word.begin(), word.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
        throw fail(at + shown(word) + " holds control bytes: the header's dims (" + std::to_string(dims_) +
                   ") do not match the rows, or this is not a word2vec file");
      if (!is_valid_utf8(word)) throw fail(at + "invalid UTF-8 in the word");
      pos_ = space + 1;
      if (bytes_.size() - pos_ < row_bytes)
        throw fail("truncated: " + at + shown(word) + " has fewer than the header's " + std::to_string(dims_) +
                   " values");
      for (std::size_t j = 0; j < dims_; ++j) {
        const float value = float_from_bytes(bytes_.data() + pos_ + 4 * j);
        if (!std::isfinite(value)) throw fail(at + shown(word) + " has a non-finite value");
        values_.push_back(value);
      }
      pos_ += row_bytes;
      if (row == 0) row_breaks = pos_ < bytes_.size() && bytes_[pos_] == '\n';
      if (row_breaks && pos_ < bytes_.size()) {  // the very last row may lack its line break
        if (bytes_[pos_] != '\n')
          throw fail(at + shown(word) + ": its " + std::to_string(dims_) +
                     " values are not followed by a line break: the header's dims do not match the rows");
        ++pos_;
      }
      words_.emplace_back(word);
    }
  }

  std::string bytes_;
  std::string where_;
  std::size_t pos_ = 0, count_ = 0, dims_ = 0;
  std::vector<std::string> words_;
  std::vector<float> values_;
};

}  // namespace

Embeddings Embeddings::load(const std::filesystem::path& file) {
  return Loader(read_whole(file), file.string()).load();
}

void Embeddings::save(const std::filesystem::path& file, VectorFormat format) const {
  AtomicOutputFile output(file);
  std::ostream& stream = output.stream();
  std::string buffer = std::to_string(size()) + " " + std::to_string(dims_) + "\n";
  for (std::size_t i = 0; i < size(); ++i) {
    buffer += words_[i];
    const float* row = vectors_.data() + i * dims_;
    if (format == VectorFormat::binary) {
      buffer += ' ';
      for (std::size_t j = 0; j < dims_; ++j) append_float_bytes(buffer, row[j]);
    } else {
      for (std::size_t j = 0; j < dims_; ++j) {
        buffer += ' ';
        append_float_text(buffer, row[j]);
      }
    }
    buffer += '\n';
    if (buffer.size() > (1u << 20)) {
      stream.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
    }
  }
  stream.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  output.commit();
}

}  // namespace augment::embed
