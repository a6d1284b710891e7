#include "augment/audio/mfcc.hpp"

#include <cmath>
#include <numbers>

#include "augment/audio/decibels.hpp"
#include "augment/audio/stft.hpp"
#include "augment/core/error.hpp"

namespace augment::audio {

std::vector<float> dct_matrix(int n_mfcc, int n_mels) {
  const auto coefficients = static_cast<std::size_t>(n_mfcc), bands = static_cast<std::size_t>(n_mels);
  std::vector<float> dct(bands * coefficients);
  const double scale = std::sqrt(2.0 / n_mels);
  for (std::size_t m = 0; m < bands; ++m)
    for (std::size_t k = 0; k < coefficients; ++k) {
      double v = scale * std::cos(std::numbers::pi / n_mels * (static_cast<double>(m) + 0.5) * static_cast<double>(k));
      if (k == 0) v /= std::numbers::sqrt2;
      dct[m * coefficients + k] = static_cast<float>(v);
    }
  return dct;
}

Spectrogram mfcc(const Spectrogram& in, const MfccSettings& settings) {
  check_spectrogram(in, "mfcc");
  if (in.is_complex()) throw UsageError("mfcc: needs a mel spectrogram, got the complex STFT");
  if (in.frequency_scale != "mel")
    throw UsageError("mfcc: needs a mel spectrogram (apply mel first), got a " + in.frequency_scale + " one");
  if (settings.n_mfcc < 1 || settings.n_mfcc > in.bins)
    throw UsageError("mfcc: n_mfcc must be in [1, " + std::to_string(in.bins) + "] (the mel bands), got " +
                     std::to_string(settings.n_mfcc));
  const Spectrogram logged = in.decibels ? in : db(in, {.top_db = settings.top_db, .multiplier = 10.0});
  const auto n_mels = static_cast<std::size_t>(in.bins), n_mfcc = static_cast<std::size_t>(settings.n_mfcc);
  const auto frames = static_cast<std::size_t>(in.frames);
  const std::vector<float> dct = dct_matrix(settings.n_mfcc, in.bins);
  Spectrogram out = logged;
  out.bins = settings.n_mfcc;
  out.values.assign(static_cast<std::size_t>(in.channels) * n_mfcc * frames, 0.0f);
  out.frequency_scale = "mfcc";
  out.decibels = true;
  std::vector<double> sum(frames);
  for (std::size_t c = 0; c < static_cast<std::size_t>(in.channels); ++c)
    for (std::size_t k = 0; k < n_mfcc; ++k) {
      std::fill(sum.begin(), sum.end(), 0.0);
      for (std::size_t m = 0; m < n_mels; ++m) {
        const double w = dct[m * n_mfcc + k];
        const float* row = logged.values.data() + (c * n_mels + m) * frames;
        for (std::size_t t = 0; t < frames; ++t) sum[t] += w * row[t];
      }
      float* dst = out.values.data() + (c * n_mfcc + k) * frames;
      for (std::size_t t = 0; t < frames; ++t) dst[t] = static_cast<float>(sum[t]);
    }
  return out;
}

namespace {

using nlohmann::json;

class Mfcc final : public Transform {
 public:
  Mfcc(const OpInfo& info, const json& settings)
      : Transform(info, settings),
        settings_{.n_mfcc = settings.at("n_mfcc").get<int>(), .top_db = settings.at("top_db").get<double>()} {}
  void apply(Sample& sample, const json&) const override { sample = make_sample(mfcc(spectrogram_of(sample), settings_)); }

 private:
  MfccSettings settings_;
};

}  // namespace

OpInfo mfcc_op() {
  return {
      .name = "mfcc",
      .input = Kind::spectrogram,
      .output = Kind::spectrogram,
      .doc = "MFCCs of a mel spectrogram (torchaudio.transforms.MFCC): dB with top_db (skipped when already dB), "
             "then the orthonormal DCT-II over the mel bands",
      .params = {{.name = "n_mfcc", .type = ParamType::integer, .default_value = 40, .minimum = 1.0, .maximum = 4096.0,
                  .doc = "coefficients kept (<= mel bands)"},
                 {.name = "top_db", .default_value = 80.0, .minimum = 0.0,
                  .doc = "dB floor below the sample's max, for a mel spectrogram not yet in dB"}},
      .create = make_transform<Mfcc>,
  };
}

}  // namespace augment::audio
