#pragma once
// gain: multiplies every sample by 10^(db/20). With db a [lo, hi] range a value is drawn
// uniformly per sample (an augmentation); a single value is deterministic (preprocessing).
//
// normalize: one gain for all channels so that the peak (max |x| over every channel) or the
// RMS (sqrt of the mean of x² over every channel and frame) reaches `level_db` dBFS (level
// 20·log10 of the value: a full-scale square wave has RMS 0 dBFS, a full-scale sine −3.01 dBFS).
// Silent audio (all zeros) is left unchanged: no gain reaches a level from nothing.
//
// Neither clips: values may leave [-1, 1], and an integer file format clips them when written
// (audio_codec.hpp); a float format keeps them. The file format is kept.
#include "augment/audio/audio.hpp"
#include "augment/core/registry.hpp"

namespace augment::audio {

/// Multiplies every sample by 10^(db/20) in place.
void apply_gain(Audio& audio, double db);

enum class LevelMode { peak, rms };

/// The peak or RMS level of `audio` in dBFS; −infinity for silence.
double level_dbfs(const Audio& audio, LevelMode mode);

/// Scales `audio` so its level is `level_db` dBFS; silence unchanged.
void normalize_level(Audio& audio, LevelMode mode, double level_db);

class Gain final : public Transform {
 public:
  Gain(const OpInfo& info, const nlohmann::json& settings) : Transform(info, settings) {}
  /// Random only when db is a range.
  bool is_random() const override { return settings()["db"].is_array(); }
  /// {"db": d}
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;
};

class Normalize final : public Transform {
 public:
  Normalize(const OpInfo& info, const nlohmann::json& settings);
  void apply(Sample& sample, const nlohmann::json& params) const override;

 private:
  LevelMode mode_;
  double level_db_;
};

OpInfo gain_op();
OpInfo normalize_op();

}  // namespace augment::audio
