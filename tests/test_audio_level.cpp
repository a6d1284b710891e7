// gain, normalize and to_mono against values computed by hand.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <numbers>
#include <vector>

#include "augment/audio/gain.hpp"
#include "augment/audio/to_mono.hpp"
#include "augment/core/pipeline.hpp"
#include "audio_test_helpers.hpp"

using augment::audio::Audio;
using augment::audio::LevelMode;
using nlohmann::json;

namespace {

using audio_test::make_op;

Audio audio_of(std::vector<std::vector<float>> channels, int rate = 8000) {
  return audio_test::make_audio(std::move(channels), rate);
}

Audio run(const augment::Transform& op, Audio a, std::uint64_t seed = 1) {
  augment::Sample s = augment::audio::make_sample(std::move(a));
  augment::Rng rng(seed);
  op.apply(s, op.draw(rng, s));
  return augment::audio::audio_of(s);
}

}  // namespace

TEST_CASE("gain: 20·log10(2) dB doubles, -20 dB divides by ten, nothing is clipped") {
  const double double_db = 20 * std::log10(2.0);
  const Audio up = run(*make_op("gain", {{"db", double_db}}), audio_of({{0.25f, -0.5f, 0.75f}, {1.0f, 0.0f, -1.0f}}));
  CHECK(up.channels[0] == std::vector<float>{0.5f, -1.0f, 1.5f});
  CHECK(up.channels[1] == std::vector<float>{2.0f, 0.0f, -2.0f});
  const Audio down = run(*make_op("gain", {{"db", -20.0}}), audio_of({{0.5f, -1.0f}}));
  CHECK(down.channels[0][0] == doctest::Approx(0.05));
  CHECK(down.channels[0][1] == doctest::Approx(-0.1));
}

TEST_CASE("gain: random only with a range, each draw inside it and applied as recorded") {
  CHECK_FALSE(make_op("gain", {{"db", 3.0}})->is_random());
  const auto op = make_op("gain", {{"db", {-6.0, 6.0}}});
  CHECK(op->is_random());
  CHECK(make_op("gain", json::object())->is_random());  // the default is [-6, 6]
  augment::Sample s = augment::audio::make_sample(audio_of({{0.5f}}));
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    augment::Rng rng(seed);
    const json params = op->draw(rng, s);
    const double db = params["db"].get<double>();
    CHECK(db >= -6.0);
    CHECK(db <= 6.0);
    augment::Sample copy = augment::audio::make_sample(audio_of({{0.5f}}));
    op->apply(copy, params);
    CHECK(augment::audio::audio_of(copy).channels[0][0] == doctest::Approx(0.5 * std::pow(10.0, db / 20)));
  }
}

TEST_CASE("normalize: peak mode scales the largest magnitude over all channels to the level") {
  const Audio out = run(*make_op("normalize", {{"mode", "peak"}, {"level_db", -6.0}}),
                        audio_of({{0.1f, -0.25f}, {0.05f, 0.2f}}));
  const double target = std::pow(10.0, -6.0 / 20);  // 0.501187
  CHECK(out.channels[0][1] == doctest::Approx(-target));
  CHECK(out.channels[0][0] == doctest::Approx(0.4 * target));  // balance between channels kept
  CHECK(out.channels[1][1] == doctest::Approx(0.8 * target));
  // default level: -1 dBFS
  const Audio deflt = run(*make_op("normalize", json::object()), audio_of({{0.5f, -0.1f}}));
  CHECK(deflt.channels[0][0] == doctest::Approx(std::pow(10.0, -1.0 / 20)));
}

TEST_CASE("normalize: rms mode, a full-scale sine is -3.01 dBFS and a square wave 0 dBFS") {
  std::vector<float> sine(8000);
  for (std::size_t i = 0; i < sine.size(); ++i) sine[i] = static_cast<float>(std::sin(2 * std::numbers::pi * double(i) / 80));
  CHECK(augment::audio::level_dbfs(audio_of({sine}), LevelMode::rms) == doctest::Approx(-3.0103).epsilon(1e-4));
  CHECK(augment::audio::level_dbfs(audio_of({{1.0f, -1.0f, 1.0f, -1.0f}}), LevelMode::rms) == doctest::Approx(0.0));
  // to -20 dBFS: RMS 0.1 (the default level of rms mode)
  const Audio out = run(*make_op("normalize", {{"mode", "rms"}}), audio_of({{0.3f, -0.3f, 0.3f, -0.3f}, {0.0f, 0.0f, 0.0f, 0.0f}}));
  // over both channels: sqrt((4·0.09)/8) = 0.2121 → ×0.1/0.2121
  CHECK(out.channels[0][0] == doctest::Approx(0.3 * 0.1 / std::sqrt(0.045)));
  CHECK(augment::audio::level_dbfs(out, LevelMode::rms) == doctest::Approx(-20.0));
}

TEST_CASE("normalize: silence is left unchanged") {
  const Audio out = run(*make_op("normalize", {{"mode", "rms"}, {"level_db", -3.0}}), audio_of({{0.0f, 0.0f, 0.0f}}));
  CHECK(out.channels[0] == std::vector<float>{0.0f, 0.0f, 0.0f});
  CHECK(std::isinf(augment::audio::level_dbfs(out, LevelMode::peak)));
  CHECK_FALSE(make_op("normalize", json::object())->is_random());
}

TEST_CASE("to_mono: the frame-by-frame average of the channels, mono unchanged") {
  Audio stereo = audio_of({{1.0f, 0.0f, -1.0f}, {0.0f, 1.0f, 1.0f}}, 16000);
  stereo.file_format = 0x010002;
  const Audio mono = run(*make_op("to_mono", json::object()), stereo);
  REQUIRE(mono.channel_count() == 1);
  CHECK(mono.channels[0] == std::vector<float>{0.5f, 0.5f, 0.0f});
  CHECK(mono.sample_rate == 16000);
  CHECK(mono.file_format == 0x010002);
  const Audio three = augment::audio::to_mono(audio_of({{0.3f, 0.9f}, {0.6f, 0.0f}, {0.0f, 0.3f}}));
  CHECK(three.channels[0][0] == doctest::Approx(0.3));
  CHECK(three.channels[0][1] == doctest::Approx(0.4));
  const Audio single = augment::audio::to_mono(audio_of({{0.1f, 0.2f}}));
  CHECK(single.channels == std::vector<std::vector<float>>{{0.1f, 0.2f}});
}
