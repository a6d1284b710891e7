// resample against known signals: a resampled sine keeps its frequency and amplitude (the
// peak of a direct DFT, computed here in double), a tone above the new Nyquist frequency is
// removed, lengths follow round(frames·rate / source rate).
#include <doctest/doctest.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <vector>

#include "augment/audio/register_transforms.hpp"
#include "augment/audio/resample.hpp"
#include "augment/core/error.hpp"
#include "augment/core/pipeline.hpp"

using augment::audio::Audio;
using augment::audio::resample;
using augment::audio::ResampleQuality;

namespace {

Audio sine(int rate, std::size_t frames, double frequency, double amplitude, int channels = 1) {
  Audio a;
  a.sample_rate = rate;
  std::vector<float> x(frames);
  for (std::size_t i = 0; i < frames; ++i)
    x[i] = static_cast<float>(amplitude * std::sin(2 * std::numbers::pi * frequency * double(i) / rate));
  a.channels.assign(static_cast<std::size_t>(channels), x);
  return a;
}

// |X(f)|·2/N over samples [from, to): the amplitude of a sine at f Hz (whole periods in the span).
double amplitude_at(const std::vector<float>& x, int rate, double frequency, std::size_t from, std::size_t to) {
  std::complex<double> sum = 0;
  for (std::size_t i = from; i < to; ++i)
    sum += double(x[i]) * std::polar(1.0, -2 * std::numbers::pi * frequency * double(i) / rate);
  return 2 * std::abs(sum) / double(to - from);
}

double rms(const std::vector<float>& x, std::size_t from, std::size_t to) {
  double s = 0;
  for (std::size_t i = from; i < to; ++i) s += double(x[i]) * x[i];
  return std::sqrt(s / double(to - from));
}

}  // namespace

TEST_CASE("resample: a 1 kHz sine from 44.1 kHz to 16 kHz keeps its frequency and amplitude") {
  const Audio out = resample(sine(44100, 44100, 1000.0, 0.5), 16000);
  CHECK(out.sample_rate == 16000);
  REQUIRE(out.frames() == 16000);
  // Away from the ends (the filter's ramp in and out), 1 Hz bins over 8000 frames: 2 Hz bins.
  const std::size_t from = 4000, to = 12000;
  int best = 0;
  double best_amplitude = 0;
  for (int f = 900; f <= 1100; f += 2) {
    const double a = amplitude_at(out.channels[0], 16000, f, from, to);
    if (a > best_amplitude) best_amplitude = a, best = f;
  }
  CHECK(best == 1000);
  CHECK(best_amplitude == doctest::Approx(0.5).epsilon(0.001));
}

TEST_CASE("resample: upsampling 8 kHz to 22.05 kHz keeps a 440 Hz sine sample for sample") {
  const Audio out = resample(sine(8000, 8000, 440.0, 0.8), 22050, ResampleQuality::very_high);
  REQUIRE(out.frames() == 22050);
  const Audio expected = sine(22050, 22050, 440.0, 0.8);
  double worst = 0;
  for (std::size_t i = 2000; i < 20000; ++i)
    worst = std::max(worst, std::fabs(double(out.channels[0][i]) - expected.channels[0][i]));
  CHECK(worst < 1e-3);
}

TEST_CASE("resample: a tone above the new Nyquist frequency is removed below -60 dB") {
  for (const ResampleQuality q : {ResampleQuality::low, ResampleQuality::medium, ResampleQuality::high,
                                  ResampleQuality::very_high}) {
    const Audio out = resample(sine(44100, 44100, 10000.0, 1.0), 16000, q);  // Nyquist 8 kHz
    const double level = 20 * std::log10(rms(out.channels[0], 100, 15900) / (1 / std::sqrt(2.0)));
    CHECK(level < -60.0);
  }
  // while a tone below it passes at full level
  const Audio kept = resample(sine(44100, 44100, 6000.0, 1.0), 16000);
  CHECK(20 * std::log10(rms(kept.channels[0], 1000, 15000) * std::sqrt(2.0)) == doctest::Approx(0.0).epsilon(0.01));
}

TEST_CASE("resample: the length is round(frames times rate over source rate)") {
  const struct {
    int from, to;
    std::size_t frames, expected;
  } cases[] = {{44100, 16000, 1000, 363},     // 362.81
               {22050, 16000, 12345, 8958},   // 8957.8
               {16000, 44100, 777, 2142},     // 2141.6
               {48000, 8000, 1003, 167},      // 167.17
               {8000, 48000, 5, 30}};
  for (const auto& k : cases) {
    CAPTURE(k.from);
    CAPTURE(k.to);
    CHECK(resample(sine(k.from, k.frames, 100.0, 0.3), k.to).frames() == k.expected);
  }
}

TEST_CASE("resample: channels are resampled alike, deterministically, and the same rate is unchanged") {
  Audio stereo = sine(44100, 5000, 700.0, 0.4, 2);
  stereo.file_format = 0x010002;  // SF_FORMAT_WAV | SF_FORMAT_PCM_16
  const Audio a = resample(stereo, 16000), b = resample(stereo, 16000);
  CHECK(a.channels == b.channels);
  CHECK(a.channels[0] == a.channels[1]);
  CHECK(a.file_format == stereo.file_format);
  const Audio same = resample(stereo, 44100);
  CHECK(same.channels == stereo.channels);
  CHECK_THROWS_AS(resample(stereo, 0), augment::UsageError);
}

TEST_CASE("resample: the op takes rate and quality, and refuses a bad quality") {
  augment::Registry registry;
  augment::audio::register_transforms(registry);
  const auto pipeline = augment::Pipeline::from_json(
      {{"kind", "audio"}, {"stages", {{{"op", "resample"}, {"rate", 8000}, {"quality", "medium"}}}}}, registry);
  augment::Sample sample = augment::audio::make_sample(sine(16000, 1600, 300.0, 0.5));
  pipeline.run(sample, augment::Rng(1));
  CHECK(augment::audio::audio_of(sample).sample_rate == 8000);
  CHECK(augment::audio::audio_of(sample).frames() == 800);
  CHECK_THROWS_AS(augment::Pipeline::from_json(
                      {{"kind", "audio"}, {"stages", {{{"op", "resample"}, {"rate", 8000}, {"quality", "best"}}}}},
                      registry),
                  augment::SpecError);
  CHECK_THROWS_AS(augment::Pipeline::from_json({{"kind", "audio"}, {"stages", {{{"op", "resample"}}}}}, registry),
                  augment::SpecError);
}
