#pragma once
// trim_silence: librosa.effects.trim. Frames of frame_length samples every hop_length, centred
// (frame t covers samples t·hop − frame_length/2 ... with zeros beyond the ends, as
// librosa.feature.rms with center=True); each frame's RMS per channel in dB relative to the
// loudest frame of any channel (20·log10(max(1e-5, rms)) − 20·log10(max(1e-5, max rms))); a frame
// is non-silent when that, maximised over channels, exceeds −top_db. The audio keeps samples
// [first non-silent frame·hop, min(length, (last non-silent frame + 1)·hop)). As in librosa,
// audio that is silent throughout (all frames within top_db of the loudest — e.g. all zeros)
// is kept whole. The file format is kept.
#include <cstddef>
#include <utility>

#include "augment/audio/audio.hpp"
#include "augment/core/registry.hpp"

namespace augment::audio {

struct TrimSettings {
  double top_db = 60.0;
  std::size_t frame_length = 2048;
  std::size_t hop_length = 512;
};

/// The [start, end) sample range librosa.effects.trim keeps.
std::pair<std::size_t, std::size_t> non_silent_range(const Audio& audio, const TrimSettings& settings);

/// `audio` cut to non_silent_range.
Audio trim_silence(const Audio& audio, const TrimSettings& settings);

class TrimSilence final : public Transform {
 public:
  TrimSilence(const OpInfo& info, const nlohmann::json& settings);
  void apply(Sample& sample, const nlohmann::json& params) const override;

 private:
  TrimSettings trim_;
};

OpInfo trim_silence_op();

}  // namespace augment::audio
