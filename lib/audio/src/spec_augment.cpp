#include "augment/audio/spec_augment.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "augment/audio/stft.hpp"

namespace augment::audio {
namespace {

constexpr double max_axis_param = 100000;  // widths and warps, in bins or frames
constexpr double max_mask_count = 1000;

MaskValue mask_value_of(const nlohmann::json& settings) {
  const std::string value = settings.at("mask_value").get<std::string>();
  if (value == "mean") return MaskValue::mean;
  return value == "zero" ? MaskValue::zero : MaskValue::automatic;
}

// Power and magnitude are never negative; dB and log values of real recordings are.
bool is_log_scaled(const Spectrogram& s) {
  return s.decibels || std::any_of(s.values.begin(), s.values.end(), [](float v) { return v < 0.0f; });
}

int setting_int(const nlohmann::json& settings, const char* name) {
  return static_cast<int>(settings.at(name).get<std::int64_t>());
}

nlohmann::json masks_to_json(const std::vector<AxisMask>& masks) {
  nlohmann::json out = nlohmann::json::array();
  for (const AxisMask& m : masks) out.push_back({m.start, m.width});
  return out;
}

// Recorded masks: a list of [start, width] in whole bins or frames. Bounds are checked when the
// masks are applied, against the spectrogram they are applied to.
std::vector<AxisMask> masks_from_json(const nlohmann::json& params, const char* name) {
  if (!params.is_object() || !params.contains(name) || !params[name].is_array())
    throw UsageError(std::string("params need a list \"") + name + "\" of [start, width], got " + params.dump());
  std::vector<AxisMask> masks;
  for (const auto& m : params[name]) {
    const bool ok = m.is_array() && m.size() == 2 && m[0].is_number_integer() && m[1].is_number_integer();
    if (!ok) throw UsageError("a mask must be [start, width] in whole bins or frames, got " + m.dump());
    // Clamped so a wild record cannot overflow int; the bounds check then rejects it.
    auto v = [&m](int i) { return static_cast<int>(std::clamp<std::int64_t>(m[i].get<std::int64_t>(), -1, 1 << 30)); };
    masks.push_back({v(0), v(1)});
  }
  return masks;
}

std::array<int, 2> warp_from_json(const nlohmann::json& params) {
  auto integer = [&params](const char* name) {
    if (!params.is_object() || !params.contains(name) || !params[name].is_number_integer())
      throw UsageError(std::string("params need a whole number \"") + name + "\", got " + params.dump());
    return static_cast<int>(std::clamp<std::int64_t>(params[name].get<std::int64_t>(), -(1 << 30), 1 << 30));
  };
  return {integer("centre"), integer("warp")};
}

void check_masks(const std::vector<AxisMask>& masks, int length, const char* axis) {
  for (const AxisMask& m : masks)
    if (m.start < 0 || m.width < 0 || m.start > length - m.width)
      throw UsageError(std::string("mask [") + std::to_string(m.start) + ", " + std::to_string(m.width) +
                       "] does not fit in the " + std::to_string(length) + " " + axis + " of the spectrogram");
}

template <class Fill>
void for_each_masked(Spectrogram& s, Fill&& fill, auto&& in_mask) {
  for (int c = 0; c < s.channels; ++c)
    for (int b = 0; b < s.bins; ++b)
      for (int t = 0; t < s.frames; ++t)
        if (in_mask(b, t)) fill(s.index(c, b, t), c);
}

void fill_masked(Spectrogram& s, const std::vector<float>& fill, auto&& in_mask) {
  if (fill.size() != static_cast<std::size_t>(s.channels))
    throw UsageError("mask fill needs one value per channel: " + std::to_string(s.channels) + " channels, " +
                     std::to_string(fill.size()) + " values");
  if (s.is_complex())
    for_each_masked(s, [&](std::size_t i, int c) { s.complex_values[i] = {fill[static_cast<std::size_t>(c)], 0.0f}; },
                    in_mask);
  else
    for_each_masked(s, [&](std::size_t i, int c) { s.values[i] = fill[static_cast<std::size_t>(c)]; }, in_mask);
}

// One row's segment src[0, n_in) resampled onto dst[0, n_out) by linear interpolation with
// half-frame-centred positions: output i sits at source position (i + ½)·n_in/n_out − ½,
// clamped to the segment (torch's interpolate, align_corners=False). n_in = n_out copies.
void resample_segment(const float* src, int n_in, float* dst, int n_out) {
  if (n_in == n_out) {
    std::copy(src, src + n_in, dst);
    return;
  }
  const double scale = static_cast<double>(n_in) / n_out;
  for (int i = 0; i < n_out; ++i) {
    const double x = std::clamp((i + 0.5) * scale - 0.5, 0.0, static_cast<double>(n_in - 1));
    const int lo = static_cast<int>(x);
    const int hi = std::min(lo + 1, n_in - 1);
    const double frac = x - lo;
    dst[i] = static_cast<float>((1.0 - frac) * src[lo] + frac * src[hi]);
  }
}

// A part of the warp maps `from` frames onto `to` frames. It may be squeezed to nothing (the
// paper's law reaches that at c = W, w = −W) but cannot be stretched from nothing.
bool part_fits(int from, int to) { return from >= 0 && to >= 0 && (to == 0 || from > 0); }

nlohmann::json draw_warp(Rng& rng, int max_warp, int frames) {
  // No room for the centre in [W, τ − W): left unchanged, as ESPnet does.
  if (max_warp <= 0 || frames <= 2 * max_warp) return {{"centre", 0}, {"warp", 0}};
  const std::int64_t centre = rng.integer(max_warp, frames - max_warp - 1);
  const std::int64_t warp = rng.integer(-max_warp, max_warp);
  return {{"centre", centre}, {"warp", warp}};
}

std::vector<AxisMask> draw_time_masks(Rng& rng, int count, int max_width, double max_proportion, int frames) {
  return draw_axis_masks(rng, count, max_mask_width(max_width, frames, max_proportion), frames);
}

ParamSpec mask_value_param() {
  return {.name = "mask_value", .type = ParamType::string, .default_value = "auto", .choices = {"auto", "zero", "mean"},
          .doc = "fill of the masks: the mean of each channel before masking (refused on complex input), zero "
                 "(torchaudio's), or auto: the mean on dB or log values (0 dB is loud, not silence), zero on "
                 "power or magnitude"};
}

ParamSpec count_param(const char* doc) {
  return {.name = "count", .type = ParamType::integer, .default_value = 1, .minimum = 0, .maximum = max_mask_count,
          .doc = doc};
}

// spec_augment's policy overrides: optional (null), each replacing the preset's value when given.
ParamSpec override_param(const char* name, ParamType type, double maximum, const char* doc) {
  return {.name = name, .type = type, .default_value = nullptr, .minimum = 0.0, .maximum = maximum, .doc = doc};
}

}  // namespace

int max_mask_width(int max_width, int length, double max_proportion) {
  const int widest = std::min(max_width - 1, length);
  if (max_proportion >= 1.0) return widest;
  // torchaudio's _get_mask_param: the mask parameter becomes min(T, int(τ·p)), the product
  // truncated in double as Python's int() does (0.29·100 = 28.999… gives 28), and widths are
  // drawn below it. p = 1 leaves T as it is there too.
  const auto proportion_param = static_cast<int>(std::max(max_proportion, 0.0) * length);
  return std::min(widest, proportion_param - 1);
}

std::vector<AxisMask> draw_axis_masks(Rng& rng, int count, int widest, int length) {
  std::vector<AxisMask> masks;
  masks.reserve(static_cast<std::size_t>(std::max(count, 0)));
  for (int i = 0; i < count; ++i) {
    const int width = widest < 0 ? 0 : static_cast<int>(rng.integer(0, widest));
    const int start = static_cast<int>(rng.integer(0, length - width));
    masks.push_back({start, width});
  }
  return masks;
}

std::vector<float> mask_fill_values(const Spectrogram& s, MaskValue value) {
  std::vector<float> fill(static_cast<std::size_t>(std::max(s.channels, 0)), 0.0f);
  if (value == MaskValue::automatic) value = !s.is_complex() && is_log_scaled(s) ? MaskValue::mean : MaskValue::zero;
  if (value == MaskValue::zero) return fill;
  if (s.is_complex())
    throw UsageError("mask_value mean needs a real spectrogram (magnitude, power or dB), not a complex STFT");
  const std::size_t per_channel = static_cast<std::size_t>(s.bins) * static_cast<std::size_t>(s.frames);
  for (int c = 0; c < s.channels; ++c) {
    const auto first = s.values.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(c) * per_channel);
    double sum = 0.0;  // double: a float sum of ~10⁵ values loses the low digits
    for (auto it = first; it != first + static_cast<std::ptrdiff_t>(per_channel); ++it) sum += *it;
    fill[static_cast<std::size_t>(c)] = per_channel ? static_cast<float>(sum / static_cast<double>(per_channel)) : 0.0f;
  }
  return fill;
}

