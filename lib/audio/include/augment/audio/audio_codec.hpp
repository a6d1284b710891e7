#pragma once
// Reading and writing audio files (WAV, FLAC, OGG/Vorbis, AIFF) through libsndfile.
//
// Reading gives planar float samples (libsndfile's normalisation: an n-bit integer sample s
// becomes s / 2^(n-1), so 16-bit values are multiples of 1/32768 in [-1, 1)); float files keep
// their values. Any channel count. Audio::file_format keeps the source's SF_FORMAT major format
// and subtype, so writing to the same container keeps its bit depth. Float holds 24 significant
// bits: 32-bit integer and float64 files are also read in double into Audio::source_channels,
// which the writer uses while the audio is unchanged (see there), so they too come back bit for
// bit; a float64 value beyond float's range is an error.
//
// A file that cannot be used is a DataError "PATH: reason": missing, empty (0 bytes), not audio
// (libsndfile's message), truncated (the header promises more frames than the file holds: a
// WAV or AIFF whose data chunk runs past the end of the file, or a FLAC that ends early — a
// truncated Ogg file is not detected, its length comes from its last page), no audio (0
// frames), a sample rate of 0, or NaN/infinite values in a float file. An odd-sized data chunk
// without its pad byte (libsndfile's own 8-bit mono and GSM files) is not a truncation.
//
// Writing encodes in memory through libsndfile's virtual I/O, then copies the bytes to the
// stream. The format (output_format) is chosen from the output extension and the source:
//   - the same container as the source: the source's subtype (bit depth, Vorbis...) is kept;
//   - .wav / .aiff from another container: the source's PCM depth (8/16/24/32-bit) when it has
//     one, else 32-bit float (lossy sources, audio made in memory: file_format 0);
//   - .flac: the source's depth when it is 8 or 16-bit, else 24-bit (FLAC holds no float; 24 bits is the
//     most libsndfile writes);
//   - .ogg: Vorbis at libsndfile's default quality (lossy).
// Integer formats are quantised by the codec, rounding to the nearest level and clipping values
// outside [-1, 1) (libsndfile 1.2 would truncate toward zero, and wrap without SFC_SET_CLIPPING):
// level = clamp(round(x·2^(n-1)), −2^(n-1), 2^(n-1) − 1), the exact inverse of reading, so an
// integer file read and written again keeps every sample and the error is at most half a step.
// So do float32/64, µ-law and A-law files, and DWVW in AIFF. Lossy codecs in WAV/AIFF (IMA,
// Microsoft, NMS, VOX ADPCM, G.721/G.723, GSM 6.10) are encoded again in their codec, which
// changes samples as Vorbis does.
// Float formats keep values beyond ±1. Output bytes are a function of the audio
// alone: the float WAV/AIFF PEAK chunk (which holds the time of writing) is left out, and the
// random Ogg stream serial number libsndfile picks is replaced by a fixed one (CRCs updated).
// The writer refuses audio with non-finite values, and what a format cannot hold (FLAC over 8
// channels or 655,350 Hz) — a DataError with the reason.
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "augment/audio/audio.hpp"
#include "augment/core/sample_codec.hpp"

namespace augment::audio {

class AudioCodec final : public SampleCodec {
 public:
  Kind kind() const override { return Kind::audio; }
  /// .wav .flac .ogg .aiff .aif
  std::vector<std::string> extensions() const override;
  Sample read(const std::filesystem::path& file) const override;
  /// Encodes in the format output_format chooses for `extension`.
  void write(const Sample& sample, const std::string& extension, std::ostream& out) const override;
};

/// Decodes an audio file held in memory as read() does. Throws DataError with the bare reason.
Audio decode_audio(std::span<const std::uint8_t> bytes);

/// Encodes as write() does (extension with the dot, any case). Throws DataError with the reason.
std::vector<std::uint8_t> encode_audio(const Audio& audio, const std::string& extension);

/// The SF_FORMAT (major | subtype) written for audio read as `source_format` (0: made in
/// memory) to a file with `extension`, by the rules above. Throws DataError for an extension
/// that is not an audio format.
int output_format(int source_format, const std::string& extension);

}  // namespace augment::audio
