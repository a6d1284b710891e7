#pragma once
// Spectrogram files: NumPy .npy (format 1.0) holding the values, shape (channels, bins, frames)
// in C order, plus a companion `<stem>.json` beside it with how the spectrogram was made
// (Spectrogram::info()). numpy.load refuses extra keys in the .npy header, hence the companion.
//
// Writing: '<f4' for real values, '<c8' for complex ones (always little-endian). Reading: '<f4',
// '<f8' (rounded to float) and '<c8', C order, 3-D (channels, bins, frames) or 2-D (bins, frames,
// one channel); the companion JSON is applied when present, otherwise the info keeps its defaults
// (sample rate 0: unknown; a complex file gets power 0). A missing, truncated or malformed file,
// another dtype, Fortran order, NaN/inf values, or a companion that is not valid info is a
// DataError "PATH: reason".
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "augment/audio/spectrogram.hpp"
#include "augment/core/sample_codec.hpp"

namespace augment::audio {

class SpectrogramCodec final : public SampleCodec {
 public:
  Kind kind() const override { return Kind::spectrogram; }
  /// .npy
  std::vector<std::string> extensions() const override { return {".npy"}; }
  Sample read(const std::filesystem::path& file) const override;
  void write(const Sample& sample, const std::string& extension, std::ostream& out) const override;
  /// `<output stem>.json` with the spectrogram's info().
  void write_companions(const Sample& sample, const std::filesystem::path& output, Durability durability) const override;
};

/// The .npy bytes of a spectrogram's values (as write() writes them).
std::vector<std::uint8_t> encode_npy(const Spectrogram& spectrogram);

/// Parses .npy bytes into the values and shape of a Spectrogram (info left at its defaults,
/// power 0 for complex data). Throws DataError with the bare reason.
Spectrogram decode_npy(std::span<const std::uint8_t> bytes);

/// Where the companion JSON of a spectrogram file goes: `<folder>/<stem>.json`.
std::filesystem::path companion_path(const std::filesystem::path& file);

}  // namespace augment::audio