void mask_bins(Spectrogram& s, const std::vector<AxisMask>& masks, const std::vector<float>& fill) {
  check_masks(masks, s.bins, "bins");
  if (masks.empty()) return;
  std::vector<char> masked(static_cast<std::size_t>(s.bins), 0);
  for (const AxisMask& m : masks) std::fill_n(masked.begin() + m.start, m.width, 1);
  fill_masked(s, fill, [&masked](int b, int) { return masked[static_cast<std::size_t>(b)] != 0; });
}

void mask_frames(Spectrogram& s, const std::vector<AxisMask>& masks, const std::vector<float>& fill) {
  check_masks(masks, s.frames, "frames");
  if (masks.empty()) return;
  std::vector<char> masked(static_cast<std::size_t>(s.frames), 0);
  for (const AxisMask& m : masks) std::fill_n(masked.begin() + m.start, m.width, 1);
  fill_masked(s, fill, [&masked](int, int t) { return masked[static_cast<std::size_t>(t)] != 0; });
}

void warp_time(Spectrogram& s, int centre, int warp) {
  if (s.is_complex())
    throw UsageError("time_warp needs a real spectrogram (magnitude, power or dB): interpolating a complex STFT "
                     "between frames of different phase cancels energy");
  const int frames = s.frames;
  const int target = centre + warp;  // where the centre frame boundary moves to
  const bool inside = centre >= 0 && centre <= frames && target >= 0 && target <= frames;
  if (!inside || (warp != 0 && (!part_fits(centre, target) || !part_fits(frames - centre, frames - target))))
    throw UsageError("time warp of centre " + std::to_string(centre) + " by " + std::to_string(warp) +
                     " does not fit in " + std::to_string(frames) + " frames");
  if (warp == 0) return;
  std::vector<float> row(static_cast<std::size_t>(frames));
  for (int c = 0; c < s.channels; ++c)
    for (int b = 0; b < s.bins; ++b) {
      float* values = &s.values[s.index(c, b, 0)];
      std::copy(values, values + frames, row.begin());
      if (target > 0) resample_segment(row.data(), centre, values, target);
      if (target < frames) resample_segment(row.data() + centre, frames - centre, values + target, frames - target);
    }
}

