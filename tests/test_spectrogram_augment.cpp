// SpecAugment: freq_mask, time_mask, time_warp and spec_augment — where the masks fall, the width
// law over many draws, the mask values, the warp against hand-computed values, the paper's
// presets, determinism, replay and the refusals.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <functional>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/audio/spec_augment.hpp"
#include "augment/audio/spectrogram.hpp"
#include "augment/core/error.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/core/registry.hpp"
#include "augment/core/rng.hpp"

// Declared in the audio module's private register_groups.hpp; repeated here so the test needs
// only the public include path.
namespace augment::audio::detail {
void register_spec_augment(Registry& registry);
}

namespace {

using augment::Pipeline;
using augment::Rng;
using augment::Sample;
using augment::audio::AxisMask;
using augment::audio::Spectrogram;
using augment::audio::SpecAugmentPolicy;
using augment::audio::make_sample;
using augment::audio::spectrogram_of;
using nlohmann::json;

const augment::Registry& registry() {
  static const augment::Registry r = [] {
    augment::Registry out;
    augment::audio::detail::register_spec_augment(out);
    return out;
  }();
  return r;
}

Pipeline pipeline(const json& stage) {
  return Pipeline::from_json({{"kind", "spectrogram"}, {"stages", json::array({stage})}}, registry());
}

/// A real channels × bins × frames spectrogram with value(c, b, t) at each place.
Spectrogram make_spectrogram(int channels, int bins, int frames, const std::function<float(int, int, int)>& value) {
  Spectrogram s;
  s.channels = channels;
  s.bins = bins;
  s.frames = frames;
  s.values.resize(static_cast<std::size_t>(channels * bins * frames));
  for (int c = 0; c < channels; ++c)
    for (int b = 0; b < bins; ++b)
      for (int t = 0; t < frames; ++t) s.at(c, b, t) = value(c, b, t);
  return s;
}

/// Every value says where it is (and is never 0).
Spectrogram coordinate_spectrogram(int channels, int bins, int frames) {
  return make_spectrogram(channels, bins, frames,
                          [](int c, int b, int t) { return static_cast<float>(1 + t + 1000 * b + 1000000 * c); });
}

/// Runs a one-stage pipeline; returns the stage's drawn params and the output.
struct Result {
  json params;
  Spectrogram out;
};
Result run(const Pipeline& p, const Spectrogram& in, std::uint64_t key) {
  Sample s = make_sample(in);
  const json record = p.run(s, Rng(key));
  return {record[0].value("params", json::object()), spectrogram_of(s)};
}

std::vector<AxisMask> masks_of(const json& list) {
  std::vector<AxisMask> out;
  for (const auto& m : list) out.push_back({m[0].get<int>(), m[1].get<int>()});
  return out;
}

bool in_any(const std::vector<AxisMask>& masks, int i) {
  return std::any_of(masks.begin(), masks.end(), [i](const AxisMask& m) { return i >= m.start && i < m.start + m.width; });
}

/// Pearson's statistic of `counts` against a uniform law over them.
double chi_square_uniform(const std::vector<int>& counts) {
  double total = 0;
  for (int n : counts) total += n;
  const double expected = total / static_cast<double>(counts.size());
  double chi = 0;
  for (int n : counts) chi += (n - expected) * (n - expected) / expected;
  return chi;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// freq_mask and time_mask: where they fall

TEST_CASE("freq_mask: the recorded bins of every channel are zeroed and nothing else changes") {
  const Spectrogram in = coordinate_spectrogram(2, 20, 15);
  const Pipeline p = pipeline({{"op", "freq_mask"}, {"count", 3}, {"max_width", 8}});
  for (std::uint64_t key = 0; key < 200; ++key) {
    const auto [params, out] = run(p, in, key);
    const std::vector<AxisMask> masks = masks_of(params["masks"]);
    REQUIRE(masks.size() == 3);
    for (const AxisMask& m : masks) {
      CHECK(m.width >= 0);
      CHECK(m.width <= 7);
      CHECK(m.start >= 0);
      CHECK(m.start + m.width <= 20);
    }
    bool same = true;
    for (int c = 0; c < 2; ++c)
      for (int b = 0; b < 20; ++b)
        for (int t = 0; t < 15; ++t) same &= out.at(c, b, t) == (in_any(masks, b) ? 0.0f : in.at(c, b, t));
    CHECK(same);
  }
}

TEST_CASE("time_mask: the recorded frames of every channel are zeroed and nothing else changes") {
  const Spectrogram in = coordinate_spectrogram(2, 6, 40);
  const Pipeline p = pipeline({{"op", "time_mask"}, {"count", 2}, {"max_width", 12}});
  for (std::uint64_t key = 0; key < 200; ++key) {
    const auto [params, out] = run(p, in, key);
    const std::vector<AxisMask> masks = masks_of(params["masks"]);
    REQUIRE(masks.size() == 2);
    for (const AxisMask& m : masks) {
      CHECK(m.width <= 11);
      CHECK(m.start >= 0);
      CHECK(m.start + m.width <= 40);
    }
    bool same = true;
    for (int c = 0; c < 2; ++c)
      for (int b = 0; b < 6; ++b)
        for (int t = 0; t < 40; ++t) same &= out.at(c, b, t) == (in_any(masks, t) ? 0.0f : in.at(c, b, t));
    CHECK(same);
  }
}

TEST_CASE("mask width law: every width 0..F-1 occurs, F never, uniformly, and every placement occurs") {
  const Spectrogram in = coordinate_spectrogram(1, 80, 4);
  const int F = 10;
  const auto op = registry().find("freq_mask");
  REQUIRE(op != nullptr);
  const auto transform = op->create(*op, op->resolve({{"count", 1}, {"max_width", F}}));
  const Sample sample = make_sample(in);
  std::vector<int> width_counts(F + 1, 0);
  std::set<int> starts_of_width_one;
  const int draws = 20000;
  for (int i = 0; i < draws; ++i) {
    Rng rng(static_cast<std::uint64_t>(i) + 1000);
    const json params = transform->draw(rng, sample);
    const AxisMask m = masks_of(params["masks"])[0];
    REQUIRE(m.width >= 0);
    REQUIRE(m.width <= F);
    ++width_counts[static_cast<std::size_t>(m.width)];
    if (m.width == 1) starts_of_width_one.insert(m.start);
  }
  CHECK(width_counts[F] == 0);
  width_counts.pop_back();
  for (int w = 0; w < F; ++w) CHECK(width_counts[static_cast<std::size_t>(w)] > 0);
  // 9 degrees of freedom: P(χ² > 30) ≈ 0.0004, and the draws are fixed by their keys.
  CHECK(chi_square_uniform(width_counts) < 30.0);
  // Start uniform over 0..ν − f inclusive: a 1-bin mask can land on the last bin.
  CHECK(starts_of_width_one.size() == 80);
  CHECK(*starts_of_width_one.rbegin() == 79);
}

TEST_CASE("mask width law: draw_axis_masks starts are uniform over the places a mask fits") {
  std::vector<int> start_counts(8, 0);  // length 10, width fixed at 3 → starts 0..7
  Rng rng(7);
  for (int i = 0; i < 16000; ++i) {
    // widest 3 draws widths 0..3; keep those of width 3
    const AxisMask m = augment::audio::draw_axis_masks(rng, 1, 3, 10)[0];
    if (m.width == 3) ++start_counts[static_cast<std::size_t>(m.start)];
  }
  for (int n : start_counts) CHECK(n > 0);
  CHECK(chi_square_uniform(start_counts) < 25.0);  // 7 dof: P(χ² > 25) ≈ 0.0008
}

TEST_CASE("mask width law: F wider than the axis is clamped to the axis") {
  CHECK(augment::audio::max_mask_width(27, 80) == 26);
  CHECK(augment::audio::max_mask_width(27, 12) == 12);  // the whole axis may go
  CHECK(augment::audio::max_mask_width(0, 12) == -1);   // F = 0: only empty masks
  const Spectrogram in = coordinate_spectrogram(1, 5, 3);
  const Pipeline p = pipeline({{"op", "freq_mask"}, {"count", 1}, {"max_width", 27}});
  std::set<int> widths;
  for (std::uint64_t key = 0; key < 300; ++key) widths.insert(masks_of(run(p, in, key).params["masks"])[0].width);
  CHECK(widths == std::set<int>{0, 1, 2, 3, 4, 5});

  const Pipeline none = pipeline({{"op", "freq_mask"}, {"count", 3}, {"max_width", 0}});
  const auto [params, out] = run(none, in, 1);
  for (const AxisMask& m : masks_of(params["masks"])) CHECK(m.width == 0);
  CHECK(out.values == in.values);
}

TEST_CASE("time_mask: masks are narrower than floor(p times the frames), as torchaudio's mask_along_axis") {
  // Worked from torchaudio 0.13's functional.py: _get_mask_param gives min(T, int(τ·p)) for
  // p < 1 (T itself for p = 1), and mask_along_axis draws the width as floor(U·param), so the
  // widest is that param − 1.
  CHECK(augment::audio::max_mask_width(100, 50, 0.2) == 9);     // int(10.0) = 10
  CHECK(augment::audio::max_mask_width(100, 100, 0.29) == 27);  // int(28.999…) = 28, in double as Python
  CHECK(augment::audio::max_mask_width(5, 50, 0.2) == 4);       // T binds first: min(5, 10) − 1
  CHECK(augment::audio::max_mask_width(10, 50, 0.2) == 9);      // both 10
  CHECK(augment::audio::max_mask_width(100, 50, 0.999) == 48);  // int(49.95) = 49
  CHECK(augment::audio::max_mask_width(100, 50, 1.0) == 50);    // p = 1: T, clamped to the axis
  CHECK(augment::audio::max_mask_width(100, 50, 0.0) == -1);    // torchaudio leaves the input as it is
  CHECK(augment::audio::max_mask_width(100, 4, 0.2) == -1);     // int(0.8) = 0: likewise

  const Spectrogram in = coordinate_spectrogram(1, 3, 50);
  const Pipeline p = pipeline({{"op", "time_mask"}, {"count", 2}, {"max_width", 100}, {"max_proportion", 0.2}});
  std::set<int> widths;
  for (std::uint64_t key = 0; key < 500; ++key)
    for (const AxisMask& m : masks_of(run(p, in, key).params["masks"])) widths.insert(m.width);
  CHECK(*widths.begin() == 0);
  CHECK(*widths.rbegin() == 9);
  CHECK(widths.size() == 10);
}

// ---------------------------------------------------------------------------------------------
// mask values

TEST_CASE("mask_value mean: each channel's masks hold that channel's mean before masking") {
  const Spectrogram in = make_spectrogram(2, 8, 10, [](int c, int b, int t) {
    return c == 0 ? static_cast<float>(b * 10 + t) : static_cast<float>(-50 - 3 * b - t);
  });
  double mean[2] = {0, 0};
  for (int c = 0; c < 2; ++c) {
    for (int b = 0; b < 8; ++b)
      for (int t = 0; t < 10; ++t) mean[c] += in.at(c, b, t);
    mean[c] /= 80;
  }
  for (const char* op : {"freq_mask", "time_mask"}) {
    CAPTURE(op);
    const Pipeline p = pipeline({{"op", op}, {"count", 4}, {"max_width", 4}, {"mask_value", "mean"}});
    for (std::uint64_t key = 0; key < 50; ++key) {
      const auto [params, out] = run(p, in, key);
      const std::vector<AxisMask> masks = masks_of(params["masks"]);
      const bool by_bin = std::string(op) == "freq_mask";
      for (int c = 0; c < 2; ++c)
        for (int b = 0; b < 8; ++b)
          for (int t = 0; t < 10; ++t) {
            const bool masked = in_any(masks, by_bin ? b : t);
            CHECK(out.at(c, b, t) == (masked ? static_cast<float>(mean[c]) : in.at(c, b, t)));
          }
    }
  }
  const std::vector<float> fill = augment::audio::mask_fill_values(in, augment::audio::MaskValue::mean);
  CHECK(fill == std::vector<float>{static_cast<float>(mean[0]), static_cast<float>(mean[1])});
  CHECK(augment::audio::mask_fill_values(in, augment::audio::MaskValue::zero) == std::vector<float>{0.0f, 0.0f});
}

TEST_CASE("mask_value auto (the default): the mean on dB or log values, zero on power or magnitude") {
  using augment::audio::MaskValue;
  const auto values = [](std::vector<float> v) {
    return make_spectrogram(1, 2, 2, [v](int, int b, int t) { return v[static_cast<std::size_t>(b * 2 + t)]; });
  };
  // Power: 0 is silence, so masks stay 0 as in torchaudio.
  CHECK(augment::audio::mask_fill_values(values({1, 2, 3, 6}), MaskValue::automatic) == std::vector<float>{0.0f});
  // The same numbers marked as decibels (after db): 0 dB would be loud, so the mean (1+2+3+6)/4.
  Spectrogram in_db = values({1, 2, 3, 6});
  in_db.decibels = true;
  CHECK(augment::audio::mask_fill_values(in_db, MaskValue::automatic) == std::vector<float>{3.0f});
  // A log-mel read from a file carries no mark, but a negative value shows it is not power.
  CHECK(augment::audio::mask_fill_values(values({-1, -2, -3, -6}), MaskValue::automatic) ==
        std::vector<float>{-3.0f});
  // Through the ops: the default fills a dB spectrogram's masks with its mean.
  for (const char* op : {"freq_mask", "time_mask"}) {
    CAPTURE(op);
    const Pipeline p = pipeline({{"op", op}});
    CHECK(p.to_json()["stages"][0]["mask_value"] == "auto");
    Sample s = make_sample(in_db);
    p.replay(s, json::parse(std::string(R"([{"op": ")") + op + R"(", "params": {"masks": [[0, 1]]}}])"));
    const Spectrogram& out = spectrogram_of(s);
    CHECK(out.at(0, 0, 0) == 3.0f);
    CHECK(out.at(0, 1, 1) == 6.0f);  // outside the mask
  }
}

TEST_CASE("complex spectrograms: zero masks clear both parts, mean and time_warp are refused") {
  Spectrogram in;
  in.channels = 1;
  in.bins = 4;
  in.frames = 6;
  in.power = 0.0;
  for (int i = 0; i < 24; ++i) in.complex_values.emplace_back(static_cast<float>(i + 1), static_cast<float>(-i - 1));
  Sample s = make_sample(in);
  const Pipeline freq = pipeline({{"op", "freq_mask"}});
  freq.replay(s, json::parse(R"([{"op": "freq_mask", "params": {"masks": [[1, 2]]}}])"));
  const Spectrogram& out = spectrogram_of(s);
  CHECK(out.values.empty());
  for (int b = 0; b < 4; ++b)
    for (int t = 0; t < 6; ++t) {
      const std::complex<float> v = out.complex_values[out.index(0, b, t)];
      CHECK(v == (b == 1 || b == 2 ? std::complex<float>(0, 0) : in.complex_values[in.index(0, b, t)]));
    }

  Sample again = make_sample(in);
  CHECK_THROWS_AS(pipeline({{"op", "time_mask"}, {"mask_value", "mean"}}).run(again, Rng(1)), augment::UsageError);
  CHECK_THROWS_AS(pipeline({{"op", "time_warp"}, {"max_warp", 1}}).run(again, Rng(1)), augment::UsageError);
  CHECK(spectrogram_of(again).complex_values == in.complex_values);
  // spec_augment without a warp masks a complex STFT; with one it refuses.
  const Pipeline no_warp = pipeline({{"op", "spec_augment"}, {"policy", "LB"}, {"max_warp", 0}});
  CHECK_NOTHROW(no_warp.run(again, Rng(2)));
  Sample warped = make_sample(in);
  CHECK_THROWS_AS(pipeline({{"op", "spec_augment"}, {"policy", "LB"}, {"max_warp", 1}}).run(warped, Rng(2)),
                  augment::UsageError);
}

// ---------------------------------------------------------------------------------------------
// time_warp

TEST_CASE("time_warp: a shift of 0 is the identity wherever the centre") {
  const Spectrogram in = coordinate_spectrogram(2, 3, 9);
  for (int centre = 0; centre <= 9; ++centre) {
    Spectrogram s = in;
    augment::audio::warp_time(s, centre, 0);
    CHECK(s.values == in.values);
  }
}

TEST_CASE("time_warp: small cases computed by hand") {
  // Half-frame-centred linear interpolation. Frames [0, 10, 20, 30], centre 2:
  //   warp +1: [0, 2) onto 3 frames at source positions −1/6→0, 1/2, 7/6→1: 0, 5, 10;
  //            [2, 4) onto 1 frame at source position 1/2: 25.
  //   warp −1: [0, 2) onto 1 frame at 1/2: 5; [2, 4) onto 3 frames: 20, 25, 30.
  const Spectrogram in = make_spectrogram(1, 1, 4, [](int, int, int t) { return static_cast<float>(10 * t); });
  Spectrogram right = in;
  augment::audio::warp_time(right, 2, 1);
  CHECK(right.values == std::vector<float>{0, 5, 10, 25});
  Spectrogram left = in;
  augment::audio::warp_time(left, 2, -1);
  CHECK(left.values == std::vector<float>{5, 20, 25, 30});
  // Squeezed to nothing (centre 1, warp −1): frame 0 is dropped, [1, 4) fills 4 frames at
  // 3/4·(i + ½) − ½ = −1/8→0, 5/8, 11/8, 17/8→2: 10, 16.25, 23.75, 30.
  Spectrogram squeezed = in;
  augment::audio::warp_time(squeezed, 1, -1);
  CHECK(squeezed.values == std::vector<float>{10, 16.25f, 23.75f, 30});

  // Frames [0, 6, 12, 18, 24, 30], centre 3, warp +1: [0, 3) onto 4 frames at 3/4·(i + ½) − ½ =
  // −1/8→0, 5/8, 11/8, 17/8→2: 0, 3.75, 8.25, 12; [3, 6) onto 2 frames at 3/2·(i + ½) − ½ = 1/4, 7/4:
  // 19.5, 28.5.
  Spectrogram six = make_spectrogram(1, 1, 6, [](int, int, int t) { return static_cast<float>(6 * t); });
  augment::audio::warp_time(six, 3, 1);
  CHECK(six.values == std::vector<float>{0, 3.75f, 8.25f, 12, 19.5f, 28.5f});

  // The same through the op: a record replays to the same values.
  Sample s = make_sample(in);
  pipeline({{"op", "time_warp"}, {"max_warp", 1}})
      .replay(s, json::parse(R"([{"op": "time_warp", "params": {"centre": 2, "warp": 1}}])"));
  CHECK(spectrogram_of(s).values == std::vector<float>{0, 5, 10, 25});
}

TEST_CASE("time_warp: a ramp along time stays a monotone ramp over its own range, every bin alike") {
  const int frames = 40, W = 8;
  const Spectrogram in = make_spectrogram(2, 5, frames, [](int c, int b, int t) { return static_cast<float>(t + 100 * b + 1000 * c); });
  const Pipeline p = pipeline({{"op", "time_warp"}, {"max_warp", W}});
  std::set<int> centres, warps;
  for (std::uint64_t key = 0; key < 400; ++key) {
    const auto [params, out] = run(p, in, key);
    const int centre = params["centre"], warp = params["warp"];
    centres.insert(centre);
    warps.insert(warp);
    for (int c = 0; c < 2; ++c)
      for (int b = 0; b < 5; ++b) {
        const float base = static_cast<float>(100 * b + 1000 * c);
        bool monotone = true;
        for (int t = 1; t < frames; ++t) monotone &= out.at(c, b, t) >= out.at(c, b, t - 1);
        CHECK(monotone);
        CHECK(out.at(c, b, 0) - base >= 0.0f);
        CHECK(out.at(c, b, frames - 1) - base <= static_cast<float>(frames - 1));
        // The frame boundary at the centre moves to centre + warp.
        if (warp != 0) CHECK(out.at(c, b, centre + warp) - base >= static_cast<float>(centre));
        bool alike = true;  // float values near 1000 carry ~1e-4 of rounding
        for (int t = 0; t < frames; ++t) alike &= std::abs(out.at(c, b, t) - base - out.at(0, 0, t)) < 1e-3f;
        CHECK(alike);
      }
  }
  // centre uniform over W..frames − W − 1, warp over −W..W.
  CHECK(*centres.begin() == W);
  CHECK(*centres.rbegin() == frames - W - 1);
  CHECK(centres.size() == static_cast<std::size_t>(frames - 2 * W));
  CHECK(warps.size() == static_cast<std::size_t>(2 * W + 1));
  CHECK(*warps.begin() == -W);
}

TEST_CASE("time_warp: too few frames for W leaves the spectrogram unchanged") {
  const Spectrogram in = coordinate_spectrogram(1, 4, 10);
  for (const int W : {5, 6, 80}) {
    const auto [params, out] = run(pipeline({{"op", "time_warp"}, {"max_warp", W}}), in, 3);
    CHECK(params == json{{"centre", 0}, {"warp", 0}});
    CHECK(out.values == in.values);
  }
  const auto [params, out] = run(pipeline({{"op", "time_warp"}, {"max_warp", 4}}), in, 3);  // 10 > 8: room
  CHECK(params["centre"].get<int>() >= 4);
  CHECK(params["centre"].get<int>() < 6);
}

TEST_CASE("time_warp: records that do not fit the frames are refused") {
  const Spectrogram in = coordinate_spectrogram(1, 2, 6);
  const Pipeline p = pipeline({{"op", "time_warp"}, {"max_warp", 2}});
  for (const json& bad : {json{{"centre", 0}, {"warp", 1}}, json{{"centre", 6}, {"warp", -1}},
                          json{{"centre", 3}, {"warp", 4}}, json{{"centre", 3}, {"warp", -4}},
                          json{{"centre", 7}, {"warp", 0}}, json{{"centre", 2}}, json{{"centre", 2.5}, {"warp", 0}}}) {
    CAPTURE(bad.dump());
    Sample s = make_sample(in);
    const json record = json::array({json{{"op", "time_warp"}, {"params", bad}}});
    CHECK_THROWS_AS(p.replay(s, record), augment::UsageError);
    CHECK(spectrogram_of(s).values == in.values);
  }
}

// ---------------------------------------------------------------------------------------------
// spec_augment

TEST_CASE("spec_augment: the presets are the paper's numbers") {
  using augment::audio::spec_augment_preset;
  CHECK(spec_augment_preset("LB") == SpecAugmentPolicy{80, 27, 1, 100, 1.0, 1});
  CHECK(spec_augment_preset("LD") == SpecAugmentPolicy{80, 27, 2, 100, 1.0, 2});
  CHECK(spec_augment_preset("SM") == SpecAugmentPolicy{40, 15, 2, 70, 0.2, 2});
  CHECK(spec_augment_preset("SS") == SpecAugmentPolicy{40, 27, 2, 70, 0.2, 2});
  CHECK_THROWS_AS(spec_augment_preset("custom"), std::invalid_argument);

  const augment::OpInfo* op = registry().find("spec_augment");
  REQUIRE(op != nullptr);
  auto policy = [op](const json& given) {
    const auto t = op->create(*op, op->resolve(given));
    return dynamic_cast<const augment::audio::SpecAugment&>(*t).policy();
  };
  CHECK(policy(json::object()) == spec_augment_preset("LD"));  // the default policy
  for (const char* name : {"LB", "LD", "SM", "SS"}) CHECK(policy({{"policy", name}}) == spec_augment_preset(name));
  // Given parameters replace the preset's own.
  CHECK(policy({{"policy", "SM"}, {"max_warp", 0}, {"time_masks", 5}}) == SpecAugmentPolicy{0, 15, 2, 70, 0.2, 5});
  CHECK(policy({{"policy", "custom"}, {"max_warp", 5}, {"freq_max_width", 6}, {"freq_masks", 7},
                {"time_max_width", 8}, {"time_max_proportion", 0.5}, {"time_masks", 9}}) ==
        SpecAugmentPolicy{5, 6, 7, 8, 0.5, 9});
  // custom needs all six.
  CHECK_THROWS_AS(pipeline({{"op", "spec_augment"}, {"policy", "custom"}, {"max_warp", 5}}), augment::SpecError);
  CHECK_THROWS_AS(pipeline({{"op", "spec_augment"}, {"policy", "XX"}}), augment::SpecError);
}

TEST_CASE("spec_augment: warp, then frequency masks, then time masks, with one mean taken after the warp") {
  const Spectrogram in = make_spectrogram(2, 30, 120, [](int c, int b, int t) {
    return static_cast<float>(std::sin(0.1 * t + b) * (c + 1) + 0.01 * t);
  });
  for (const char* value : {"zero", "mean"}) {
    CAPTURE(value);
    const Pipeline p = pipeline({{"op", "spec_augment"}, {"policy", "SS"}, {"mask_value", value}});
    for (std::uint64_t key = 0; key < 20; ++key) {
      const auto [params, out] = run(p, in, key);
      REQUIRE(params["time_warp"].is_object());
      REQUIRE(params["freq_masks"].size() == 2);
      REQUIRE(params["time_masks"].size() == 2);
      for (const AxisMask& m : masks_of(params["time_masks"])) CHECK(m.width <= 23);  // below floor(0.2·120)
      for (const AxisMask& m : masks_of(params["freq_masks"])) CHECK(m.width <= 26);
      Spectrogram expected = in;
      augment::audio::warp_time(expected, params["time_warp"]["centre"], params["time_warp"]["warp"]);
      const std::vector<float> fill = augment::audio::mask_fill_values(
          expected, std::string(value) == "mean" ? augment::audio::MaskValue::mean : augment::audio::MaskValue::zero);
      augment::audio::mask_bins(expected, masks_of(params["freq_masks"]), fill);
      augment::audio::mask_frames(expected, masks_of(params["time_masks"]), fill);
      CHECK(out.values == expected.values);
    }
  }
  // W = 0 records no warp at all.
  const auto [params, out] = run(pipeline({{"op", "spec_augment"}, {"policy", "LB"}, {"max_warp", 0}}), in, 1);
  CHECK(params["time_warp"].is_null());
}

TEST_CASE("determinism and replay: the same Rng gives the same params and values, a record replays exactly") {
  const Spectrogram in = make_spectrogram(1, 40, 200, [](int, int b, int t) { return static_cast<float>((b * 7 + t * 3) % 11); });
  for (const json& stage : {json{{"op", "freq_mask"}, {"count", 2}}, json{{"op", "time_mask"}, {"count", 2}},
                            json{{"op", "time_warp"}, {"max_warp", 20}}, json{{"op", "spec_augment"}}}) {
    CAPTURE(stage.dump());
    const Pipeline p = pipeline(stage);
    Sample a = make_sample(in), b = make_sample(in);
    const json record_a = p.run(a, Rng::derive(5, "utt1", 0, 0));
    const json record_b = p.run(b, Rng::derive(5, "utt1", 0, 0));
    CHECK(record_a == record_b);
    CHECK(spectrogram_of(a).values == spectrogram_of(b).values);

    Sample replayed = make_sample(in);
    p.replay(replayed, record_a);
    CHECK(spectrogram_of(replayed).values == spectrogram_of(a).values);

    std::set<std::string> distinct;  // other keys draw other params
    for (int copy = 0; copy < 10; ++copy) {
      Sample s = make_sample(in);
      distinct.insert(p.run(s, Rng::derive(5, "utt1", static_cast<std::uint64_t>(copy), 0)).dump());
    }
    CHECK(distinct.size() > 1);
  }
}

TEST_CASE("bad input: NaN, a broken shape, masks outside the axis and bad records are UsageErrors") {
  const Pipeline p = pipeline({{"op", "spec_augment"}, {"policy", "LB"}});
  Spectrogram nan = coordinate_spectrogram(1, 4, 5);
  nan.at(0, 2, 3) = std::numeric_limits<float>::quiet_NaN();
  Sample s = make_sample(nan);
  CHECK_THROWS_WITH_AS(p.run(s, Rng(1)), doctest::Contains("value at channel 0, bin 2, frame 3 is not finite"),
                       augment::UsageError);
  Spectrogram infinite = coordinate_spectrogram(1, 4, 5);
  infinite.at(0, 0, 0) = -std::numeric_limits<float>::infinity();
  s = make_sample(infinite);
  CHECK_THROWS_AS(pipeline({{"op", "freq_mask"}}).run(s, Rng(1)), augment::UsageError);

  Spectrogram broken = coordinate_spectrogram(1, 4, 5);
  broken.values.pop_back();
  s = make_sample(broken);
  CHECK_THROWS_AS(pipeline({{"op", "time_mask"}}).run(s, Rng(1)), augment::UsageError);
  Spectrogram empty;
  s = make_sample(empty);
  CHECK_THROWS_AS(pipeline({{"op", "time_warp"}}).run(s, Rng(1)), augment::UsageError);

  const Spectrogram good = coordinate_spectrogram(1, 4, 5);
  for (const char* masks : {"[[3, 2]]", "[[-1, 1]]", "[[0, -1]]", "[[0, 1.5]]", "[0, 1]", "[[0]]", "{}"}) {
    CAPTURE(masks);
    s = make_sample(good);
    const json record = json::array({json{{"op", "freq_mask"}, {"params", json{{"masks", json::parse(masks)}}}}});
    CHECK_THROWS_AS(pipeline({{"op", "freq_mask"}}).replay(s, record), augment::UsageError);
    CHECK(spectrogram_of(s).values == good.values);
  }
  s = make_sample(good);
  CHECK_THROWS_AS(
      pipeline({{"op", "time_mask"}}).replay(s, json::parse(R"([{"op": "time_mask", "params": {"masks": [[4, 2]]}}])")),
      augment::UsageError);
  s = make_sample(good);
  CHECK_THROWS_AS(p.replay(s, json::parse(R"([{"op": "spec_augment", "params": {"freq_masks": []}}])")),
                  augment::UsageError);
  CHECK(spectrogram_of(s).values == good.values);

  // Parameter ranges are checked when the pipeline is built.
  CHECK_THROWS_AS(pipeline({{"op", "time_mask"}, {"max_proportion", 1.5}}), augment::SpecError);
  CHECK_THROWS_AS(pipeline({{"op", "freq_mask"}, {"count", -1}}), augment::SpecError);
  CHECK_THROWS_AS(pipeline({{"op", "freq_mask"}, {"mask_value", "min"}}), augment::SpecError);
  CHECK_THROWS_AS(pipeline({{"op", "spec_augment"}, {"freq_max_width", 2.5}}), augment::SpecError);
}
