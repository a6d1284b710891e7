#include "augment/audio/mel.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "augment/audio/stft.hpp"
#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"

namespace augment::audio {
namespace {

// Slaney's scale: linear to 1 kHz, then log with 27 mels per factor 6.4.
constexpr double slaney_hz_per_mel = 200.0 / 3.0;
constexpr double slaney_log_hz = 1000.0;
constexpr double slaney_log_mel = slaney_log_hz / slaney_hz_per_mel;
const double slaney_log_step = std::log(6.4) / 27.0;

}  // namespace

MelScale parse_mel_scale(std::string_view name) {
  if (name == "htk") return MelScale::htk;
  if (name == "slaney") return MelScale::slaney;
  throw std::invalid_argument("mel_scale must be \"htk\" or \"slaney\", got \"" + std::string(name) + "\"");
}

MelNorm parse_mel_norm(std::string_view name) {
  if (name == "none") return MelNorm::none;
  if (name == "slaney") return MelNorm::slaney;
  throw std::invalid_argument("norm must be \"none\" or \"slaney\", got \"" + std::string(name) + "\"");
}

std::string to_string(MelScale scale) { return scale == MelScale::htk ? "htk" : "slaney"; }
std::string to_string(MelNorm norm) { return norm == MelNorm::none ? "none" : "slaney"; }

double hz_to_mel(double hz, MelScale scale) {
  if (scale == MelScale::htk) return 2595.0 * std::log10(1.0 + hz / 700.0);
  if (hz >= slaney_log_hz) return slaney_log_mel + std::log(hz / slaney_log_hz) / slaney_log_step;
  return hz / slaney_hz_per_mel;
}

double mel_to_hz(double mel, MelScale scale) {
  if (scale == MelScale::htk) return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0);
  if (mel >= slaney_log_mel) return slaney_log_hz * std::exp(slaney_log_step * (mel - slaney_log_mel));
  return slaney_hz_per_mel * mel;
}

std::vector<float> mel_filterbank(int n_freqs, int sample_rate, const MelSettings& s) {
  if (s.n_mels < 1) throw UsageError("mel: n_mels must be >= 1, got " + std::to_string(s.n_mels));
  if (n_freqs < 2) throw UsageError("mel: needs at least 2 frequency bins, got " + std::to_string(n_freqs));
  if (sample_rate < 1) throw UsageError("mel: the sample rate must be >= 1, got " + std::to_string(sample_rate));
  const double f_max = s.f_max.value_or(static_cast<double>(sample_rate / 2));
  if (!(s.f_min >= 0) || !(s.f_min <= f_max) || !std::isfinite(f_max))
    throw UsageError("mel: needs 0 <= f_min <= f_max, got f_min " + format_number(s.f_min) + ", f_max " + format_number(f_max));
  const auto n_mels = static_cast<std::size_t>(s.n_mels), freqs = static_cast<std::size_t>(n_freqs);
  // torchaudio's bin frequencies use the integer half rate (linspace(0, sample_rate // 2, n_freqs)).
  const double nyquist = static_cast<double>(sample_rate / 2);
  std::vector<double> corners(n_mels + 2);
  const double m_min = hz_to_mel(s.f_min, s.scale), m_max = hz_to_mel(f_max, s.scale);
  for (std::size_t i = 0; i < corners.size(); ++i)
    corners[i] = mel_to_hz(m_min + (m_max - m_min) * static_cast<double>(i) / static_cast<double>(n_mels + 1), s.scale);
  std::vector<float> fb(freqs * n_mels);
  for (std::size_t k = 0; k < freqs; ++k) {
    const double f = nyquist * static_cast<double>(k) / static_cast<double>(freqs - 1);
    for (std::size_t m = 0; m < n_mels; ++m) {
      const double down = (f - corners[m]) / (corners[m + 1] - corners[m]);
      const double up = (corners[m + 2] - f) / (corners[m + 2] - corners[m + 1]);
      double weight = std::max(0.0, std::min(down, up));
      if (s.norm == MelNorm::slaney) weight *= 2.0 / (corners[m + 2] - corners[m]);
      fb[k * n_mels + m] = static_cast<float>(weight);
    }
  }
  return fb;
}

