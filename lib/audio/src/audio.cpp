#include "augment/audio/audio.hpp"

#include <bit>
#include <cmath>
#include <cstdint>

#include "augment/core/error.hpp"

namespace augment::audio {

// An exponent of all ones marks NaN and infinity. Branch-free: this runs on every stage's input,
// and a per-value isfinite() with an early exit cost as much as a spectrogram's FFTs.
bool all_finite(std::span<const float> values) {
  std::uint32_t non_finite = 0;
  for (float v : values) {
    const auto bits = std::bit_cast<std::uint32_t>(v);
    non_finite |= static_cast<std::uint32_t>((bits & 0x7f800000u) == 0x7f800000u);
  }
  return non_finite == 0;
}

void check_audio_layout(const Audio& audio, const std::string& what) {
  if (audio.sample_rate <= 0)
    throw UsageError(what + ": sample rate must be > 0, got " + std::to_string(audio.sample_rate));
  if (audio.channels.empty()) throw UsageError(what + ": audio has no channels");
  const std::size_t frames = audio.frames();
  for (std::size_t c = 0; c < audio.channels.size(); ++c) {
    const auto& channel = audio.channels[c];
    if (channel.size() != frames)
      throw UsageError(what + ": channel " + std::to_string(c) + " has " + std::to_string(channel.size()) +
                       " frames, channel 0 has " + std::to_string(frames));
  }
}

void check_audio(const Audio& audio, const std::string& what) {
  check_audio_layout(audio, what);
  for (std::size_t c = 0; c < audio.channels.size(); ++c) {
    const auto& channel = audio.channels[c];
    if (all_finite(channel)) continue;
    for (std::size_t i = 0; i < channel.size(); ++i)
      if (!std::isfinite(channel[i]))
        throw UsageError(what + ": channel " + std::to_string(c) + " frame " + std::to_string(i) + " is not finite");
  }
}

}  // namespace augment::audio
