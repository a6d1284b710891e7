#include "augment/audio/stft.hpp"

#if defined(__SSE__)
#include <xmmintrin.h>
#endif

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cmath>
#include <complex>
#include <limits>
#include <new>
#include <stdexcept>

#include "augment/audio/fft.hpp"
#include "augment/core/error.hpp"
#include "augment/core/limits.hpp"
#include "stft_framing.hpp"

namespace augment::audio {
namespace {

using detail::Framing;
using detail::resolve;
using detail::window_energy;

using detail::AlignedVector;
using detail::Complex;

// Frames transformed before their bins are written out, so each bin's row gets a contiguous run
// of this many values instead of one scattered store per frame.
constexpr std::size_t frame_block = 16;

std::size_t frame_count(std::size_t length, const Framing& f) {
  const auto n_fft = static_cast<std::size_t>(f.n_fft);
  const auto pad = static_cast<std::size_t>(f.n_fft / 2);
  if (length == 0) throw UsageError("stft: the audio has no samples");
  if (f.settings.center && f.settings.pad_mode == PadMode::reflect && length <= pad)
    throw UsageError("stft: reflect padding with n_fft " + std::to_string(f.n_fft) + " needs at least " +
                     std::to_string(pad + 1) + " samples per channel, got " + std::to_string(length) +
                     "; use pad_mode \"constant\" or a smaller n_fft");
  if (!f.settings.center && length < n_fft)
    throw UsageError("stft: without center, n_fft " + std::to_string(f.n_fft) + " needs at least " + std::to_string(n_fft) +
                     " samples per channel, got " + std::to_string(length) + "; use center or a smaller n_fft");
  const std::size_t padded = f.settings.center ? length + 2 * pad : length;
  return 1 + (padded - n_fft) / static_cast<std::size_t>(f.hop_length);
}

// Frame t of one channel: read in place from the signal, except near the ends of a centred
// signal, where it is assembled from the padding (only a few frames, so no padded copy of the
// whole signal is made).
class FrameSource {
 public:
  FrameSource(const std::vector<float>& x, const Framing& f)
      : x_(x), n_fft_(static_cast<std::size_t>(f.n_fft)), hop_(static_cast<std::size_t>(f.hop_length)),
        pad_(f.settings.center ? static_cast<std::size_t>(f.n_fft / 2) : 0), reflect_(f.settings.pad_mode == PadMode::reflect),
        edge_(n_fft_) {}

  const float* frame(std::size_t t) {
    const std::size_t start = t * hop_;  // in padded coordinates
    if (start >= pad_ && start - pad_ + n_fft_ <= x_.size()) return x_.data() + (start - pad_);
    for (std::size_t i = 0; i < n_fft_; ++i) edge_[i] = padded_at(start + i);
    return edge_.data();
  }

 private:
  float padded_at(std::size_t i) const {
    const std::size_t n = x_.size();
    if (i >= pad_ && i - pad_ < n) return x_[i - pad_];
    if (!reflect_) return 0.0f;
    // Reflection without repeating the edge sample: x[-k] = x[k], x[n-1+k] = x[n-1-k].
    return i < pad_ ? x_[pad_ - i] : x_[2 * (n - 1) + pad_ - i];
  }

