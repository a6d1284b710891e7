#include "augment/core/npy.hpp"

#include <algorithm>
#include <limits>

#include "augment/core/error.hpp"
#include "augment/core/limits.hpp"

namespace augment {
namespace {

constexpr std::string_view kMagic = "\x93NUMPY";

// The value of `key` in the header's Python dict literal, as its raw text (a quoted string,
// True/False, or a parenthesised tuple).
std::string header_value(std::string_view header, std::string_view key) {
  for (const char quote : {'\'', '"'}) {
    const std::string quoted = quote + std::string(key) + quote;
    const std::size_t at = header.find(quoted);
    if (at == std::string_view::npos) continue;
    std::size_t i = header.find(':', at + quoted.size());
    if (i == std::string_view::npos) break;
    ++i;
    while (i < header.size() && header[i] == ' ') ++i;
    if (i >= header.size()) break;
    std::size_t end = std::string_view::npos;  // one past the value
    if (header[i] == '\'' || header[i] == '"') {
      if (const auto close = header.find(header[i], i + 1); close != std::string_view::npos) end = close + 1;
    } else if (header[i] == '(') {
      if (const auto close = header.find(')', i); close != std::string_view::npos) end = close + 1;
    } else {
      end = header.find_first_of(",}", i);
    }
    if (end == std::string_view::npos) break;
    return std::string(header.substr(i, end - i));
  }
  throw DataError("the .npy header has no valid '" + std::string(key) + "'");
}

std::vector<std::size_t> parse_shape(const std::string& text) {
  std::vector<std::size_t> shape;
  std::size_t i = 1;  // after '('
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == ',')) ++i;
    if (i >= text.size() || text[i] == ')') break;
    std::size_t end = i;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    if (end == i || end - i > 12) throw DataError("the .npy shape " + text + " is not a tuple of sizes");
    shape.push_back(std::stoull(text.substr(i, end - i)));
    i = end;
  }
  return shape;
}

std::string unquoted(const std::string& text) {
  return text.size() >= 2 && (text.front() == '\'' || text.front() == '"') ? text.substr(1, text.size() - 2) : text;
}

}  // namespace

std::uint32_t load_le32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
}
std::uint64_t load_le64(const std::uint8_t* p) { return std::uint64_t{load_le32(p)} | std::uint64_t{load_le32(p + 4)} << 32; }
void store_le32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

NpyArray parse_npy(std::span<const std::uint8_t> bytes, std::size_t (*item_size)(std::string_view dtype),
                   std::string_view supported) {
  if (bytes.empty()) throw DataError("empty file");
  if (bytes.size() < 10 || !std::equal(kMagic.begin(), kMagic.end(), bytes.begin(),
                                        [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; }))
    throw DataError("not a NumPy .npy file (no \\x93NUMPY magic)");
  const int major = bytes[6];
  if (major < 1 || major > 3) throw DataError("unsupported .npy format version " + std::to_string(major));
  const std::size_t length_bytes = major == 1 ? 2 : 4;
  if (bytes.size() < 8 + length_bytes) throw DataError("truncated .npy header");
  const std::size_t header_length =
      major == 1 ? std::size_t{bytes[8]} | std::size_t{bytes[9]} << 8 : std::size_t{load_le32(bytes.data() + 8)};
  if (bytes.size() - 8 - length_bytes < header_length) throw DataError("truncated .npy header");
  const std::size_t data_start = 8 + length_bytes + header_length;
  const std::string_view header(reinterpret_cast<const char*>(bytes.data()) + 8 + length_bytes, header_length);

  NpyArray array;
  array.dtype = unquoted(header_value(header, "descr"));
  if (header_value(header, "fortran_order") != "False")
    throw DataError("Fortran-ordered .npy arrays are not supported (save with C order)");
  array.shape = parse_shape(header_value(header, "shape"));
  const std::size_t item = item_size(array.dtype);
  if (item == 0) throw DataError("unsupported .npy dtype '" + array.dtype + "' (takes " + std::string(supported) + ")");
  // The product, refused before it can wrap or ask for more than a buffer may hold.
  std::uint64_t count = 1;
  for (const std::size_t n : array.shape) {
    if (n != 0 && count > limits().allocation_bytes / item / n) throw DataError("the .npy array is too large");
    count *= n;
  }
  array.count = static_cast<std::size_t>(count);
  if (array.count == 0) throw DataError("the .npy array is empty");
  const std::size_t available = bytes.size() - data_start;
  if (available < array.count * item)
    throw DataError("truncated .npy data: " + std::to_string(available) + " bytes for " + std::to_string(array.count) +
                    " values of " + std::to_string(item) + " bytes");
  if (available > array.count * item)
    throw DataError(std::to_string(available - array.count * item) + " bytes after the .npy data");
  array.data = bytes.subspan(data_start);
  return array;
}

std::vector<std::uint8_t> npy_header(std::string_view dtype, const std::vector<std::size_t>& shape) {
  std::string dims;
  for (std::size_t i = 0; i < shape.size(); ++i) dims += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1) dims += ",";
  std::string header = "{'descr': '" + std::string(dtype) + "', 'fortran_order': False, 'shape': (" + dims + "), }";
  // As numpy.save: room for the first axis to grow to 21 digits in place, then spaces and a
  // newline so the data starts at a multiple of 64 bytes.
  if (!shape.empty()) header.append(21 - std::to_string(shape[0]).size(), ' ');
  const std::size_t prefix = kMagic.size() + 4;
  header.append(64 - (prefix + header.size() + 1) % 64, ' ');
  header.push_back('\n');
  std::vector<std::uint8_t> out(kMagic.begin(), kMagic.end());
  out.push_back(1);
  out.push_back(0);
  out.push_back(static_cast<std::uint8_t>(header.size() & 0xFF));
  out.push_back(static_cast<std::uint8_t>(header.size() >> 8));
  out.insert(out.end(), header.begin(), header.end());
  return out;
}

}  // namespace augment
