// time_shift on short signals worked out by hand; trim_silence against a hand-computed case and
// the ranges a numpy transcription of librosa.effects.trim gives
// (tests/fixtures/audio/make_trim_fixtures.py → tests/fixtures/audio/io/trim_cases.json).
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <memory>
#include <numbers>
#include <vector>

#include "augment/audio/time_shift.hpp"
#include "augment/audio/trim_silence.hpp"
#include "augment/core/pipeline.hpp"
#include "audio_test_helpers.hpp"

using augment::audio::Audio;
using nlohmann::json;

namespace {

using audio_test::make_op;

Audio audio_of(std::vector<std::vector<float>> channels, int rate = 10) {
  return audio_test::make_audio(std::move(channels), rate);
}

std::vector<float> shifted(const json& params, std::vector<float> x, int rate = 10) {
  const auto op = make_op("time_shift", params);
  augment::Sample s = augment::audio::make_sample(audio_of({std::move(x)}, rate));
  augment::Rng rng(7);
  op->apply(s, op->draw(rng, s));
  return augment::audio::audio_of(s).channels[0];
}

using V = std::vector<float>;
const V kRamp{1, 2, 3, 4, 5};

}  // namespace

TEST_CASE("time_shift: roll wraps frames around like numpy.roll") {
  // rate 10 Hz: 0.2 s is 2 frames
  CHECK(shifted({{"shift", 0.2}, {"mode", "roll"}}, kRamp) == V{4, 5, 1, 2, 3});
  CHECK(shifted({{"shift", -0.1}, {"mode", "roll"}}, kRamp) == V{2, 3, 4, 5, 1});
  CHECK(shifted({{"shift", 0.6}, {"mode", "roll"}}, kRamp) == V{5, 1, 2, 3, 4});    // 6 ≡ 1 (mod 5)
  CHECK(shifted({{"shift", -1.2}, {"mode", "roll"}}, kRamp) == V{3, 4, 5, 1, 2});   // −12 ≡ 3
  CHECK(shifted({{"shift", 0.5}, {"mode", "roll"}}, kRamp) == kRamp);
}

TEST_CASE("time_shift: zero_fill drops what leaves and pads with zeros") {
  CHECK(shifted({{"shift", 0.2}, {"mode", "zero_fill"}}, kRamp) == V{0, 0, 1, 2, 3});
  CHECK(shifted({{"shift", -0.2}, {"mode", "zero_fill"}}, kRamp) == V{3, 4, 5, 0, 0});
  CHECK(shifted({{"shift", 0.5}, {"mode", "zero_fill"}}, kRamp) == V{0, 0, 0, 0, 0});
  CHECK(shifted({{"shift", -9.0}, {"mode", "zero_fill"}}, kRamp) == V{0, 0, 0, 0, 0});
  CHECK(shifted({{"shift", 0.0}, {"mode", "zero_fill"}}, kRamp) == kRamp);
}

TEST_CASE("time_shift: seconds and fractions round to the nearest frame, halves away from zero") {
  CHECK(shifted({{"shift", 0.25}, {"mode", "zero_fill"}}, kRamp) == V{0, 0, 0, 1, 2});     // 2.5 → 3
  CHECK(shifted({{"shift", -0.25}, {"mode", "zero_fill"}}, kRamp) == V{4, 5, 0, 0, 0});    // −2.5 → −3
  CHECK(shifted({{"shift", 0.14}, {"mode", "zero_fill"}}, kRamp) == V{0, 1, 2, 3, 4});     // 1.4 → 1
  CHECK(shifted({{"shift", 0.5}, {"unit", "fraction"}, {"mode", "zero_fill"}}, kRamp) == V{0, 0, 0, 1, 2});  // 2.5 → 3
  CHECK(shifted({{"shift", -0.2}, {"unit", "fraction"}}, kRamp) == V{2, 3, 4, 5, 1});  // −1, roll by default
}

