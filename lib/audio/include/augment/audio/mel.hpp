#pragma once
// Mel filterbanks and the mel op, following torchaudio 0.13 (functional.melscale_fbanks,
// transforms.MelScale):
//
//   mel scale  htk: m = 2595·log10(1 + f/700); slaney: linear below 1 kHz (m = 3f/200), then
//              logarithmic (27 mels per factor 6.4) — librosa's default scale;
//   filters    n_mels triangles with corners at n_mels + 2 points equally spaced in mel between
//              f_min and f_max, evaluated at the STFT bin frequencies linspace(0, sample_rate // 2,
//              n_fft/2 + 1); each rises from 0 at its left corner to 1 at its centre and falls to 0;
//   norm       none, or slaney: each triangle divided by its width in Hz / 2 (equal area).
//              mel_scale slaney with norm slaney is librosa.filters.mel's default filterbank.
//
// mel() maps a real linear spectrogram (power or magnitude, not dB) to mel bands:
// out[c, m, t] = Σ_k fb[k, m]·in[c, k, t], accumulated in double. The power is kept (a power
// spectrogram gives a mel power spectrogram).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "augment/audio/spectrogram.hpp"
#include "augment/core/registry.hpp"

namespace augment::audio {

enum class MelScale { htk, slaney };
enum class MelNorm { none, slaney };

MelScale parse_mel_scale(std::string_view name);  // "htk" | "slaney"; else std::invalid_argument
MelNorm parse_mel_norm(std::string_view name);    // "none" | "slaney"; else std::invalid_argument
std::string to_string(MelScale scale);
std::string to_string(MelNorm norm);

double hz_to_mel(double hz, MelScale scale);
double mel_to_hz(double mel, MelScale scale);

/// torchaudio.transforms.MelScale's defaults (f_max unset: sample_rate // 2).
struct MelSettings {
  int n_mels = 128;
  double f_min = 0.0;
  std::optional<double> f_max;
  MelScale scale = MelScale::htk;
  MelNorm norm = MelNorm::none;
};

/// The (n_freqs, n_mels) matrix, row-major (fb[k·n_mels + m]) like torchaudio's. Throws
/// UsageError when n_mels < 1, n_freqs < 2, sample_rate < 1 or not 0 <= f_min <= f_max.
/// A band with no nonzero weight (n_mels too high for n_freqs) is allowed, as in torchaudio.
std::vector<float> mel_filterbank(int n_freqs, int sample_rate, const MelSettings& settings);

/// The mel spectrogram of a real linear spectrogram (see above). Throws UsageError for a
/// complex, dB, mel or MFCC spectrogram, or one with no sample rate.
Spectrogram mel(const Spectrogram& spectrogram, const MelSettings& settings);

// Registered op: mel (spectrogram → spectrogram).
OpInfo mel_op();

}  // namespace augment::audio
