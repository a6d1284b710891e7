// stft, spectrogram, istft and griffin_lim against torchaudio 0.13 and by hand.
#include <cmath>
#include <complex>
#include <numbers>

#include <doctest/doctest.h>

#include "augment/audio/griffin_lim.hpp"
#include "augment/audio/register_transforms.hpp"
#include "augment/audio/stft.hpp"
#include "augment/core/error.hpp"
#include "test_spectrogram_fixture.hpp"

using namespace augment::audio;
using augment::UsageError;
using namespace spectrogram_test;

namespace {

Audio tone(std::size_t length, int channels = 1, int sample_rate = 16000) {
  Audio audio;
  audio.sample_rate = sample_rate;
  for (int c = 0; c < channels; ++c) {
    std::vector<float> x(length);
    for (std::size_t i = 0; i < length; ++i)
      x[i] = static_cast<float>(0.6 * std::sin(0.05 * static_cast<double>(i) * (c + 1)) + 0.2 * std::cos(0.71 * static_cast<double>(i) + c));
    audio.channels.push_back(std::move(x));
  }
  return audio;
}

}  // namespace

TEST_CASE("spectrogram with torchaudio's defaults matches torchaudio") {
  const Spectrogram s = spectrogram(reference_audio(), {});
  CHECK(std::vector<int>{s.channels, s.bins, s.frames} == reference_shape("spectrogram_default"));
  CHECK(s.n_fft == 400);
  CHECK(s.win_length == 400);
  CHECK(s.hop_length == 200);
  CHECK(s.power == 2.0);
  CHECK(s.source_length == 1200);
  check_agrees("spectrogram_default", s.values, reference_values("spectrogram_default"));
}

TEST_CASE("spectrogram with n_fft 512, hop 160, win 400, hamming, normalized, power 1 matches torchaudio") {
  const StftSettings settings{.n_fft = 512, .win_length = 400, .hop_length = 160, .window = WindowKind::hamming, .normalized = true};
  const Spectrogram s = spectrogram(reference_audio(), settings, 1.0);
  CHECK(std::vector<int>{s.channels, s.bins, s.frames} == reference_shape("spectrogram_hamming"));
  check_agrees("spectrogram_hamming", s.values, reference_values("spectrogram_hamming"));
}

TEST_CASE("istft of the complex stft matches torchaudio's InverseSpectrogram and gives the input back") {
  const Audio x = reference_audio();
  const Spectrogram s = stft(x, {});
  CHECK(s.is_complex());
  CHECK(s.power == 0.0);
  const Audio back = istft(s);
  CHECK(back.sample_rate == x.sample_rate);
  check_agrees("istft_default", flatten(back), reference_values("istft_default"));
  CHECK(relative_max_difference(flatten(back), flatten(x)) <= 1e-5);
}

TEST_CASE("istft inverts stft for other windows, hops, normalization and padding") {
  const Audio x = tone(1000, 2);
  for (const StftSettings settings :
       {StftSettings{.n_fft = 256, .hop_length = 64, .window = WindowKind::hamming},
        StftSettings{.n_fft = 512, .win_length = 300, .hop_length = 100, .normalized = true},
        StftSettings{.n_fft = 255, .hop_length = 50, .pad_mode = PadMode::constant},
        StftSettings{.n_fft = 128, .hop_length = 32, .window = WindowKind::hamming, .center = false}}) {
    CAPTURE(settings.n_fft);
    const Audio back = istft(stft(x, settings));
    if (settings.center) {
      CHECK(relative_max_difference(flatten(back), flatten(x)) <= 1e-5);
    } else {  // without padding, samples after the last whole frame come back as zeros (torch.istft)
      REQUIRE(back.frames() == x.frames());
      for (std::size_t c = 0; c < 2; ++c)
        for (std::size_t i = 64; i + 64 < 1000; ++i) CHECK(back.channels[c][i] == doctest::Approx(x.channels[c][i]).epsilon(1e-4));
    }
  }
}

