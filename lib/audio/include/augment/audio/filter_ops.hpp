#pragma once
// lowpass, highpass, bandpass, bandstop: Butterworth filters (butterworth.hpp, designed as
// scipy.signal.butter(order, cutoffs, btype, output='sos')) run over each channel in double
// precision (sos_filter.hpp), causal like sosfilt or zero-phase like sosfiltfilt.
//
// Response: order N gives −3 dB at the cutoff and a stop-band slope of 6·N dB/octave (band filters
// are of order 2·N overall, 6·N dB/octave on each side); zero_phase squares the magnitude (−6 dB
// at the cutoff, 12·N dB/octave) and removes the phase shift.
//
// Parameters: lowpass and highpass take cutoff_hz, the band filters low_hz and high_hz (the
// band's edges), each a number or a [lo, hi] range drawn uniformly per sample. Every value of
// low_hz must be below every value of high_hz (checked when the pipeline is built), and every
// cutoff below the audio's Nyquist frequency (checked on each sample: UsageError naming the rate).
// With fixed cutoffs the op is preprocessing (deterministic, run by fit and preprocess); with a
// range it is an augmentation and draw() records the cutoffs it drew ({"cutoff_hz": f} or
// {"low_hz": f1, "high_hz": f2}).
#include "augment/audio/audio.hpp"
#include "augment/audio/butterworth.hpp"
#include "augment/core/registry.hpp"

namespace augment::audio {

/// Filters every channel of `audio` with the order-`order` Butterworth filter of `band`; cutoffs
/// in Hz (`high_hz` only for the band filters). Throws UsageError when a cutoff is not in
/// (0, Nyquist) or low_hz >= high_hz.
void butterworth_filter(Audio& audio, FilterBand band, int order, double low_hz, double high_hz, bool zero_phase);

class ButterworthFilter final : public Transform {
 public:
  ButterworthFilter(const OpInfo& info, const nlohmann::json& settings, FilterBand band);
  bool is_random() const override { return random_; }
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;

 private:
  FilterBand band_;
  bool random_;
};

OpInfo lowpass_op();
OpInfo highpass_op();
OpInfo bandpass_op();
OpInfo bandstop_op();

}  // namespace augment::audio
