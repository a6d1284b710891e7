#include "augment/audio/spectrogram_codec.hpp"

#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string_view>

#include "augment/core/error.hpp"
#include "augment/core/paths.hpp"

namespace augment::audio {
namespace {

namespace fs = std::filesystem;
using Bytes = std::span<const std::uint8_t>;

constexpr std::string_view npy_magic = "\x93NUMPY";

// Little-endian loads and stores, so files are the same whatever the host's byte order.
std::uint32_t load_u32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
}
std::uint64_t load_u64(const std::uint8_t* p) { return std::uint64_t{load_u32(p)} | std::uint64_t{load_u32(p + 4)} << 32; }
void store_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

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
    std::size_t end;
    if (header[i] == '\'' || header[i] == '"') end = header.find(header[i], i + 1) + 1;
    else if (header[i] == '(') end = header.find(')', i) + 1;
    else end = header.find_first_of(",}", i);
    if (end == std::string_view::npos || end == 0) break;
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

}  // namespace

fs::path companion_path(const fs::path& file) { return file.parent_path() / (file.stem().string() + ".json"); }

std::vector<std::uint8_t> encode_npy(const Spectrogram& s) {
  const bool is_complex = s.is_complex();
  std::string header = std::string("{'descr': '") + (is_complex ? "<c8" : "<f4") + "', 'fortran_order': False, 'shape': (" +
                       std::to_string(s.channels) + ", " + std::to_string(s.bins) + ", " + std::to_string(s.frames) + "), }";
  // As numpy.save: room for the first axis to grow to 21 digits in place, then spaces and a
  // newline so the data starts at a multiple of 64 bytes; so our files equal numpy's byte for byte.
  header.append(21 - std::to_string(s.channels).size(), ' ');
  const std::size_t prefix = npy_magic.size() + 4;
  header.append(64 - (prefix + header.size() + 1) % 64, ' ');
  header.push_back('\n');
  std::vector<std::uint8_t> out(npy_magic.begin(), npy_magic.end());
  out.push_back(1);
  out.push_back(0);
  out.push_back(static_cast<std::uint8_t>(header.size() & 0xFF));
  out.push_back(static_cast<std::uint8_t>(header.size() >> 8));
  out.insert(out.end(), header.begin(), header.end());
  const std::size_t floats = is_complex ? 2 * s.complex_values.size() : s.values.size();
  out.reserve(out.size() + 4 * floats);
  if (is_complex)
    for (const auto& v : s.complex_values) {
      store_u32(out, std::bit_cast<std::uint32_t>(v.real()));
      store_u32(out, std::bit_cast<std::uint32_t>(v.imag()));
    }
  else
    for (float v : s.values) store_u32(out, std::bit_cast<std::uint32_t>(v));
  return out;
}

