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
#include "augment/core/npy.hpp"
#include "augment/core/json_text.hpp"
#include "augment/core/paths.hpp"

namespace augment::audio {
namespace {

namespace fs = std::filesystem;
using Bytes = std::span<const std::uint8_t>;

std::size_t spectrogram_item_size(std::string_view dtype) {
  if (dtype == "<f4") return 4;
  if (dtype == "<f8" || dtype == "<c8") return 8;
  return 0;
}

}  // namespace

fs::path companion_path(const fs::path& file) { return file.parent_path() / (file.stem().string() + ".json"); }

std::vector<std::uint8_t> encode_npy(const Spectrogram& s) {
  const bool is_complex = s.is_complex();
  std::vector<std::uint8_t> out =
      npy_header(is_complex ? "<c8" : "<f4", {static_cast<std::size_t>(s.channels), static_cast<std::size_t>(s.bins),
                                            static_cast<std::size_t>(s.frames)});
  const std::size_t floats = is_complex ? 2 * s.complex_values.size() : s.values.size();
  out.reserve(out.size() + 4 * floats);
  if (is_complex)
    for (const auto& v : s.complex_values) {
      store_le32(out, std::bit_cast<std::uint32_t>(v.real()));
      store_le32(out, std::bit_cast<std::uint32_t>(v.imag()));
    }
  else
    for (float v : s.values) store_le32(out, std::bit_cast<std::uint32_t>(v));
  return out;
}

Spectrogram decode_npy(Bytes bytes) {
  const NpyArray array = parse_npy(bytes, spectrogram_item_size, "'<f4', '<f8' or '<c8'");
  const std::vector<std::size_t>& shape = array.shape;
  enum class Type { f4, f8, c8 } type = array.dtype == "<f4" ? Type::f4 : array.dtype == "<f8" ? Type::f8 : Type::c8;
  if (shape.size() != 2 && shape.size() != 3)
    throw DataError("a spectrogram .npy must be 3-D (channels, bins, frames) or 2-D (bins, frames), got " +
                    std::to_string(shape.size()) + "-D");
  const std::size_t channels = shape.size() == 3 ? shape[0] : 1;
  const std::size_t bins = shape[shape.size() - 2], frames = shape.back();
  constexpr auto int_max = static_cast<std::size_t>(std::numeric_limits<int>::max());
  if (channels == 0 || bins == 0 || frames == 0) throw DataError("the .npy array is empty");
  if (channels > int_max || bins > int_max || frames > int_max || channels * bins > int_max / frames)
    throw DataError("the .npy array is too large");
  const std::size_t count = array.count;

  Spectrogram s;
  s.channels = static_cast<int>(channels);
  s.bins = static_cast<int>(bins);
  s.frames = static_cast<int>(frames);
  const std::uint8_t* data = array.data.data();
  bool finite = true;
  if (type == Type::c8) {
    s.complex_values.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
      const auto re = std::bit_cast<float>(load_le32(data + 8 * i)), im = std::bit_cast<float>(load_le32(data + 8 * i + 4));
      finite = finite && std::isfinite(re) && std::isfinite(im);
      s.complex_values[i] = {re, im};
    }
    s.power = 0.0;
  } else {
    s.values.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
      const float v = type == Type::f4 ? std::bit_cast<float>(load_le32(data + 4 * i))
                                       : static_cast<float>(std::bit_cast<double>(load_le64(data + 8 * i)));
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
    std::vector<std::uint8_t> text;
    try {
      text = read_file_bytes(companion, "a JSON file", "record_bytes");
    } catch (const DataError& e) {
      throw DataError(companion.string() + ": " + e.what());
    }
    const auto info = parse_json(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()),
                                 companion.string());
    try {
      s.set_info(info);
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
