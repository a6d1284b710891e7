#pragma once
// griffin_lim: audio from a real linear spectrogram (power or magnitude) by estimating the
// phase, torchaudio 0.13's functional.griffinlim (fast Griffin-Lim, Perraudin et al. 2013):
//
//   S = spectrogram^(1/power) (and × sqrt(Σ w²) when it was normalized, so the scale is right);
//   angles = 1 (zero phase);  repeat n_iter times:
//     x = istft(S·angles);  X = stft(x) (center/reflect as recorded);
//     angles = X − momentum/(1 + momentum)·X_prev;  angles /= |angles| + 1e-16;  X_prev = X
//   result istft(S·angles), source_length samples long.
//
// Determinism: the initial phase is zero by default (torchaudio's rand_init=False), so the output
// is fixed by the input. With rand_init the initial phase is uniform in [0, 2π) drawn from the
// given Rng (torchaudio draws its real and imaginary parts uniform in [0, 1) from torch's global
// generator instead); the op then draws a seed per sample and records it in its params.
#include <cstdint>
#include <optional>

#include "augment/audio/audio.hpp"
#include "augment/audio/spectrogram.hpp"
#include "augment/core/registry.hpp"
#include "augment/core/rng.hpp"

namespace augment::audio {

struct GriffinLimSettings {
  int n_iter = 32;         // >= 0
  double momentum = 0.99;  // in [0, 1)
  bool rand_init = false;
};

/// `rng` is used (and needed) only with rand_init. Throws UsageError for a complex, dB, mel or
/// MFCC spectrogram, or one that does not record its STFT settings. If the source was too short
/// for reflect padding the inner STFTs pad with zeros.
Audio griffin_lim(const Spectrogram& spectrogram, const GriffinLimSettings& settings = {}, Rng* rng = nullptr);

/// The spectral convergence ‖|stft(audio)| − S‖ / ‖S‖ of audio against a real linear
/// spectrogram S (magnitudes compared, after undoing its power), with S's settings.
double spectral_convergence(const Audio& audio, const Spectrogram& spectrogram);

// Registered op: griffin_lim (spectrogram → audio).
OpInfo griffin_lim_op();

}  // namespace augment::audio
