#pragma once
// A spectrogram sample: (channel, bin, frame) values, real or complex, plus how it was made —
// what mel, dB, istft and griffin_lim need to know, and what is written beside a saved .npy.
#include <complex>
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/sample.hpp"

namespace augment::audio {

struct Spectrogram {
  int channels = 0;
  int bins = 0;    // frequency bins (n_fft/2 + 1), mel bands or MFCC coefficients
  int frames = 0;  // time frames
  /// Real values, index (c·bins + b)·frames + t; empty when the spectrogram is complex.
  std::vector<float> values;
  /// Complex STFT values in the same layout (from `stft`); empty when real.
  std::vector<std::complex<float>> complex_values;

  // How it was made.
  int sample_rate = 0;
  int n_fft = 0;
  int win_length = 0;
  int hop_length = 0;
  std::string window = "hann";  // "hann" | "hamming" (periodic)
  bool center = true;
  bool normalized = false;
  /// 0: complex STFT; 1: magnitude; 2: power (of the linear or mel values, before dB).
  double power = 2.0;
  /// "linear" (STFT bins), "mel" (mel bands) or "mfcc" (cepstral coefficients).
  std::string frequency_scale = "linear";
  /// Values are in decibels (after `db`).
  bool decibels = false;
  /// Audio length it came from (frames of samples), so istft/griffin_lim give that length back.
  std::size_t source_length = 0;
  /// Parameters of the mel filterbank when frequency_scale is mel or mfcc (n_mels, f_min,
  /// f_max, mel_scale, norm), empty otherwise.
  nlohmann::json mel;

  bool is_complex() const { return !complex_values.empty(); }
  std::size_t index(int c, int b, int t) const {
    return (static_cast<std::size_t>(c) * bins + b) * frames + t;
  }
  float& at(int c, int b, int t) { return values[index(c, b, t)]; }
  float at(int c, int b, int t) const { return values[index(c, b, t)]; }

  /// The "how it was made" fields as JSON (written beside a .npy), and back; from_json throws
  /// std::invalid_argument naming the bad field.
  nlohmann::json info() const;
  void set_info(const nlohmann::json& info);
};

inline Sample make_sample(Spectrogram spectrogram) { return Sample(Kind::spectrogram, std::move(spectrogram)); }
inline Spectrogram& spectrogram_of(Sample& sample) { return sample.as<Spectrogram>(); }
inline const Spectrogram& spectrogram_of(const Sample& sample) { return sample.as<Spectrogram>(); }

}  // namespace augment::audio
