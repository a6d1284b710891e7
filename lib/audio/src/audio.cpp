#include "augment/audio/audio.hpp"

#include <cmath>

#include "augment/core/error.hpp"

namespace augment::audio {

void check_audio(const Audio& audio, const std::string& what) {
  if (audio.sample_rate <= 0)
    throw UsageError(what + ": sample rate must be > 0, got " + std::to_string(audio.sample_rate));
  if (audio.channels.empty()) throw UsageError(what + ": audio has no channels");
  const std::size_t frames = audio.frames();
  for (std::size_t c = 0; c < audio.channels.size(); ++c) {
    const auto& channel = audio.channels[c];
    if (channel.size() != frames)
      throw UsageError(what + ": channel " + std::to_string(c) + " has " + std::to_string(channel.size()) +
                       " frames, channel 0 has " + std::to_string(frames));
    for (std::size_t i = 0; i < channel.size(); ++i)
      if (!std::isfinite(channel[i]))
        throw UsageError(what + ": channel " + std::to_string(c) + " frame " + std::to_string(i) + " is not finite");
  }
}

}  // namespace augment::audio
