// mel filterbanks, mel, db and mfcc against torchaudio 0.13 (and librosa's formula).
#include <cmath>

#include <doctest/doctest.h>

#include "augment/audio/decibels.hpp"
#include "augment/audio/mel.hpp"
#include "augment/audio/mfcc.hpp"
#include "augment/audio/register_transforms.hpp"
#include "augment/audio/stft.hpp"
#include "augment/core/error.hpp"
#include "test_spectrogram_fixture.hpp"

using namespace augment::audio;
using augment::UsageError;
using namespace spectrogram_test;

TEST_CASE("mel filterbanks match torchaudio's melscale_fbanks and librosa's slaney filterbank") {
  check_agrees("fbanks_htk", mel_filterbank(33, 16000, {.n_mels = 16, .f_max = 8000.0}), reference_values("fbanks_htk"));
  const MelSettings slaney{.n_mels = 16, .f_min = 100.0, .f_max = 7600.0, .scale = MelScale::slaney, .norm = MelNorm::slaney};
  const std::vector<float> fb = mel_filterbank(33, 16000, slaney);
  check_agrees("fbanks_slaney", fb, reference_values("fbanks_slaney"));
  check_agrees("fbanks_librosa", fb, reference_values("fbanks_librosa"));
}

TEST_CASE("the mel scales convert both ways and slaney is linear below 1 kHz") {
  for (const MelScale scale : {MelScale::htk, MelScale::slaney})
    for (const double hz : {0.0, 440.0, 999.0, 1000.0, 4000.0, 8000.0}) CHECK(mel_to_hz(hz_to_mel(hz, scale), scale) == doctest::Approx(hz));
  CHECK(hz_to_mel(600.0, MelScale::slaney) == doctest::Approx(9.0));
  CHECK(hz_to_mel(1000.0, MelScale::slaney) == doctest::Approx(15.0));
  CHECK(hz_to_mel(700.0, MelScale::htk) == doctest::Approx(2595.0 * std::log10(2.0)));
}

TEST_CASE("mel spectrograms match torchaudio's MelSpectrogram, htk and slaney") {
  const Audio x = reference_audio();
  const Spectrogram htk = mel(spectrogram(x, {}), {});
  CHECK(std::vector<int>{htk.channels, htk.bins, htk.frames} == reference_shape("mel_htk"));
  CHECK(htk.frequency_scale == "mel");
  CHECK(htk.mel["n_mels"] == 128);
  CHECK(htk.mel["f_max"] == 8000.0);
  check_agrees("mel_htk", htk.values, reference_values("mel_htk"));
  const Spectrogram slaney = mel(spectrogram(x, {.n_fft = 512}),
                                 {.n_mels = 64, .f_min = 50.0, .f_max = 7000.0, .scale = MelScale::slaney, .norm = MelNorm::slaney});
  check_agrees("mel_slaney", slaney.values, reference_values("mel_slaney"));
}

TEST_CASE("db matches torchaudio's AmplitudeToDB with top_db over the whole sample, for power and magnitude") {
  const Audio x = reference_audio();
  const Spectrogram mel_db = db(mel(spectrogram(x, {}), {}), {.top_db = 80.0});
  CHECK(mel_db.decibels);
  check_agrees("db_mel_htk_top_db_80", mel_db.values, reference_values("db_mel_htk_top_db_80"));
  const Spectrogram magnitude_db = db(spectrogram(x, {}, 1.0), {.top_db = 50.0});
  check_agrees("db_magnitude_top_db_50", magnitude_db.values, reference_values("db_magnitude_top_db_50"));
  // By hand: power 2 → 10·log10, magnitude → 20·log10, amin clamps, ref shifts.
  Spectrogram tiny;
  tiny.channels = 1, tiny.bins = 1, tiny.frames = 3;
  tiny.values = {100.0f, 0.0f, 1.0f};
  tiny.sample_rate = 16000;
  CHECK(db(tiny).values == std::vector<float>{20.0f, -100.0f, 0.0f});
  CHECK(db(tiny, {.ref = 10.0}).values[0] == doctest::Approx(10.0));
  CHECK(db(tiny, {.top_db = 30.0}).values == std::vector<float>{20.0f, -10.0f, 0.0f});
  tiny.power = 1.0;
  CHECK(db(tiny).values[0] == doctest::Approx(40.0));
}