SpecAugmentPolicy spec_augment_preset(std::string_view name) {
  // Park et al. 2019, Table 1.
  if (name == "LB") return {.max_warp = 80, .freq_max_width = 27, .freq_masks = 1, .time_max_width = 100,
                            .time_max_proportion = 1.0, .time_masks = 1};
  if (name == "LD") return {.max_warp = 80, .freq_max_width = 27, .freq_masks = 2, .time_max_width = 100,
                            .time_max_proportion = 1.0, .time_masks = 2};
  if (name == "SM") return {.max_warp = 40, .freq_max_width = 15, .freq_masks = 2, .time_max_width = 70,
                            .time_max_proportion = 0.2, .time_masks = 2};
  if (name == "SS") return {.max_warp = 40, .freq_max_width = 27, .freq_masks = 2, .time_max_width = 70,
                            .time_max_proportion = 0.2, .time_masks = 2};
  throw std::invalid_argument("unknown SpecAugment policy '" + std::string(name) + "' (known: LB, LD, SM, SS)");
}

SpecAugmentPolicy spec_augment_policy(const nlohmann::json& settings) {
  const std::string name = settings.at("policy").get<std::string>();
  const bool custom = name == "custom";
  SpecAugmentPolicy policy = custom ? SpecAugmentPolicy{} : spec_augment_preset(name);
  std::string missing;
  auto take = [&](const char* param, auto& field) {
    const nlohmann::json& v = settings.contains(param) ? settings.at(param) : nlohmann::json();
    if (v.is_null()) {
      if (custom) missing += (missing.empty() ? "" : ", ") + std::string(param);
      return;
    }
    field = v.get<std::remove_reference_t<decltype(field)>>();
  };
  take("max_warp", policy.max_warp);
  take("freq_max_width", policy.freq_max_width);
  take("freq_masks", policy.freq_masks);
  take("time_max_width", policy.time_max_width);
  take("time_max_proportion", policy.time_max_proportion);
  take("time_masks", policy.time_masks);
  if (!missing.empty()) throw std::invalid_argument("policy custom needs every parameter given; missing " + missing);
  return policy;
}