TEST_CASE("stft of one frame matches the windowed DFT by hand and satisfies Parseval") {
  // center=false, n_fft = win = length: one frame, X[k] = Σ w[j]x[j]e^{-2πijk/n}.
  const int n = 64;
  const Audio x = tone(n);
  const Spectrogram s = stft(x, {.n_fft = n, .center = false});
  REQUIRE(s.frames == 1);
  REQUIRE(s.bins == n / 2 + 1);
  const std::vector<float> w = make_window(WindowKind::hann, n);
  double energy = 0, spectrum_energy = 0;
  for (int k = 0; k <= n / 2; ++k) {
    std::complex<double> sum;
    for (int j = 0; j < n; ++j)
      sum += double(w[j]) * x.channels[0][j] * std::polar(1.0, -2 * std::numbers::pi * j * k / n);
    CHECK(std::abs(std::complex<double>(s.complex_values[k]) - sum) <= 1e-5);
    spectrum_energy += (k == 0 || k == n / 2 ? 1.0 : 2.0) * std::norm(sum);
  }
  for (int j = 0; j < n; ++j) energy += std::pow(double(w[j]) * x.channels[0][j], 2);
  CHECK(spectrum_energy / n == doctest::Approx(energy).epsilon(1e-9));
  // The power spectrogram is |X|²: Σ over the one-sided bins equals the same energy.
  const Spectrogram p = spectrogram(x, {.n_fft = n, .center = false});
  double power_sum = 0;
  for (int k = 0; k <= n / 2; ++k) power_sum += (k == 0 || k == n / 2 ? 1.0 : 2.0) * p.values[k];
  CHECK(power_sum / n == doctest::Approx(energy).epsilon(1e-5));
}

TEST_CASE("a window shorter than n_fft is zero-padded and centred as torch.stft does") {
  const std::vector<float> w = padded_window(WindowKind::hann, 5, 10);
  const std::vector<double> expected{0, 0, 0, 0.3454915, 0.9045085, 0.9045085, 0.3454915, 0, 0, 0};
  REQUIRE(w.size() == expected.size());
  for (std::size_t i = 0; i < w.size(); ++i) CHECK(w[i] == doctest::Approx(expected[i]));
  const auto hamming = make_window(WindowKind::hamming, 4);
  CHECK(hamming[0] == doctest::Approx(0.08));
  CHECK(hamming[2] == doctest::Approx(1.0));
}

TEST_CASE("frame counts follow torch: centred, constant padding and no padding") {
  CHECK(stft_frame_count(1200, {}) == 7);
  CHECK(stft_frame_count(1200, {.n_fft = 512, .hop_length = 160}) == 8);
  CHECK(stft_frame_count(400, {.center = false}) == 1);
  CHECK(stft_frame_count(1, {.pad_mode = PadMode::constant}) == 1);
}

TEST_CASE("a clip too short for reflect padding is a clear error; constant padding takes it") {
  const Audio short_clip = tone(200);
  try {
    (void)spectrogram(short_clip, {});
    FAIL("expected an error");
  } catch (const UsageError& e) {
    const std::string m = e.what();
    CHECK(m.find("201 samples") != std::string::npos);
    CHECK(m.find("pad_mode \"constant\"") != std::string::npos);
    CHECK(m.find("smaller n_fft") != std::string::npos);
  }
  const Spectrogram s = spectrogram(short_clip, {.pad_mode = PadMode::constant});
  CHECK(s.frames == 2);
  const Spectrogram one = spectrogram(tone(1), {.pad_mode = PadMode::constant});
  CHECK(one.frames == 1);
  CHECK(istft(stft(tone(150), {.pad_mode = PadMode::constant})).frames() == 150);
  CHECK_THROWS_AS((void)spectrogram(tone(300), {.center = false}), UsageError);
}

TEST_CASE("channels are transformed independently and results are deterministic") {
  const Audio stereo = reference_audio();
  const Spectrogram both = spectrogram(stereo, {});
  for (int c = 0; c < 2; ++c) {
    Audio mono = stereo;
    mono.channels = {stereo.channels[static_cast<std::size_t>(c)]};
    const Spectrogram one = spectrogram(mono, {});
    const std::size_t plane = static_cast<std::size_t>(one.bins) * static_cast<std::size_t>(one.frames);
    CHECK(std::equal(one.values.begin(), one.values.end(), both.values.begin() + static_cast<std::ptrdiff_t>(c * plane)));
  }
  CHECK(spectrogram(stereo, {}).values == both.values);
  CHECK(stft(stereo, {}).complex_values == stft(stereo, {}).complex_values);
}

TEST_CASE("bad inputs are clear errors: NaN audio, real spectrogram to istft, bad settings") {
  Audio bad = tone(1000);
  bad.channels[0][17] = NAN;
  CHECK_THROWS_WITH_AS((void)spectrogram(bad, {}), doctest::Contains("frame 17 is not finite"), UsageError);
  const Spectrogram power = spectrogram(tone(1000), {});
  CHECK_THROWS_WITH_AS((void)istft(power), doctest::Contains("griffin_lim"), UsageError);
  Spectrogram nan_spec = stft(tone(1000), {});
  nan_spec.complex_values[5] = {NAN, 0};
  CHECK_THROWS_WITH_AS((void)istft(nan_spec), doctest::Contains("not finite"), UsageError);
  CHECK_THROWS_AS((void)spectrogram(tone(1000), {.n_fft = 100, .win_length = 200}), UsageError);
  CHECK_THROWS_AS((void)spectrogram(tone(1000), {}, 0.0), UsageError);
  CHECK_THROWS_WITH_AS((void)istft(stft(tone(1000), {.n_fft = 64, .win_length = 16, .hop_length = 40})),
                       doctest::Contains("overlap-add is zero"), UsageError);
  CHECK_THROWS_AS((void)griffin_lim(stft(tone(1000), {})), UsageError);
}