  const std::vector<float>& x_;
  std::size_t n_fft_, hop_, pad_;
  bool reflect_;
  std::vector<float> edge_;
};

// out = x · window; the buffers never overlap, and saying so lets the loop vectorise without
// run-time overlap checks and keep its pointers in registers.
void apply_window(const float* __restrict x, const float* __restrict window, float* __restrict out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = x[i] * window[i];
}

// out[b·out_stride + j] = block[j·block_stride + b] for j < count, b < bins: a block of frames
// (one row each) written into the (bin, frame) rows of the output. Full blocks go 4×4 through
// SSE registers, a quarter of the scalar loop's strided loads and stores.
void transpose_block(const float* block, std::size_t block_stride, std::size_t count, std::size_t bins, float* out,
                     std::size_t out_stride) {
  std::size_t b = 0;
#if defined(__SSE__)
  if (count == frame_block) {
    for (; b + 4 <= bins; b += 4)
      for (std::size_t j = 0; j < frame_block; j += 4) {
        __m128 r0 = _mm_loadu_ps(block + (j + 0) * block_stride + b);
        __m128 r1 = _mm_loadu_ps(block + (j + 1) * block_stride + b);
        __m128 r2 = _mm_loadu_ps(block + (j + 2) * block_stride + b);
        __m128 r3 = _mm_loadu_ps(block + (j + 3) * block_stride + b);
        _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
        _mm_storeu_ps(out + (b + 0) * out_stride + j, r0);
        _mm_storeu_ps(out + (b + 1) * out_stride + j, r1);
        _mm_storeu_ps(out + (b + 2) * out_stride + j, r2);
        _mm_storeu_ps(out + (b + 3) * out_stride + j, r3);
      }
  }
#endif
  for (; b < bins; ++b)
    for (std::size_t j = 0; j < count; ++j) out[b * out_stride + j] = block[j * block_stride + b];
}

// Runs the STFT of every channel in blocks of frame_block frames: `frame(j, spectrum)` receives
// the bins of frame j of the block (one buffer, reused, so it stays in L1), then
// `block(channel, first_frame, count)` writes the block out.
template <class Frame, class Block>
void for_each_block(const Audio& audio, const Framing& f, std::size_t frames, Frame&& frame, Block&& block) {
  const RealFft& fft = RealFft::of_size(f.n_fft);
  const auto n_fft = static_cast<std::size_t>(f.n_fft);
  const auto bins = static_cast<std::size_t>(f.bins);
  AlignedVector<float> windowed(n_fft, 0.0f);  // zero outside the window for good
  AlignedVector<Complex> spectrum(bins);
  const std::size_t begin = f.window_begin, length = f.window_end - f.window_begin;
  const float* window = f.window.data() + begin;
  float* destination = windowed.data() + begin;
  for (int c = 0; c < audio.channel_count(); ++c) {
    FrameSource source(audio.channels[static_cast<std::size_t>(c)], f);
    for (std::size_t t0 = 0; t0 < frames; t0 += frame_block) {
      const std::size_t count = std::min(frame_block, frames - t0);
      for (std::size_t j = 0; j < count; ++j) {
        const float* x = source.frame(t0 + j) + begin;
        apply_window(x, window, destination, length);
        fft.forward(windowed.data(), spectrum.data());
        frame(j, spectrum.data());
      }
      block(c, t0, count);
    }
  }
}

Spectrogram shell(const Audio& audio, const Framing& f, std::size_t frames, double power) {
  // A tiny hop on a long clip asks for channels × bins × frames values: refuse before allocating.
  const std::uint64_t values = static_cast<std::uint64_t>(audio.channel_count()) * static_cast<std::uint64_t>(f.bins) * frames;
  check_limit("allocation_bytes", values * (power == 0.0 ? sizeof(std::complex<float>) : sizeof(float)),
              "spectrogram of " + std::to_string(audio.channel_count()) + " x " + std::to_string(f.bins) + " bins x " +
                  std::to_string(frames) + " frames, in bytes");
  Spectrogram s;
  s.channels = audio.channel_count();
  s.bins = f.bins;
  s.frames = static_cast<int>(frames);
  s.sample_rate = audio.sample_rate;
  s.n_fft = f.n_fft;
  s.win_length = f.win_length;
  s.hop_length = f.hop_length;
  s.window = to_string(f.settings.window);
  s.center = f.settings.center;
  s.normalized = f.settings.normalized;
  s.power = power;
  s.frequency_scale = "linear";
  s.decibels = false;
  s.source_length = audio.frames();
  return s;
}

/// Checks the audio (its values too when `values`) and returns the frame count.
std::size_t checked_frames(const Audio& audio, const Framing& f, const char* what, bool values = true) {
  if (values) check_audio(audio, what);
  else check_audio_layout(audio, what);
  const std::size_t frames = frame_count(audio.frames(), f);
  if (frames > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw UsageError(std::string(what) + ": too many frames (" + std::to_string(frames) + ")");
  return frames;
}

}  // namespace

PadMode parse_pad_mode(std::string_view name) {
  if (name == "reflect") return PadMode::reflect;
  if (name == "constant") return PadMode::constant;
  throw std::invalid_argument("pad_mode must be \"reflect\" or \"constant\", got \"" + std::string(name) + "\"");
}

std::size_t stft_frame_count(std::size_t length, const StftSettings& settings) {
  return frame_count(length, resolve(settings));
}

Spectrogram stft(const Audio& audio, const StftSettings& settings) {
  const Framing f = resolve(settings);
  const std::size_t frames = checked_frames(audio, f, "stft");
  Spectrogram s = shell(audio, f, frames, 0.0);
  s.complex_values.resize(static_cast<std::size_t>(s.channels) * static_cast<std::size_t>(f.bins) * frames);
  const float scale = settings.normalized ? static_cast<float>(1.0 / std::sqrt(window_energy(f.window))) : 1.0f;
  const auto bins = static_cast<std::size_t>(f.bins);
  std::vector<Complex> spectra(frame_block * bins);
  for_each_block(
      audio, f, frames,
      [&](std::size_t j, const Complex* spectrum) { std::copy_n(spectrum, bins, spectra.data() + j * bins); },
      [&](int c, std::size_t t0, std::size_t count) {
        Complex* out = s.complex_values.data() + static_cast<std::size_t>(c) * bins * frames + t0;
        for (std::size_t b = 0; b < bins; ++b, out += frames)
          for (std::size_t j = 0; j < count; ++j) out[j] = spectra[j * bins + b] * scale;
      });
  return s;
}

Spectrogram spectrogram(const Audio& audio, const StftSettings& settings, double power) {
  if (!(power > 0) || !std::isfinite(power)) throw UsageError("spectrogram: power must be > 0, got " + std::to_string(power));
  const Framing f = resolve(settings);
  // Non-finite input shows in the output, which is checked instead of a separate pass over the
  // input (a measurable share of the whole when the signal is larger than the cache).
  const std::size_t frames = checked_frames(audio, f, "spectrogram", false);
  Spectrogram s = shell(audio, f, frames, power);
  s.values.resize(static_cast<std::size_t>(s.channels) * static_cast<std::size_t>(f.bins) * frames);
  const double energy = settings.normalized ? window_energy(f.window) : 1.0;
  const auto bins = static_cast<std::size_t>(f.bins);
  // |X|² scaled once instead of X: the same value up to float rounding.
  const auto power_scale = static_cast<float>(1.0 / energy);
  const auto magnitude_scale = static_cast<float>(1.0 / std::sqrt(energy));
  const auto p = static_cast<float>(power);
  // Each frame's values are computed along its spectrum (contiguous, vectorised) into a small
  // block, which is then transposed into the (bin, frame) rows.
  const std::size_t row_stride = (bins + 3) & ~std::size_t{3};  // rows of whole 4-float groups
  std::vector<float> block(frame_block * row_stride);
  std::uint32_t non_finite = 0;  // exponent bits all ones in some value: NaN or infinity
  for_each_block(
      audio, f, frames,
      [&](std::size_t j, const Complex* spectrum) {
        const float* x = reinterpret_cast<const float*>(spectrum);  // re, im pairs
        float* row = block.data() + j * row_stride;
        // The finiteness flag rides along in the same vectorised loop.
        std::uint32_t flags = 0;
        if (power == 2.0) {
          for (std::size_t b = 0; b < bins; ++b) {
            const float v = (x[2 * b] * x[2 * b] + x[2 * b + 1] * x[2 * b + 1]) * power_scale;
            row[b] = v;
            flags |= static_cast<std::uint32_t>((std::bit_cast<std::uint32_t>(v) & 0x7f800000u) == 0x7f800000u);
          }
        } else {
          for (std::size_t b = 0; b < bins; ++b) {
            const float magnitude = std::sqrt(x[2 * b] * x[2 * b] + x[2 * b + 1] * x[2 * b + 1]) * magnitude_scale;
            const float v = power == 1.0 ? magnitude : std::pow(magnitude, p);
            row[b] = v;
            flags |= static_cast<std::uint32_t>((std::bit_cast<std::uint32_t>(v) & 0x7f800000u) == 0x7f800000u);
          }
        }
        non_finite |= flags;
      },
      [&](int c, std::size_t t0, std::size_t count) {
        transpose_block(block.data(), row_stride, count, bins, s.values.data() + static_cast<std::size_t>(c) * bins * frames + t0,
                        frames);
      });
  if (non_finite != 0) {
    check_audio(audio, "spectrogram");  // names the sample
    throw UsageError("spectrogram: the values overflow a float");
  }
  return s;
}

StftSettings stft_settings_of(const Spectrogram& s) {
  StftSettings settings;
  settings.n_fft = s.n_fft;
  settings.win_length = s.win_length;
  settings.hop_length = s.hop_length;
  settings.window = parse_window(s.window);
  settings.center = s.center;
  settings.normalized = s.normalized;
  return settings;
}

void check_spectrogram(const Spectrogram& s, const std::string& what) {
  if (s.channels < 1 || s.bins < 1 || s.frames < 1)
    throw UsageError(what + ": the spectrogram is empty (" + std::to_string(s.channels) + " channels, " +
                     std::to_string(s.bins) + " bins, " + std::to_string(s.frames) + " frames)");
  const std::size_t size = static_cast<std::size_t>(s.channels) * static_cast<std::size_t>(s.bins) * static_cast<std::size_t>(s.frames);
  const bool real_ok = s.values.size() == size && s.complex_values.empty();
  const bool complex_ok = s.complex_values.size() == size && s.values.empty();
  if (!real_ok && !complex_ok)
    throw UsageError(what + ": the spectrogram holds " + std::to_string(s.values.size()) + " real and " +
                     std::to_string(s.complex_values.size()) + " complex values; its shape needs " + std::to_string(size) +
                     " of one kind");
  auto not_finite = [&](std::size_t i) {
    const std::size_t t = i % static_cast<std::size_t>(s.frames), rest = i / static_cast<std::size_t>(s.frames);
    return UsageError(what + ": value at channel " + std::to_string(rest / static_cast<std::size_t>(s.bins)) + ", bin " +
                      std::to_string(rest % static_cast<std::size_t>(s.bins)) + ", frame " + std::to_string(t) + " is not finite");
  };
  // The fast branch-free scan first; the slow one only to name the value.
  const std::span<const float> all = s.is_complex()
      ? std::span<const float>(reinterpret_cast<const float*>(s.complex_values.data()), 2 * s.complex_values.size())
      : std::span<const float>(s.values);
  if (all_finite(all)) return;
  for (std::size_t i = 0; i < s.values.size(); ++i)
    if (!std::isfinite(s.values[i])) throw not_finite(i);
  for (std::size_t i = 0; i < s.complex_values.size(); ++i)
    if (!std::isfinite(s.complex_values[i].real()) || !std::isfinite(s.complex_values[i].imag())) throw not_finite(i);
}

// ---- ops ----

namespace {

using nlohmann::json;

bool given(const json& settings, const char* key) { return settings.contains(key) && !settings[key].is_null(); }

StftSettings settings_from(const json& j) {
  StftSettings s;
  s.n_fft = j.at("n_fft").get<int>();
  if (given(j, "win_length")) s.win_length = j["win_length"].get<int>();
  if (given(j, "hop_length")) s.hop_length = j["hop_length"].get<int>();
  s.window = parse_window(j.at("window").get<std::string>());
  s.center = j.at("center").get<bool>();
  s.pad_mode = parse_pad_mode(j.at("pad_mode").get<std::string>());
  s.normalized = j.at("normalized").get<bool>();
  return s;
}

void check_stft_settings(const json& j) {
  const int n_fft = j.at("n_fft").get<int>();
  if (given(j, "win_length") && j["win_length"].get<int>() > n_fft)
    throw std::invalid_argument("win_length (" + j["win_length"].dump() + ") must be <= n_fft (" + std::to_string(n_fft) + ")");
}

std::vector<ParamSpec> stft_params() {
  return {
      {.name = "n_fft", .type = ParamType::integer, .default_value = 400, .minimum = 2.0, .maximum = 65536.0,
       .doc = "FFT size; n_fft/2 + 1 frequency bins"},
      {.name = "win_length", .type = ParamType::integer, .minimum = 1.0, .maximum = 65536.0,
       .doc = "window length (<= n_fft, zero-padded and centred); default n_fft"},
      {.name = "hop_length", .type = ParamType::integer, .minimum = 1.0, .maximum = 65536.0,
       .doc = "samples between frames; default win_length / 2"},
      {.name = "window", .type = ParamType::string, .default_value = "hann", .choices = {"hann", "hamming"},
       .doc = "periodic window"},
      {.name = "center", .type = ParamType::boolean, .default_value = true,
       .doc = "pad n_fft/2 on both sides so frame t is centred at t·hop_length"},
      {.name = "pad_mode", .type = ParamType::string, .default_value = "reflect", .choices = {"reflect", "constant"},
       .doc = "padding when centred; reflect needs more than n_fft/2 samples, constant (zeros) takes any length"},
      {.name = "normalized", .type = ParamType::boolean, .default_value = false,
       .doc = "divide by sqrt(sum of the squared window) (torchaudio's normalized=True)"},
  };
}

class Stft final : public Transform {
 public:
  Stft(const OpInfo& info, const json& settings) : Transform(info, settings), settings_(settings_from(settings)) {}
  void apply(Sample& sample, const json&) const override { sample = make_sample(stft(audio_of(sample), settings_)); }