Spectrogram mel(const Spectrogram& in, const MelSettings& settings) {
  check_spectrogram(in, "mel");
  if (in.is_complex()) throw UsageError("mel: needs a real power or magnitude spectrogram, got the complex STFT (use spectrogram)");
  if (in.frequency_scale != "linear") throw UsageError("mel: needs a linear spectrogram, got a " + in.frequency_scale + " one");
  if (in.decibels) throw UsageError("mel: needs power or magnitude values, got decibels (apply db after mel)");
  const std::vector<float> fb = mel_filterbank(in.bins, in.sample_rate, settings);
  const auto n_mels = static_cast<std::size_t>(settings.n_mels), bins = static_cast<std::size_t>(in.bins);
  const auto frames = static_cast<std::size_t>(in.frames);
  Spectrogram out = in;
  out.values.assign(static_cast<std::size_t>(in.channels) * n_mels * frames, 0.0f);
  out.bins = settings.n_mels;
  out.frequency_scale = "mel";
  const double f_max = settings.f_max.value_or(static_cast<double>(in.sample_rate / 2));
  out.mel = {{"n_mels", settings.n_mels}, {"f_min", settings.f_min}, {"f_max", f_max},
             {"mel_scale", to_string(settings.scale)}, {"norm", to_string(settings.norm)}};
  std::vector<double> sum(frames);
  for (std::size_t c = 0; c < static_cast<std::size_t>(in.channels); ++c)
    for (std::size_t m = 0; m < n_mels; ++m) {
      std::fill(sum.begin(), sum.end(), 0.0);
      for (std::size_t k = 0; k < bins; ++k) {
        const double w = fb[k * n_mels + m];
        if (w == 0.0) continue;  // most of a triangle's row is zero
        const float* row = in.values.data() + (c * bins + k) * frames;
        for (std::size_t t = 0; t < frames; ++t) sum[t] += w * row[t];
      }
      float* dst = out.values.data() + (c * n_mels + m) * frames;
      for (std::size_t t = 0; t < frames; ++t) dst[t] = static_cast<float>(sum[t]);
    }
  return out;
}

namespace {

using nlohmann::json;

MelSettings mel_settings_from(const json& j) {
  MelSettings s;
  s.n_mels = j.at("n_mels").get<int>();
  s.f_min = j.at("f_min").get<double>();
  if (j.contains("f_max") && !j["f_max"].is_null()) s.f_max = j["f_max"].get<double>();
  s.scale = parse_mel_scale(j.at("mel_scale").get<std::string>());
  s.norm = parse_mel_norm(j.at("norm").get<std::string>());
  return s;
}

class Mel final : public Transform {
 public:
  Mel(const OpInfo& info, const json& settings) : Transform(info, settings), settings_(mel_settings_from(settings)) {}
  void apply(Sample& sample, const json&) const override { sample = make_sample(mel(spectrogram_of(sample), settings_)); }

 private:
  MelSettings settings_;
};

}  // namespace

OpInfo mel_op() {
  return {
      .name = "mel",
      .input = Kind::spectrogram,
      .output = Kind::spectrogram,
      .doc = "mel bands of a power or magnitude spectrogram (torchaudio.transforms.MelScale; "
             "slaney scale + slaney norm is librosa's filterbank)",
      .params = {{.name = "n_mels", .type = ParamType::integer, .default_value = 128, .minimum = 1.0, .maximum = 4096.0,
                  .doc = "mel bands"},
                 {.name = "f_min", .default_value = 0.0, .minimum = 0.0, .doc = "lowest frequency (Hz)"},
                 {.name = "f_max", .minimum = 0.0, .doc = "highest frequency (Hz); default sample_rate // 2"},
                 {.name = "mel_scale", .type = ParamType::string, .default_value = "htk", .choices = {"htk", "slaney"},
                  .doc = "Hz to mel formula"},
                 {.name = "norm", .type = ParamType::string, .default_value = "none", .choices = {"none", "slaney"},
                  .doc = "slaney: divide each triangle by its width / 2 (equal area)"}},
      .check =
          [](const json& j) {
            if (j.contains("f_max") && !j["f_max"].is_null() && j["f_max"].get<double>() < j["f_min"].get<double>())
              throw std::invalid_argument("f_min (" + j["f_min"].dump() + ") must be <= f_max (" + j["f_max"].dump() + ")");
          },
      .create = make_transform<Mel>,
  };
}

}  // namespace augment::audio
