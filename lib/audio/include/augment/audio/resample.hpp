#pragma once
// resample: changes the sample rate through libsoxr (band-limited, linear phase), each channel
// on its own (one soxr_oneshot per channel, no threads), so the result is deterministic.
// Output length: soxr_oneshot's, round(frames·rate / source rate) (e.g. 44,100 frames at 44.1 kHz
// give 16,000 at 16 kHz; 1,000 frames at 44.1 kHz give 363). Content above the new Nyquist
// frequency is filtered out (tested: a full-scale tone above it comes out below −60 dB at every
// quality but quick, which only interpolates). Values are not clipped: band-limiting can
// overshoot ±1 near full-scale steps (an integer file clips them when written). Audio already at
// the target rate is returned unchanged. The file format is kept.
#include <string>

#include "augment/audio/audio.hpp"
#include "augment/core/registry.hpp"

namespace augment::audio {

/// libsoxr's recipes: quick (cubic interpolation), low (16-bit), medium (16-bit, steeper),
/// high (20-bit), very_high (28-bit).
enum class ResampleQuality { quick, low, medium, high, very_high };

/// "quick" | "low" | "medium" | "high" | "very_high"; throws std::invalid_argument otherwise.
ResampleQuality parse_resample_quality(const std::string& name);

/// `audio` at `rate` Hz (> 0). Throws UsageError for a bad rate or audio, Error when soxr fails.
Audio resample(const Audio& audio, int rate, ResampleQuality quality = ResampleQuality::high);

class Resample final : public Transform {
 public:
  Resample(const OpInfo& info, const nlohmann::json& settings);
  void apply(Sample& sample, const nlohmann::json& params) const override;

 private:
  int rate_;
  ResampleQuality quality_;
};

OpInfo resample_op();

}  // namespace augment::audio
