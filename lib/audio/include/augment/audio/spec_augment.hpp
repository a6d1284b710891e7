#pragma once
// SpecAugment (Park et al., "SpecAugment: A Simple Data Augmentation Method for Automatic Speech
// Recognition", 2019) on spectrograms: `freq_mask`, `time_mask`, `time_warp`, and `spec_augment`
// (time warp, then frequency masks, then time masks, with the paper's policies as presets).
//
// Mask law. A mask is a run of whole bins (or frames) [start, start + width). Its width is drawn
// uniformly from {0, ..., min(F − 1, limit)}: F itself is excluded, as in the paper's reference
// TensorFlow code (uniform int32 in [0, F)) and torchaudio's mask_along_axis (floor(rand·F)), so
// F = 27 means widths 0..26 as those give. `limit` is the axis length (bins ν, frames τ); for
// time masks it is also floor(p·τ), the paper's cap on the proportion of frames one mask hides.
// So an F wider than the axis is clamped, not an error: one pipeline serves utterances of every
// length. The start is uniform in {0, ..., axis − width}, both ends included, so every placement
// wholly inside the axis is equally likely — the paper's half-open [0, ν − f) would never mask
// the last bin with a narrow mask and is empty when f = ν. Masks may overlap; a width of 0 masks
// nothing. Every channel gets the same masks. Drawn masks are recorded as [start, width].
//
// Mask value. "auto" (the default), "zero", or "mean": the mean of each channel (all its bins and frames) of the
// spectrogram as the op receives it — before any of its masks, so the value does not depend on
// how many masks there are or in which order they fall (spec_augment takes it after the warp).
// The mean suits dB or log-mel input, where 0 is a loud value (ESPnet's replace_with_zero=False,
// common in NeMo recipes); per channel so each channel of a multichannel recording keeps its level.
// "auto" takes the mean on log-scaled input (after db or mfcc, or any negative value, as a log-mel
// read from a file has) and zero on power or magnitude, where zero is silence: torchaudio's fixed
// 0 on a dB spectrogram fills masks with a level near the loudest. "zero" gives torchaudio's fill.
//
// Time warp. The ESPnet-style warp: a centre c uniform in {W, ..., τ − W − 1} and a shift w
// uniform in {−W, ..., W}; frames [0, c) are resampled onto [0, c + w) and [c, τ) onto
// [c + w, τ), by linear interpolation along time in each bin, with half-frame-centred sample
// positions (torch's interpolate with align_corners=False, as ESPnet uses; ESPnet's mode is
// bicubic, the paper's sparse_image_warp a smooth spline — linear is chosen because it never
// overshoots: a dB floor or a monotone ramp stays within its values). At the law's extreme,
// c = W and w = −W, the left part is squeezed to nothing and its frames are dropped; the paper's
// law allows it (ESPnet's w ∈ {−W + 1..W} avoids it by an asymmetry). A spectrogram of τ ≤ 2W
// frames has no room for the centre and is left unchanged (as ESPnet does), recorded as
// {"centre": 0, "warp": 0}; clamping W instead would warp short utterances proportionally harder
// than the policy meant. Recorded as {"centre": c, "warp": w}.
//
// Complex spectrograms (from `stft`): masks with "zero" zero both the real and imaginary parts;
// "mean" is refused (the mean of a complex STFT is near zero and no level of the signal), and so
// is time_warp (interpolating between frames of different phase cancels energy).
//
// Bad input. Every op throws UsageError on a spectrogram without a channel, bin or frame, whose
// value count does not match its shape, or holding a NaN or infinite value (masking would hide
// or spread it silently), and on params that do not fit the spectrogram (a recorded mask beyond
// the axis, a warp whose parts fall outside the frames): a record replays only where it was made.
#include <string_view>
#include <vector>

#include "augment/audio/spectrogram.hpp"
#include "augment/core/registry.hpp"

