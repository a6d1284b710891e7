#pragma once
// mfcc: torchaudio 0.13's transforms.MFCC from a mel spectrogram (chain spectrogram → mel →
// mfcc; torchaudio's MFCC(melkwargs=...) is that chain in one module):
//
//   1. unless the mel spectrogram is already in dB, db with multiplier 10 and top_db 80 —
//      torchaudio's AmplitudeToDB("power", 80), applied whatever the mel power was (so a
//      magnitude mel matches torchaudio's MFCC with melkwargs power=1, not 20·log10);
//   2. a DCT-II over the mel bands, orthonormal: c[k] = sqrt(2/M)·Σ_m x[m]·cos(π/M·(m + ½)·k),
//      with c[0] further divided by sqrt(2); the first n_mfcc coefficients are kept.
//
// A mel spectrogram already in dB (mel → db) gets only the DCT, so a custom dB step is kept.
// The result has frequency_scale "mfcc", bins = n_mfcc, decibels = true (log domain).
#include <vector>

#include "augment/audio/spectrogram.hpp"
#include "augment/core/registry.hpp"

namespace augment::audio {

struct MfccSettings {
  int n_mfcc = 40;       // <= the number of mel bands
  double top_db = 80.0;  // for step 1
};

/// The (n_mels, n_mfcc) orthonormal DCT-II matrix, row-major (torchaudio's create_dct(n_mfcc,
/// n_mels, "ortho")).
std::vector<float> dct_matrix(int n_mfcc, int n_mels);

/// Throws UsageError for a spectrogram that is not mel (linear: apply mel first; complex;
/// MFCC already) or when n_mfcc exceeds the mel bands.
Spectrogram mfcc(const Spectrogram& mel_spectrogram, const MfccSettings& settings = {});

// Registered op: mfcc (spectrogram → spectrogram).
OpInfo mfcc_op();

}  // namespace augment::audio
