#pragma once
// Short-time Fourier transform, following torchaudio 0.13 (torchaudio.transforms.Spectrogram and
// InverseSpectrogram, i.e. torch.stft / torch.istft):
//
//   frames  t = 0..T−1 start at t·hop_length in the (padded) signal and are n_fft samples long;
//   window  the periodic window of win_length points, zero-padded to n_fft and centred (torch);
//   center  the signal is padded by n_fft/2 on both sides first, so frame t is centred at
//           t·hop_length: reflect padding (x[1], x[2], ... mirrored without the edge sample) or
//           constant (zeros). T = 1 + (length + 2·(n_fft/2) − n_fft) / hop_length;
//           without center, T = 1 + (length − n_fft) / hop_length;
//   bins    k = 0..n_fft/2, X[k] = Σ_j w[j]·x[j]·e^{−2πi jk/n_fft} (unnormalised, like torch);
//   normalized  X is divided by sqrt(Σ w²) (torchaudio's normalized=True, "window").
//
// Reflect padding needs length > n_fft/2 (torch refuses shorter signals); constant padding takes
// any length >= 1. The result is a Spectrogram laid out (channel, bin, frame) that records how
// it was made, so istft and griffin_lim can invert it.
//
// Cost: per frame one copy-and-window into an aligned buffer and one FFTW r2c execution
// (RealFft's cached plan); frames are transformed in small blocks so that the (bin, frame)
// output is written in contiguous runs. No allocation per frame.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "augment/audio/audio.hpp"
#include "augment/audio/spectrogram.hpp"
#include "augment/audio/window.hpp"
#include "augment/core/registry.hpp"

namespace augment::audio {

enum class PadMode { reflect, constant };

/// "reflect" | "constant"; throws std::invalid_argument otherwise.
PadMode parse_pad_mode(std::string_view name);

/// torchaudio 0.13's defaults.
struct StftSettings {
  int n_fft = 400;
  int win_length = 0;  // 0: n_fft
  int hop_length = 0;  // 0: win_length / 2 (at least 1)
  WindowKind window = WindowKind::hann;
  bool center = true;
  PadMode pad_mode = PadMode::reflect;
  bool normalized = false;
};

/// The complex STFT of every channel (power 0 in the result's info). Throws UsageError on
/// invalid settings, audio that check_audio refuses (NaN, ragged channels) or audio too short
/// for the settings (naming the length needed).
Spectrogram stft(const Audio& audio, const StftSettings& settings);

/// |X|^power for each bin (power > 0; 2: power spectrogram, torchaudio's default; 1: magnitude).
Spectrogram spectrogram(const Audio& audio, const StftSettings& settings, double power = 2.0);

/// Number of frames the STFT of `length` samples has; throws UsageError when it is too short.
std::size_t stft_frame_count(std::size_t length, const StftSettings& settings);

/// The settings a spectrogram was made with (from its info; the pad mode is not recorded and is
/// returned as reflect).
StftSettings stft_settings_of(const Spectrogram& spectrogram);

/// The inverse STFT of a complex linear spectrogram (from `stft`): each frame's inverse FFT,
/// windowed and overlap-added, divided by the overlap-added squared window (torch.istft). The
/// result has `length` samples, by default the spectrogram's source_length (or, when that is 0,
/// torch's default). Throws UsageError for a real spectrogram, one not on linear STFT bins, or
/// one whose window overlap-add vanishes somewhere (hop_length > win_length).
Audio istft(const Spectrogram& spectrogram, std::optional<std::size_t> length = std::nullopt);

/// Throws UsageError "<what>: reason" unless the spectrogram has >= 1 channel, bin and frame,
/// exactly one of real or complex values of the size channels·bins·frames, and only finite values.
void check_spectrogram(const Spectrogram& spectrogram, const std::string& what);

// Registered ops: stft (audio → spectrogram, complex), spectrogram (audio → spectrogram, real)
// and istft (spectrogram → audio).
OpInfo stft_op();
OpInfo spectrogram_op();
OpInfo istft_op();

}  // namespace augment::audio