namespace augment::audio {

/// Whole bins or frames [start, start + width) along one axis.
struct AxisMask {
  int start = 0;
  int width = 0;
};

/// automatic: the mean on a log-scaled spectrogram (marked as decibels, or holding a negative
/// value), where 0 is a loud level; zero on power or magnitude, where 0 is silence.
enum class MaskValue { automatic, zero, mean };


/// The widest mask allowed on an axis of `length` by a max width `max_width` (F or T, excluded)
/// and, for time, the proportion `max_proportion` (p): min(F − 1, length), and for p < 1 also
/// at most int(p·length) − 1, as torchaudio's mask_along_axis (its mask parameter becomes
/// min(T, int(p·length)), widths drawn below it; the product truncated in double). −1 when no
/// width can be drawn (F = 0, or int(p·length) = 0): masks are empty.
int max_mask_width(int max_width, int length, double max_proportion = 1.0);

/// Draws `count` masks on an axis of `length`: width uniform in {0..widest} (0 when widest < 0),
/// then start uniform in {0..length − width}.
std::vector<AxisMask> draw_axis_masks(Rng& rng, int count, int widest, int length);

/// The value each channel's masks are filled with: 0, or that channel's mean (automatic picks
/// one as MaskValue says; zero on a complex STFT). Throws UsageError for "mean" on a complex
/// spectrogram.
std::vector<float> mask_fill_values(const Spectrogram& spectrogram, MaskValue value);

/// Sets the masked bins (frequency) or frames (time) of every channel to fill[channel] (complex:
/// to fill[channel] + 0i). Throws UsageError when a mask lies outside the axis.
void mask_bins(Spectrogram& spectrogram, const std::vector<AxisMask>& masks, const std::vector<float>& fill);
void mask_frames(Spectrogram& spectrogram, const std::vector<AxisMask>& masks, const std::vector<float>& fill);

/// Resamples frames [0, centre) onto [0, centre + warp) and [centre, frames) onto
/// [centre + warp, frames), linearly along time. warp = 0 leaves the values as they are.
/// A part may be squeezed to nothing (its frames dropped). Throws UsageError on a complex
/// spectrogram, when centre or centre + warp falls outside [0, frames], or when a part would be
/// stretched from nothing (centre 0 or frames with warp ≠ 0).
void warp_time(Spectrogram& spectrogram, int centre, int warp);

/// The parameters of spec_augment: W, F, mF, T, p, mT in the paper's notation.
struct SpecAugmentPolicy {
  int max_warp = 0;                  // W
  int freq_max_width = 0;            // F
  int freq_masks = 0;                // mF
  int time_max_width = 0;            // T
  double time_max_proportion = 1.0;  // p
  int time_masks = 0;                // mT
  bool operator==(const SpecAugmentPolicy&) const = default;
};

/// The paper's policies (Table 1): "LB", "LD" (LibriSpeech basic, double), "SM", "SS"
/// (Switchboard mild, strong). Throws std::invalid_argument on another name.
SpecAugmentPolicy spec_augment_preset(std::string_view name);

/// The policy that spec_augment's resolved settings describe: the preset's values with every
/// explicitly given one replacing its own; under "custom", all six must be given.
/// Throws std::invalid_argument naming what is missing.
SpecAugmentPolicy spec_augment_policy(const nlohmann::json& settings);

class FreqMask final : public Transform {
 public:
  FreqMask(const OpInfo& info, const nlohmann::json& settings) : Transform(info, settings) {}
  /// {"masks": [[start, width], ...]} in bins.
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;
};

class TimeMask final : public Transform {
 public:
  TimeMask(const OpInfo& info, const nlohmann::json& settings) : Transform(info, settings) {}
  /// {"masks": [[start, width], ...]} in frames.
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;
};

class TimeWarp final : public Transform {
 public:
  TimeWarp(const OpInfo& info, const nlohmann::json& settings) : Transform(info, settings) {}
  /// {"centre": c, "warp": w} in frames.
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;
};

class SpecAugment final : public Transform {
 public:
  SpecAugment(const OpInfo& info, const nlohmann::json& settings);
  /// {"time_warp": {"centre", "warp"} or null when W = 0, "freq_masks": [[start, width], ...],
  ///  "time_masks": [[start, width], ...]}.
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;
  const SpecAugmentPolicy& policy() const { return policy_; }

 private:
  SpecAugmentPolicy policy_;
};

OpInfo freq_mask_op();
OpInfo time_mask_op();
OpInfo time_warp_op();
OpInfo spec_augment_op();

}  // namespace augment::audio
