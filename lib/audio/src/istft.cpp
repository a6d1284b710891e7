// The inverse STFT (torch.istft's overlap-add) and its op.
#include <cmath>
#include <complex>
#include <optional>

#include "augment/audio/fft.hpp"
#include "augment/audio/stft.hpp"
#include "augment/core/error.hpp"
#include "augment/core/registry.hpp"
#include "stft_framing.hpp"

namespace augment::audio {

using detail::AlignedVector;
using detail::Complex;
using detail::Framing;
using detail::resolve;
using detail::window_energy;

Audio istft(const Spectrogram& s, std::optional<std::size_t> length) {
  check_spectrogram(s, "istft");
  if (!s.is_complex())
    throw UsageError("istft: needs the complex STFT (from stft); this spectrogram is real (power " + std::to_string(s.power) +
                     "): use griffin_lim to estimate the phase");
  if (s.frequency_scale != "linear") throw UsageError("istft: needs linear STFT bins, got a " + s.frequency_scale + " spectrogram");
  if (s.sample_rate <= 0 || s.n_fft < 1 || s.hop_length < 1)
    throw UsageError("istft: the spectrogram does not say how it was made (sample_rate, n_fft, hop_length)");
  if (s.bins != s.n_fft / 2 + 1)
    throw UsageError("istft: " + std::to_string(s.bins) + " bins do not match n_fft " + std::to_string(s.n_fft) + " (" +
                     std::to_string(s.n_fft / 2 + 1) + " bins)");
  Framing f;
  try {
    f = resolve(stft_settings_of(s));
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("istft: ") + e.what());
  }
  const auto n_fft = static_cast<std::size_t>(f.n_fft), hop = static_cast<std::size_t>(f.hop_length);
  const auto bins = static_cast<std::size_t>(f.bins), frames = static_cast<std::size_t>(s.frames);
  const std::size_t full = n_fft + hop * (frames - 1);
  const std::size_t start = s.center ? n_fft / 2 : 0;
  std::size_t out_length = s.center ? full - 2 * (n_fft / 2) : full;
  if (length) out_length = *length;
  else if (s.source_length > 0) out_length = s.source_length;
  const std::size_t end = std::min(full, start + out_length);

  // torch.istft's window envelope: Σ_t w²[i − t·hop], the gain the overlap-add applied.
  std::vector<double> envelope(full, 0.0);
  for (std::size_t t = 0; t < frames; ++t)
    for (std::size_t i = f.window_begin; i < f.window_end; ++i) envelope[t * hop + i] += static_cast<double>(f.window[i]) * f.window[i];
  for (std::size_t i = start; i < end; ++i)
    if (envelope[i] < 1e-11)
      throw UsageError("istft: the window overlap-add is zero at sample " + std::to_string(i - start) +
                       " (hop_length " + std::to_string(f.hop_length) + " > win_length " + std::to_string(f.win_length) +
                       "?), so it cannot be inverted");

  const double unnormalize = s.normalized ? std::sqrt(window_energy(f.window)) : 1.0;
  const RealFft& fft = RealFft::of_size(f.n_fft);
  AlignedVector<Complex> spectrum(bins);
  AlignedVector<float> frame(n_fft);
  std::vector<double> sum(full);
  Audio audio;
  audio.sample_rate = s.sample_rate;
  audio.channels.assign(static_cast<std::size_t>(s.channels), std::vector<float>(out_length, 0.0f));
  for (std::size_t c = 0; c < static_cast<std::size_t>(s.channels); ++c) {
    std::fill(sum.begin(), sum.end(), 0.0);
    const Complex* channel = s.complex_values.data() + c * bins * frames;
    for (std::size_t t = 0; t < frames; ++t) {
      for (std::size_t b = 0; b < bins; ++b) spectrum[b] = channel[b * frames + t];
      fft.inverse(spectrum.data(), frame.data());
      double* into = sum.data() + t * hop;
      const double gain = unnormalize / static_cast<double>(n_fft);
      for (std::size_t i = f.window_begin; i < f.window_end; ++i) into[i] += gain * frame[i] * f.window[i];
    }
    std::vector<float>& out = audio.channels[c];
    for (std::size_t i = start; i < end; ++i) out[i - start] = static_cast<float>(sum[i] / envelope[i]);
  }
  return audio;
}

namespace {

using nlohmann::json;

class Istft final : public Transform {
 public:
  using Transform::Transform;
  void apply(Sample& sample, const json&) const override {
    std::optional<std::size_t> length;
    if (settings().contains("length") && !settings()["length"].is_null()) length = settings()["length"].get<std::size_t>();
    sample = make_sample(istft(spectrogram_of(sample), length));
  }
};

}  // namespace

OpInfo istft_op() {
  return {
      .name = "istft",
      .input = Kind::spectrogram,
      .output = Kind::audio,
      .doc = "inverse STFT of a complex spectrogram (torch.istft: overlap-add over the squared-window envelope), "
             "as long as the source audio",
      .params = {{.name = "length", .type = ParamType::integer, .minimum = 1.0,
                  .doc = "samples out; default the source audio's length"}},
      .create = make_transform<Istft>,
  };
}

}  // namespace augment::audio