// ---------------------------------------------------------------------------------------------

nlohmann::json FreqMask::draw(Rng& rng, const Sample& sample) const {
  const int bins = spectrogram_of(sample).bins;
  const int widest = max_mask_width(setting_int(settings(), "max_width"), bins);
  return {{"masks", masks_to_json(draw_axis_masks(rng, setting_int(settings(), "count"), widest, bins))}};
}

void FreqMask::apply(Sample& sample, const nlohmann::json& params) const {
  const std::vector<AxisMask> masks = masks_from_json(params, "masks");
  Spectrogram& s = spectrogram_of(sample);
  check_spectrogram(s, "freq_mask");
  mask_bins(s, masks, mask_fill_values(s, mask_value_of(settings())));
}

nlohmann::json TimeMask::draw(Rng& rng, const Sample& sample) const {
  const std::vector<AxisMask> masks =
      draw_time_masks(rng, setting_int(settings(), "count"), setting_int(settings(), "max_width"),
                      settings().at("max_proportion").get<double>(), spectrogram_of(sample).frames);
  return {{"masks", masks_to_json(masks)}};
}

void TimeMask::apply(Sample& sample, const nlohmann::json& params) const {
  const std::vector<AxisMask> masks = masks_from_json(params, "masks");
  Spectrogram& s = spectrogram_of(sample);
  check_spectrogram(s, "time_mask");
  mask_frames(s, masks, mask_fill_values(s, mask_value_of(settings())));
}

nlohmann::json TimeWarp::draw(Rng& rng, const Sample& sample) const {
  return draw_warp(rng, setting_int(settings(), "max_warp"), spectrogram_of(sample).frames);
}

void TimeWarp::apply(Sample& sample, const nlohmann::json& params) const {
  const auto [centre, warp] = warp_from_json(params);
  Spectrogram& s = spectrogram_of(sample);
  check_spectrogram(s, "time_warp");
  warp_time(s, centre, warp);
}

SpecAugment::SpecAugment(const OpInfo& info, const nlohmann::json& settings)
    : Transform(info, settings), policy_(spec_augment_policy(settings)) {}

nlohmann::json SpecAugment::draw(Rng& rng, const Sample& sample) const {
  const Spectrogram& s = spectrogram_of(sample);
  nlohmann::json params;
  params["time_warp"] = policy_.max_warp > 0 ? draw_warp(rng, policy_.max_warp, s.frames) : nlohmann::json();
  params["freq_masks"] =
      masks_to_json(draw_axis_masks(rng, policy_.freq_masks, max_mask_width(policy_.freq_max_width, s.bins), s.bins));
  params["time_masks"] = masks_to_json(
      draw_time_masks(rng, policy_.time_masks, policy_.time_max_width, policy_.time_max_proportion, s.frames));
  return params;
}

void SpecAugment::apply(Sample& sample, const nlohmann::json& params) const {
  // Everything read and checked before the sample is touched, so a bad record changes nothing.
  const std::vector<AxisMask> freq_masks = masks_from_json(params, "freq_masks");
  const std::vector<AxisMask> time_masks = masks_from_json(params, "time_masks");
  if (!params.contains("time_warp"))
    throw UsageError("params need \"time_warp\" ({\"centre\", \"warp\"} or null), got " + params.dump());
  const nlohmann::json& warp_params = params["time_warp"];
  Spectrogram& s = spectrogram_of(sample);
  check_spectrogram(s, "spec_augment");
  check_masks(freq_masks, s.bins, "bins");
  check_masks(time_masks, s.frames, "frames");
  if (!warp_params.is_null()) {
    const auto [centre, warp] = warp_from_json(warp_params);
    warp_time(s, centre, warp);
  }
  // One fill for both kinds of mask, taken after the warp and before any mask.
  const std::vector<float> fill = mask_fill_values(s, mask_value_of(settings()));
  mask_bins(s, freq_masks, fill);
  mask_frames(s, time_masks, fill);
}