TEST_CASE("time_shift: every channel moves alike; random only with a range; fractions beyond 1 refused") {
  const auto op = make_op("time_shift", {{"shift", 0.1}});
  augment::Sample s = augment::audio::make_sample(audio_of({{1, 2, 3}, {4, 5, 6}}));
  op->apply(s, {{"shift", 0.1}});
  CHECK(augment::audio::audio_of(s).channels == std::vector<V>{{3, 1, 2}, {6, 4, 5}});
  CHECK_FALSE(op->is_random());
  const auto random = make_op("time_shift", {{"shift", {-0.3, 0.3}}});
  CHECK(random->is_random());
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    augment::Rng rng(seed);
    const double shift = random->draw(rng, s)["shift"].get<double>();
    CHECK(std::fabs(shift) <= 0.3);
  }
  const augment::OpInfo* info = audio_test::registry().find("time_shift", augment::Kind::audio);
  CHECK_THROWS_AS(info->resolve({{"shift", 1.5}, {"unit", "fraction"}}), std::invalid_argument);
  CHECK_THROWS_AS(info->resolve({{"shift", {-0.5, 2.0}}, {"unit", "fraction"}}), std::invalid_argument);
  CHECK_NOTHROW(info->resolve({{"shift", 1.5}}));
  CHECK_THROWS_AS(info->resolve({{"mode", "wrap"}}), std::invalid_argument);
}

TEST_CASE("trim_silence: a tone between silences, computed by hand") {
  // 22050 frames, a 0.5 sine over [5000, 15000). Frames of 2048 centred on t·512 cover
  // [t·512 − 1024, t·512 + 1024). Frame 7 ends at 4608 (all zero: −100 dB below the loudest,
  // 0.354), frame 8 reaches 120 tone samples (RMS 0.354·sqrt(120/2048) = 0.086, −12 dB): the
  // first kept. Frame 31 starts at 14848 < 15000 (152 samples, −12 dB), frame 32 at 15360: zero.
  // Kept: [8·512, 32·512) = [4096, 16384).
  std::vector<float> x(22050, 0.0f);
  for (std::size_t i = 5000; i < 15000; ++i) x[i] = static_cast<float>(0.5 * std::sin(2 * std::numbers::pi * double(i) / 40));
  Audio a = audio_of({x}, 22050);
  a.file_format = 0x010002;
  const auto range = augment::audio::non_silent_range(a, {});
  CHECK(range.first == 4096);
  CHECK(range.second == 16384);
  const auto op = make_op("trim_silence", json::object());
  augment::Sample s = augment::audio::make_sample(a);
  op->apply(s, json::object());
  const Audio& out = augment::audio::audio_of(s);
  REQUIRE(out.frames() == 16384 - 4096);
  CHECK(out.channels[0][5000 - 4096] == x[5000]);
  CHECK(out.channels[0].back() == x[16383]);
  CHECK(out.file_format == 0x010002);
  CHECK(out.sample_rate == 22050);
}

TEST_CASE("trim_silence: the ranges of the numpy transcription of librosa.effects.trim") {
  std::ifstream in(std::string(AUGMENT_SOURCE_DIR) + "/tests/fixtures/audio/io/trim_cases.json");
  REQUIRE(in);
  const json fixture = json::parse(in);
  REQUIRE(fixture["cases"].size() >= 7);
  for (const json& c : fixture["cases"]) {
    CAPTURE(c["name"].get<std::string>());
    Audio a;
    a.sample_rate = 16000;
    a.channels.assign(c["channels"].get<std::size_t>(), std::vector<float>(c["length"].get<std::size_t>(), 0.0f));
    std::vector<std::vector<double>> exact(a.channels.size(), std::vector<double>(a.frames(), 0.0));
    for (const json& seg : c["segments"]) {
      const auto ch = seg[0].get<std::size_t>();
      for (auto i = seg[1].get<std::size_t>(); i < seg[2].get<std::size_t>(); ++i)
        exact[ch][i] += seg[3].get<double>() * std::sin(2 * std::numbers::pi * double(i) / seg[4].get<double>());
    }
    for (std::size_t ch = 0; ch < a.channels.size(); ++ch)
      for (std::size_t i = 0; i < a.frames(); ++i) a.channels[ch][i] = static_cast<float>(exact[ch][i]);
    const auto op = make_op("trim_silence", {{"top_db", c["top_db"]}, {"frame_length", c["frame_length"]},
                                             {"hop_length", c["hop_length"]}});
    augment::Sample s = augment::audio::make_sample(a);
    op->apply(s, json::object());
    const auto start = c["expected"][0].get<std::size_t>(), end = c["expected"][1].get<std::size_t>();
    const Audio& out = augment::audio::audio_of(s);
    REQUIRE(out.frames() == end - start);
    for (std::size_t ch = 0; ch < a.channels.size(); ++ch)
      CHECK(std::equal(out.channels[ch].begin(), out.channels[ch].end(), a.channels[ch].begin() + std::ptrdiff_t(start)));
  }
}