 private:
  StftSettings settings_;
};

class PowerSpectrogram final : public Transform {
 public:
  PowerSpectrogram(const OpInfo& info, const json& settings)
      : Transform(info, settings), settings_(settings_from(settings)), power_(settings.at("power").get<double>()) {}
  void apply(Sample& sample, const json&) const override {
    sample = make_sample(spectrogram(audio_of(sample), settings_, power_));
  }

 private:
  StftSettings settings_;
  double power_;
};


}  // namespace

OpInfo stft_op() {
  return {
      .name = "stft",
      .input = Kind::audio,
      .output = Kind::spectrogram,
      .doc = "complex short-time Fourier transform per channel (torch.stft with torchaudio's defaults), "
             "for istft after spectrogram masking",
      .params = stft_params(),
      .check = check_stft_settings,
      .create = make_transform<Stft>,
  };
}

OpInfo spectrogram_op() {
  std::vector<ParamSpec> params = stft_params();
  params.push_back({.name = "power", .type = ParamType::integer, .default_value = 2, .minimum = 1.0, .maximum = 2.0,
                    .doc = "2: power |X|², 1: magnitude |X|"});
  return {
      .name = "spectrogram",
      .input = Kind::audio,
      .output = Kind::spectrogram,
      .doc = "power (or magnitude) spectrogram per channel, torchaudio.transforms.Spectrogram",
      .params = std::move(params),
      .check = check_stft_settings,
      .create = make_transform<PowerSpectrogram>,
  };
}


}  // namespace augment::audio
