#pragma once
// to_mono: one channel, the average of all channels, frame by frame (mono audio is unchanged).
// The file format is kept.
#include "augment/audio/audio.hpp"
#include "augment/core/registry.hpp"

namespace augment::audio {

/// out[i] = (1/C)·sum_c audio.channels[c][i]. Throws UsageError on invalid audio.
Audio to_mono(const Audio& audio);

class ToMono final : public Transform {
 public:
  ToMono(const OpInfo& info, const nlohmann::json& settings) : Transform(info, settings) {}
  void apply(Sample& sample, const nlohmann::json& params) const override;
};

OpInfo to_mono_op();

}  // namespace augment::audio