Spectrogram decode_npy(Bytes bytes) {
  if (bytes.empty()) throw DataError("empty file");
  if (bytes.size() < 10 || !std::equal(npy_magic.begin(), npy_magic.end(), bytes.begin(),
                                        [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; }))
    throw DataError("not a NumPy .npy file (no \\x93NUMPY magic)");
  const int major = bytes[6];
  if (major < 1 || major > 3) throw DataError("unsupported .npy format version " + std::to_string(major));
  const std::size_t length_bytes = major == 1 ? 2 : 4;
  if (bytes.size() < 8 + length_bytes) throw DataError("truncated .npy header");
  const std::size_t header_length =
      major == 1 ? std::size_t{bytes[8]} | std::size_t{bytes[9]} << 8 : std::size_t{load_u32(bytes.data() + 8)};
  const std::size_t data_start = 8 + length_bytes + header_length;
  if (bytes.size() < data_start) throw DataError("truncated .npy header");
  const std::string_view header(reinterpret_cast<const char*>(bytes.data()) + 8 + length_bytes, header_length);

  const std::string descr = header_value(header, "descr");
  if (header_value(header, "fortran_order") != "False")
    throw DataError("Fortran-ordered .npy arrays are not supported (save with C order)");
  const std::vector<std::size_t> shape = parse_shape(header_value(header, "shape"));
  enum class Type { f4, f8, c8 } type;
  if (descr == "'<f4'") type = Type::f4;
  else if (descr == "'<f8'") type = Type::f8;
  else if (descr == "'<c8'") type = Type::c8;
  else throw DataError("unsupported .npy dtype " + descr + " (takes '<f4', '<f8' or '<c8')");
  if (shape.size() != 2 && shape.size() != 3)
    throw DataError("a spectrogram .npy must be 3-D (channels, bins, frames) or 2-D (bins, frames), got " +
                    std::to_string(shape.size()) + "-D");
  const std::size_t channels = shape.size() == 3 ? shape[0] : 1;
  const std::size_t bins = shape[shape.size() - 2], frames = shape.back();
  constexpr auto int_max = static_cast<std::size_t>(std::numeric_limits<int>::max());
  if (channels == 0 || bins == 0 || frames == 0) throw DataError("the .npy array is empty");
  if (channels > int_max || bins > int_max || frames > int_max || channels * bins > int_max / frames)
    throw DataError("the .npy array is too large");
  const std::size_t count = channels * bins * frames;
  const std::size_t item = type == Type::f4 ? 4 : 8;
  const std::size_t available = bytes.size() - data_start;
  if (available < count * item)
    throw DataError("truncated .npy data: " + std::to_string(available) + " bytes for " + std::to_string(count) +
                    " values of " + std::to_string(item) + " bytes");
  if (available > count * item) throw DataError(std::to_string(available - count * item) + " bytes after the .npy data");

  Spectrogram s;
  s.channels = static_cast<int>(channels);
  s.bins = static_cast<int>(bins);
  s.frames = static_cast<int>(frames);
  const std::uint8_t* data = bytes.data() + data_start;
  bool finite = true;
  if (type == Type::c8) {
    s.complex_values.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
      const auto re = std::bit_cast<float>(load_u32(data + 8 * i)), im = std::bit_cast<float>(load_u32(data + 8 * i + 4));
      finite = finite && std::isfinite(re) && std::isfinite(im);
      s.complex_values[i] = {re, im};
    }
    s.power = 0.0;
  } else {
    s.values.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
      const float v = type == Type::f4 ? std::bit_cast<float>(load_u32(data + 4 * i))
                                       : static_cast<float>(std::bit_cast<double>(load_u64(data + 8 * i)));
      finite = finite && std::isfinite(v);
      s.values[i] = v;
    }
  }
  if (!finite) throw DataError("the .npy array holds NaN or infinite values (or doubles beyond float range)");
  return s;
}


Sample SpectrogramCodec::read(const fs::path& file) const {
  Spectrogram s;
  try {
    s = decode_npy(read_file_bytes(file, "a .npy file"));
  } catch (const DataError& e) {
    throw DataError(file.string() + ": " + e.what());
  }
  const fs::path companion = companion_path(file);
  std::error_code ec;
  if (fs::is_regular_file(companion, ec)) {
    try {
      const std::vector<std::uint8_t> text = read_file_bytes(companion, "a JSON file");
      s.set_info(nlohmann::json::parse(text.begin(), text.end()));
    } catch (const std::exception& e) {
      throw DataError(companion.string() + ": " + e.what());
    }
    if (s.is_complex() != (s.power == 0.0))
      throw DataError(companion.string() + ": power " + std::to_string(s.power) + " does not fit the " +
                      (s.is_complex() ? "complex" : "real") + " values of " + file.filename().string());
  }
  return make_sample(std::move(s));
}

void SpectrogramCodec::write(const Sample& sample, const std::string& extension, std::ostream& out) const {
  if (extension != ".npy") throw DataError("spectrograms are written as .npy, not '" + extension + "'");
  const Spectrogram& s = spectrogram_of(sample);
  const std::size_t count = static_cast<std::size_t>(s.channels) * static_cast<std::size_t>(s.bins) * static_cast<std::size_t>(s.frames);
  if (count == 0 || (s.is_complex() ? s.complex_values.size() : s.values.size()) != count)
    throw DataError("the spectrogram's values do not match its shape");
  const std::vector<std::uint8_t> bytes = encode_npy(s);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw DataError("cannot write the .npy data: the output stream failed");
}

void SpectrogramCodec::write_companions(const Sample& sample, const fs::path& output, Durability durability) const {
  const std::string text = spectrogram_of(sample).info().dump(2) + "\n";
  AtomicOutputFile file(companion_path(output), durability);
  file.stream().write(text.data(), static_cast<std::streamsize>(text.size()));
  file.commit();
}

}  // namespace augment::audio