// ---------------------------------------------------------------------------------------------

OpInfo freq_mask_op() {
  return {
      .name = "freq_mask",
      .input = Kind::spectrogram,
      .output = Kind::spectrogram,
      .doc = "SpecAugment frequency masks: `count` runs of bins, width uniform in [0, max_width) (clamped to the "
             "bins), start uniform over the places it fits; filled with the channel's mean on dB input, else 0 (mask_value).",
      .params = {count_param("number of masks (mF); they may overlap"),
                 {.name = "max_width", .type = ParamType::integer, .default_value = 27, .minimum = 0,
                  .maximum = max_axis_param, .doc = "F: widths are drawn from 0..F-1 bins"},
                 mask_value_param()},
      .random = true,
      .create = make_transform<FreqMask>,
  };
}

OpInfo time_mask_op() {
  return {
      .name = "time_mask",
      .input = Kind::spectrogram,
      .output = Kind::spectrogram,
      .doc = "SpecAugment time masks: `count` runs of frames, width uniform in [0, max_width) and below "
             "floor(max_proportion·frames) (torchaudio's bound), start uniform over the places it fits; filled with "
             "the channel's mean on dB input, else 0 (mask_value).",
      .params = {count_param("number of masks (mT); they may overlap"),
                 {.name = "max_width", .type = ParamType::integer, .default_value = 100, .minimum = 0,
                  .maximum = max_axis_param, .doc = "T: widths are drawn from 0..T-1 frames"},
                 {.name = "max_proportion", .default_value = 1.0, .minimum = 0.0, .maximum = 1.0,
                  .doc = "p < 1: a mask is narrower than floor(p·frames) (torchaudio's min(T, int(p·frames)) - 1)"},
                 mask_value_param()},
      .random = true,
      .create = make_transform<TimeMask>,
  };
}

OpInfo time_warp_op() {
  return {
      .name = "time_warp",
      .input = Kind::spectrogram,
      .output = Kind::spectrogram,
      .doc = "SpecAugment time warp: frame c in [W, frames-W) moves by w in [-W, W], both sides resampled "
             "linearly along time; unchanged when frames <= 2W; real spectrograms only.",
      .params = {{.name = "max_warp", .type = ParamType::integer, .default_value = 80, .minimum = 0,
                  .maximum = max_axis_param, .doc = "W, in frames"}},
      .random = true,
      .create = make_transform<TimeWarp>,
  };
}

OpInfo spec_augment_op() {
  return {
      .name = "spec_augment",
      .input = Kind::spectrogram,
      .output = Kind::spectrogram,
      .doc = "SpecAugment (Park et al. 2019): time_warp, then freq masks, then time masks, with the paper's "
             "policies LB, LD, SM, SS; each parameter given replaces the policy's, custom needs them all.",
      .params = {{.name = "policy", .type = ParamType::string, .default_value = "LD",
                  .choices = {"LB", "LD", "SM", "SS", "custom"},
                  .doc = "LB: W=80 F=27 mF=1 T=100 p=1 mT=1; LD: LB with mF=mT=2; SM: W=40 F=15 mF=2 T=70 p=0.2 "
                         "mT=2; SS: SM with F=27"},
                 override_param("max_warp", ParamType::integer, max_axis_param, "W, in frames (0: no warp)"),
                 override_param("freq_max_width", ParamType::integer, max_axis_param, "F: widths 0..F-1 bins"),
                 override_param("freq_masks", ParamType::integer, max_mask_count, "mF: number of frequency masks"),
                 override_param("time_max_width", ParamType::integer, max_axis_param, "T: widths 0..T-1 frames"),
                 override_param("time_max_proportion", ParamType::number, 1.0,
                                "p < 1: a time mask is narrower than floor(p·frames)"),
                 override_param("time_masks", ParamType::integer, max_mask_count, "mT: number of time masks"),
                 mask_value_param()},
      .random = true,
      .check = [](const nlohmann::json& settings) { (void)spec_augment_policy(settings); },
      .create = make_transform<SpecAugment>,
  };
}

}  // namespace augment::audio