TEST_CASE("mfcc matches torchaudio's MFCC, and from a dB mel spectrogram only applies the DCT") {
  const Audio x = reference_audio();
  const Spectrogram mel_power = mel(spectrogram(x, {}), {});
  const Spectrogram coefficients = mfcc(mel_power, {});
  CHECK(std::vector<int>{coefficients.channels, coefficients.bins, coefficients.frames} == reference_shape("mfcc"));
  CHECK(coefficients.frequency_scale == "mfcc");
  check_agrees("mfcc", coefficients.values, reference_values("mfcc"));
  CHECK(mfcc(db(mel_power, {.top_db = 80.0}), {}).values == coefficients.values);
  // The DCT matrix is orthonormal: with n_mfcc = n_mels, D·Dᵀ = I.
  const std::vector<float> d = dct_matrix(8, 8);
  for (int i = 0; i < 8; ++i)
    for (int j = 0; j < 8; ++j) {
      double dot = 0;
      for (int k = 0; k < 8; ++k) dot += double(d[i * 8 + k]) * d[j * 8 + k];
      CHECK(dot == doctest::Approx(i == j ? 1.0 : 0.0).epsilon(1e-6));
    }
}

TEST_CASE("mel, db and mfcc refuse what they cannot take") {
  const Audio x = reference_audio();
  const Spectrogram complex_spec = stft(x, {});
  CHECK_THROWS_WITH_AS((void)mel(complex_spec, {}), doctest::Contains("complex"), UsageError);
  CHECK_THROWS_WITH_AS((void)db(complex_spec), doctest::Contains("complex"), UsageError);
  const Spectrogram power = spectrogram(x, {});
  CHECK_THROWS_WITH_AS((void)mfcc(power), doctest::Contains("apply mel first"), UsageError);
  CHECK_THROWS_WITH_AS((void)mel(db(power), {}), doctest::Contains("decibels"), UsageError);
  CHECK_THROWS_WITH_AS((void)db(db(power)), doctest::Contains("already"), UsageError);
  CHECK_THROWS_WITH_AS((void)mfcc(mel(power, {.n_mels = 20}), {.n_mfcc = 40}), doctest::Contains("n_mfcc"), UsageError);
  CHECK_THROWS_AS((void)mel(power, {.f_min = 5000.0, .f_max = 1000.0}), UsageError);
  Spectrogram nan_spec = power;
  nan_spec.values[3] = NAN;
  CHECK_THROWS_WITH_AS((void)mel(nan_spec, {}), doctest::Contains("not finite"), UsageError);
  Spectrogram unknown_rate = power;
  unknown_rate.sample_rate = 0;
  CHECK_THROWS_WITH_AS((void)mel(unknown_rate, {}), doctest::Contains("sample rate"), UsageError);
}

TEST_CASE("the mel, db and mfcc ops are registered and chain spectrogram to spectrogram") {
  augment::Registry registry;
  register_transforms(registry);
  augment::Sample sample = make_sample(spectrogram(reference_audio(), {}));
  for (const auto& [name, given] : std::vector<std::pair<std::string, nlohmann::json>>{
           {"mel", {{"n_mels", 64}, {"mel_scale", "slaney"}, {"norm", "slaney"}}},
           {"db", {{"top_db", 80}}},
           {"mfcc", {{"n_mfcc", 13}}}}) {
    const auto* info = registry.find(name, augment::Kind::spectrogram);
    REQUIRE(info);
    CHECK(info->output == augment::Kind::spectrogram);
    info->create(*info, info->resolve(given))->apply(sample, {});
  }
  const Spectrogram& out = spectrogram_of(sample);
  CHECK(out.bins == 13);
  const Spectrogram direct =
      mfcc(db(mel(spectrogram(reference_audio(), {}), {.n_mels = 64, .scale = MelScale::slaney, .norm = MelNorm::slaney}),
              {.top_db = 80.0}),
           {.n_mfcc = 13});
  CHECK(out.values == direct.values);
  const auto* mel_info = registry.find("mel", augment::Kind::spectrogram);
  CHECK_THROWS_AS(mel_info->resolve({{"f_min", 4000}, {"f_max", 1000}}), std::invalid_argument);
}
