#pragma once
// db: torchaudio 0.13's AmplitudeToDB / functional.amplitude_to_DB on a real spectrogram:
//
//   out = multiplier·log10(max(x, amin)) − multiplier·log10(max(amin, ref))
//
// with multiplier 20 / power: 10 for a power spectrogram (stype "power"), 20 for a magnitude one
// ("magnitude"), so both give 10·log10(|X|²). With top_db, values are raised to at least
// (max − top_db), the max taken over the whole sample — every channel, bin and frame at once,
// as torchaudio 0.13 does for a (channel, freq, time) tensor.
#include <optional>

#include "augment/audio/spectrogram.hpp"
#include "augment/core/registry.hpp"

namespace augment::audio {

struct DbSettings {
  std::optional<double> top_db;  // none: no floor
  double amin = 1e-10;           // > 0
  double ref = 1.0;              // the value that maps to 0 dB
  /// Overrides 20 / power (MFCC uses 10 whatever the power, as torchaudio's MFCC does).
  std::optional<double> multiplier;
};

/// The spectrogram in decibels (decibels = true; power, scale and shape kept). Throws
/// UsageError for a complex spectrogram, one already in dB, or an MFCC one.
Spectrogram db(const Spectrogram& spectrogram, const DbSettings& settings = {});

// Registered op: db (spectrogram → spectrogram).
OpInfo db_op();

}  // namespace augment::audio
