#pragma once
// An audio sample: planar float samples (one vector per channel, all the same length; full scale
// is [-1, 1]), the sample rate, and the file format it was read from so writing keeps it (with
// the source's own values when float is coarser than the file).
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "augment/core/sample.hpp"

namespace augment::audio {

struct Audio {
  int sample_rate = 0;  // Hz, > 0
  /// channels[c][i] is frame i of channel c.
  std::vector<std::vector<float>> channels;
  /// libsndfile's SF_FORMAT_* (major format | subtype) of the file it came from, so the writer
  /// keeps container and bit depth; 0 for audio made in memory (written as 32-bit float).
  int file_format = 0;
  /// The samples as read, for sources finer than float: 32-bit integer (31 bits and a sign) and
  /// 64-bit float files; empty for every other source. The writer uses them instead of
  /// `channels` while the audio is as read — same layout, and every float sample still equal to
  /// its source value rounded to float (a 0 dB gain, an op that did nothing) — so such a file read
  /// and written again keeps every sample. An op that changes the audio need not touch them:
  /// any change of a float sample makes the writer ignore them.
  std::vector<std::vector<double>> source_channels;

  int channel_count() const { return static_cast<int>(channels.size()); }
  std::size_t frames() const { return channels.empty() ? 0 : channels.front().size(); }
  double duration() const { return sample_rate > 0 ? static_cast<double>(frames()) / sample_rate : 0.0; }
};

inline Sample make_sample(Audio audio) { return Sample(Kind::audio, std::move(audio)); }
inline Audio& audio_of(Sample& sample) { return sample.as<Audio>(); }
inline const Audio& audio_of(const Sample& sample) { return sample.as<Audio>(); }

/// Throws UsageError "<what>: reason" unless the audio has a positive rate, at least one
/// channel, channels of equal length, and only finite values.
void check_audio(const Audio& audio, const std::string& what);
/// The same checks but the values' (for stages that find non-finite values in their output
/// anyway and then call check_audio for the message).
void check_audio_layout(const Audio& audio, const std::string& what);

/// Whether no value is NaN or infinite; branch-free, so it vectorises.
bool all_finite(std::span<const float> values);

}  // namespace augment::audio