TEST_CASE("griffin_lim matches torchaudio's GriffinLim with rand_init off") {
  const Spectrogram s = spectrogram(reference_audio(), {});
  const Audio out = griffin_lim(s);
  CHECK(out.frames() == 1200);
  // 32 iterations amplify float rounding differences, so this agreement is looser.
  check_agrees("griffin_lim_default", flatten(out), reference_values("griffin_lim_default"), 1e-3);
}

TEST_CASE("griffin_lim lowers the spectral convergence error as it iterates and is deterministic") {
  const Audio x = tone(4000, 2);
  for (const double power : {1.0, 2.0}) {
    const Spectrogram s = spectrogram(x, {.n_fft = 256, .hop_length = 64, .normalized = power == 1.0}, power);
    double previous = INFINITY;
    for (const int n_iter : {0, 4, 16, 64}) {
      const double error = spectral_convergence(griffin_lim(s, {.n_iter = n_iter}), s);
      CAPTURE(n_iter);
      CHECK(error < previous);
      MESSAGE("power " << power << ", n_iter " << n_iter << ": spectral convergence " << error);
      previous = error;
    }
    CHECK(previous < 0.15);
    CHECK(griffin_lim(s, {.n_iter = 8}).channels == griffin_lim(s, {.n_iter = 8}).channels);
    augment::Rng a(7), b(7);
    CHECK(griffin_lim(s, {.n_iter = 4, .rand_init = true}, &a).channels ==
          griffin_lim(s, {.n_iter = 4, .rand_init = true}, &b).channels);
  }
}

TEST_CASE("the stft, spectrogram, istft and griffin_lim ops are registered and chain audio to spectrogram and back") {
  augment::Registry registry;
  register_transforms(registry);
  const auto* spec = registry.find("spectrogram", augment::Kind::audio);
  REQUIRE(spec);
  CHECK(spec->output == augment::Kind::spectrogram);
  const auto settings = spec->resolve({{"n_fft", 256}, {"window", "hamming"}, {"power", 1}});
  CHECK(settings["pad_mode"] == "reflect");
  CHECK_THROWS_AS(spec->resolve({{"n_fft", 256}, {"win_length", 300}}), std::invalid_argument);
  CHECK_THROWS_AS(spec->resolve({{"window", "blackman"}}), std::invalid_argument);
  const auto transform = spec->create(*spec, settings);
  augment::Sample sample = make_sample(tone(2000));
  transform->apply(sample, {});
  CHECK(sample.kind() == augment::Kind::spectrogram);
  CHECK(spectrogram_of(sample).values == spectrogram(tone(2000), {.n_fft = 256, .window = WindowKind::hamming}, 1.0).values);

  const auto* stft_info = registry.find("stft", augment::Kind::audio);
  const auto* istft_info = registry.find("istft", augment::Kind::spectrogram);
  const auto* gl_info = registry.find("griffin_lim", augment::Kind::spectrogram);
  REQUIRE(stft_info);
  REQUIRE(istft_info);
  REQUIRE(gl_info);
  CHECK(istft_info->output == augment::Kind::audio);
  CHECK(gl_info->output == augment::Kind::audio);
  augment::Sample round = make_sample(tone(2000));
  stft_info->create(*stft_info, stft_info->resolve(nlohmann::json::object()))->apply(round, {});
  istft_info->create(*istft_info, istft_info->resolve(nlohmann::json::object()))->apply(round, {});
  CHECK(relative_max_difference(flatten(audio_of(round)), flatten(tone(2000))) <= 1e-5);

  const auto gl = gl_info->create(*gl_info, gl_info->resolve({{"n_iter", 2}, {"rand_init", true}}));
  CHECK(gl->is_random());
  augment::Rng rng(3);
  augment::Sample power_sample = make_sample(spectrogram(tone(2000), {}));
  const auto params = gl->draw(rng, power_sample);
  CHECK(params.contains("seed"));
  augment::Sample again = power_sample;
  gl->apply(power_sample, params);
  gl->apply(again, params);
  CHECK(audio_of(power_sample).channels == audio_of(again).channels);
  CHECK_FALSE(gl_info->create(*gl_info, gl_info->resolve(nlohmann::json::object()))->is_random());
}
