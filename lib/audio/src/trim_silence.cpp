#include "augment/audio/trim_silence.hpp"

#include <algorithm>
#include <cmath>

#include "augment/core/error.hpp"

namespace augment::audio {

std::pair<std::size_t, std::size_t> non_silent_range(const Audio& audio, const TrimSettings& settings) {
  check_audio(audio, "trim_silence");
  if (settings.frame_length == 0 || settings.hop_length == 0 || !(settings.top_db > 0))
    throw UsageError("trim_silence: frame_length and hop_length must be >= 1 and top_db > 0");
  const std::size_t length = audio.frames();
  const std::size_t half = settings.frame_length / 2;
  const std::size_t frame_count = 1 + (length + 2 * half - settings.frame_length) / settings.hop_length;

  // The loudest frame of each time step over channels: the dB of each is relative to the
  // overall maximum, and the maximum over channels is taken last, so max of rms gives the same.
  std::vector<double> loudest(frame_count, 0.0);
  for (const auto& channel : audio.channels) {
    // Prefix sums of x² make each frame's energy O(1).
    std::vector<double> energy(length + 1, 0.0);
    for (std::size_t i = 0; i < length; ++i) energy[i + 1] = energy[i] + static_cast<double>(channel[i]) * channel[i];
    for (std::size_t t = 0; t < frame_count; ++t) {
      // Frame t covers padded samples [t·hop, t·hop + frame_length), i.e. signal samples from
      // t·hop − half; the zero padding adds nothing to the sum.
      const std::size_t begin = std::min(length, std::max(t * settings.hop_length, half) - half);
      const std::size_t end = std::min(length, std::max(t * settings.hop_length + settings.frame_length, half) - half);
      const double sum = std::max(0.0, energy[end] - energy[begin]);
      loudest[t] = std::max(loudest[t], std::sqrt(sum / static_cast<double>(settings.frame_length)));
    }
  }
  constexpr double kAmin = 1e-5;  // librosa's amplitude_to_db floor
  const double reference = 20.0 * std::log10(std::max(kAmin, *std::max_element(loudest.begin(), loudest.end())));
  std::size_t first = frame_count, last = 0;
  for (std::size_t t = 0; t < frame_count; ++t) {
    if (20.0 * std::log10(std::max(kAmin, loudest[t])) - reference > -settings.top_db) {
      first = std::min(first, t);
      last = t;
    }
  }
  if (first == frame_count) return {0, 0};
  return {std::min(length, first * settings.hop_length), std::min(length, (last + 1) * settings.hop_length)};
}

Audio trim_silence(const Audio& audio, const TrimSettings& settings) {
  const auto [start, end] = non_silent_range(audio, settings);
  Audio out;
  out.sample_rate = audio.sample_rate;
  out.file_format = audio.file_format;
  for (const auto& channel : audio.channels)
    out.channels.emplace_back(channel.begin() + static_cast<std::ptrdiff_t>(start),
                              channel.begin() + static_cast<std::ptrdiff_t>(end));
  return out;
}

TrimSilence::TrimSilence(const OpInfo& info, const nlohmann::json& settings)
    : Transform(info, settings),
      trim_{settings["top_db"].get<double>(), settings["frame_length"].get<std::size_t>(),
            settings["hop_length"].get<std::size_t>()} {}

void TrimSilence::apply(Sample& sample, const nlohmann::json&) const {
  Audio& audio = audio_of(sample);
  audio = trim_silence(audio, trim_);
}

OpInfo trim_silence_op() {
  return {
      .name = "trim_silence",
      .input = Kind::audio,
      .output = Kind::audio,
      .doc = "Cuts leading and trailing silence as librosa.effects.trim: frame RMS in dB relative to the loudest "
             "frame; keeps the first to the last frame above −top_db.",
      .params = {{.name = "top_db", .default_value = 60.0, .minimum = 0.001, .maximum = 200.0,
                  .doc = "frames quieter than the loudest by more than this are silence, dB"},
                 {.name = "frame_length", .type = ParamType::integer, .default_value = 2048, .minimum = 1.0,
                  .maximum = 1048576.0, .doc = "samples per RMS frame"},
                 {.name = "hop_length", .type = ParamType::integer, .default_value = 512, .minimum = 1.0,
                  .maximum = 1048576.0, .doc = "samples between frames"}},
      .random = false,
      .create = make_transform<TrimSilence>,
  };
}

}  // namespace augment::audio
