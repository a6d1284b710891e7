#include "augment/audio/griffin_lim.hpp"

#include <cmath>
#include <complex>
#include <numbers>

#include "augment/audio/stft.hpp"
#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"

namespace augment::audio {
namespace {

using Complex = std::complex<float>;

void check_input(const Spectrogram& s, const char* what) {
  check_spectrogram(s, what);
  const std::string name = what;
  if (s.is_complex()) throw UsageError(name + ": takes a power or magnitude spectrogram; use istft for the complex STFT");
  if (s.frequency_scale != "linear" || s.decibels)
    throw UsageError(name + ": needs a linear power or magnitude spectrogram, got " +
                     (s.decibels ? std::string("decibels") : "a " + s.frequency_scale + " one"));
  if (!(s.power > 0)) throw UsageError(name + ": the spectrogram's power must be > 0, got " + format_number(s.power));
  if (s.sample_rate <= 0 || s.n_fft < 1 || s.hop_length < 1 || s.bins != s.n_fft / 2 + 1)
    throw UsageError(name + ": the spectrogram does not record consistent STFT settings (sample_rate, n_fft, hop_length)");
}

// The STFT settings the phase iterations use: those recorded, unnormalized (the magnitudes are
// rescaled instead), padding with zeros when the source is too short to reflect.
StftSettings inner_settings(const Spectrogram& s, std::size_t length) {
  StftSettings settings = stft_settings_of(s);
  settings.normalized = false;
  if (settings.center && length <= static_cast<std::size_t>(settings.n_fft / 2)) settings.pad_mode = PadMode::constant;
  return settings;
}

// |X| as recorded spectrograms hold it, unnormalized.
std::vector<float> magnitudes(const Spectrogram& s) {
  std::vector<float> out(s.values.size());
  double scale = 1.0;
  if (s.normalized) {
    double energy = 0;
    for (float w : padded_window(parse_window(s.window), s.win_length > 0 ? s.win_length : s.n_fft, s.n_fft))
      energy += static_cast<double>(w) * w;
    scale = std::sqrt(energy);
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    const double v = s.power == 1.0 ? s.values[i] : std::pow(static_cast<double>(s.values[i]), 1.0 / s.power);
    out[i] = static_cast<float>(v * scale);
  }
  return out;
}

std::size_t length_of(const Spectrogram& s) {
  if (s.source_length > 0) return s.source_length;
  const auto n_fft = static_cast<std::size_t>(s.n_fft), hop = static_cast<std::size_t>(s.hop_length);
  const std::size_t full = n_fft + hop * static_cast<std::size_t>(s.frames - 1);
  return s.center ? full - 2 * (n_fft / 2) : full;
}

}  // namespace

Audio griffin_lim(const Spectrogram& s, const GriffinLimSettings& settings, Rng* rng) {
  check_input(s, "griffin_lim");
  if (settings.n_iter < 0) throw UsageError("griffin_lim: n_iter must be >= 0, got " + std::to_string(settings.n_iter));
  if (!(settings.momentum >= 0 && settings.momentum < 1))
    throw UsageError("griffin_lim: momentum must be in [0, 1), got " + format_number(settings.momentum));
  if (settings.rand_init && !rng) throw UsageError("griffin_lim: rand_init needs a random generator");
  const std::size_t length = length_of(s);
  const StftSettings stft_settings = inner_settings(s, length);
  const std::vector<float> magnitude = magnitudes(s);
  const double momentum = settings.momentum / (1.0 + settings.momentum);

  Spectrogram estimate = s;  // the complex STFT we invert: magnitude·angles
  estimate.values.clear();
  estimate.power = 0.0;
  estimate.normalized = false;
  estimate.source_length = length;
  std::vector<Complex> angles(magnitude.size(), Complex(1.0f, 0.0f));
  if (settings.rand_init)
    for (Complex& a : angles) a = std::polar(1.0f, static_cast<float>(2.0 * std::numbers::pi * rng->uniform()));
  std::vector<Complex> previous(magnitude.size(), Complex(0.0f, 0.0f));
  auto invert = [&] {
    estimate.complex_values.resize(magnitude.size());
    for (std::size_t i = 0; i < magnitude.size(); ++i) estimate.complex_values[i] = magnitude[i] * angles[i];
    return istft(estimate, length);
  };
  for (int iteration = 0; iteration < settings.n_iter; ++iteration) {
    Audio audio = invert();
    audio.sample_rate = s.sample_rate;
    const Spectrogram rebuilt = stft(audio, stft_settings);
    if (rebuilt.complex_values.size() != magnitude.size())
      throw UsageError("griffin_lim: the spectrogram's frame count does not match its source_length");
    for (std::size_t i = 0; i < angles.size(); ++i) {
      const Complex x = rebuilt.complex_values[i];
      const Complex a = x - static_cast<float>(momentum) * previous[i];
      angles[i] = a / (std::abs(a) + 1e-16f);
      previous[i] = x;
    }
  }
  Audio audio = invert();
  audio.sample_rate = s.sample_rate;
  return audio;
}

double spectral_convergence(const Audio& audio, const Spectrogram& s) {
  check_input(s, "spectral_convergence");
  const Spectrogram rebuilt = stft(audio, inner_settings(s, audio.frames()));
  const std::vector<float> target = magnitudes(s);
  if (rebuilt.complex_values.size() != target.size())
    throw UsageError("spectral_convergence: the audio's STFT has another shape than the spectrogram");
  double difference = 0, norm = 0;
  for (std::size_t i = 0; i < target.size(); ++i) {
    const double d = std::abs(std::complex<double>(rebuilt.complex_values[i])) - target[i];
    difference += d * d;
    norm += static_cast<double>(target[i]) * target[i];
  }
  return norm > 0 ? std::sqrt(difference / norm) : std::sqrt(difference);
}

namespace {

using nlohmann::json;

class GriffinLim final : public Transform {
 public:
  GriffinLim(const OpInfo& info, const json& settings)
      : Transform(info, settings),
        settings_{.n_iter = settings.at("n_iter").get<int>(),
                  .momentum = settings.at("momentum").get<double>(),
                  .rand_init = settings.at("rand_init").get<bool>()} {}
  bool is_random() const override { return settings_.rand_init; }
  json draw(Rng& rng, const Sample&) const override {
    if (!settings_.rand_init) return json::object();
    return {{"seed", rng.next_u64()}};
  }
  void apply(Sample& sample, const json& params) const override {
    std::optional<Rng> rng;
    if (settings_.rand_init) {
      if (!params.contains("seed") || !params["seed"].is_number_unsigned())
        throw UsageError("griffin_lim: rand_init needs params {\"seed\": N}, got " + params.dump());
      rng.emplace(params["seed"].get<std::uint64_t>());
    }
    sample = make_sample(griffin_lim(spectrogram_of(sample), settings_, rng ? &*rng : nullptr));
  }

 private:
  GriffinLimSettings settings_;
};

}  // namespace

OpInfo griffin_lim_op() {
  return {
      .name = "griffin_lim",
      .input = Kind::spectrogram,
      .output = Kind::audio,
      .doc = "audio from a power or magnitude spectrogram by fast Griffin-Lim phase estimation "
             "(torchaudio.functional.griffinlim); zero initial phase unless rand_init",
      .params = {{.name = "n_iter", .type = ParamType::integer, .default_value = 32, .minimum = 0.0, .maximum = 10000.0,
                  .doc = "iterations"},
                 {.name = "momentum", .default_value = 0.99, .minimum = 0.0, .maximum = 0.999,
                  .doc = "fast Griffin-Lim momentum (0: the original algorithm)"},
                 {.name = "rand_init", .type = ParamType::boolean, .default_value = false,
                  .doc = "random initial phase drawn per sample (recorded as a seed) instead of zero"}},
      .create = make_transform<GriffinLim>,
  };
}

}  // namespace augment::audio
