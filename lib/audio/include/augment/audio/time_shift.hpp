#pragma once
// time_shift: moves the audio in time by a whole number of frames, the same for every channel.
// A positive shift delays it (content moves to later frames), a negative one advances it.
// The shift is `shift` seconds (frames = round(shift·sample_rate)) or, with unit "fraction", a
// fraction of the length in [-1, 1] (frames = round(shift·length)); round() is to the nearest,
// halves away from zero. With a [lo, hi] range a shift is drawn per sample (an augmentation).
// mode "roll": frames pushed past one end come back at the other (np.roll); "zero_fill": they
// are dropped and the vacated frames are 0 (a shift of the whole length or more gives silence).
// The length and file format are kept.
#include <cstdint>

#include "augment/audio/audio.hpp"
#include "augment/core/registry.hpp"

namespace augment::audio {

enum class ShiftMode { roll, zero_fill };

/// Shifts every channel by `frames` (positive: later) in place.
void shift_frames(Audio& audio, std::int64_t frames, ShiftMode mode);

class TimeShift final : public Transform {
 public:
  TimeShift(const OpInfo& info, const nlohmann::json& settings);
  /// Random only when shift is a range.
  bool is_random() const override { return settings()["shift"].is_array(); }
  /// {"shift": s} in the op's unit.
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;

 private:
  bool fraction_;
  ShiftMode mode_;
};

OpInfo time_shift_op();

}  // namespace augment::audio
