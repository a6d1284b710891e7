#pragma once
// What the spectrogram tests share: torchaudio's reference outputs (made by
// fixtures/audio/make_spectrogram_fixtures.py) and a relative max-difference measure.
#include <algorithm>
#include <bit>
#include <cmath>
#include <complex>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "augment/audio/audio.hpp"
#include "augment/audio/spectrogram.hpp"

namespace spectrogram_test {

inline const nlohmann::json& reference() {
  static const nlohmann::json ref = [] {
    std::ifstream in(std::string(AUGMENT_FIXTURES) + "/audio/spectrogram/reference.json");
    REQUIRE(in);
    return nlohmann::json::parse(in);
  }();
  return ref;
}

/// The fixture's input signal, bit for bit.
inline augment::audio::Audio reference_audio() {
  const auto& ref = reference();
  augment::audio::Audio audio;
  audio.sample_rate = ref["sample_rate"].get<int>();
  const auto channels = ref["input_shape"][0].get<std::size_t>(), length = ref["input_shape"][1].get<std::size_t>();
  const auto& bits = ref["input_bits"];
  audio.channels.assign(channels, std::vector<float>(length));
  for (std::size_t c = 0; c < channels; ++c)
    for (std::size_t i = 0; i < length; ++i) audio.channels[c][i] = std::bit_cast<float>(bits[c * length + i].get<std::uint32_t>());
  return audio;
}

inline std::vector<float> reference_values(const std::string& name) {
  const auto& entry = reference().at(name);
  std::vector<float> out;
  for (const auto& v : entry.at("values")) out.push_back(v.get<float>());
  return out;
}

inline std::vector<std::complex<float>> reference_complex(const std::string& name) {
  const auto& entry = reference().at(name);
  std::vector<std::complex<float>> out;
  for (std::size_t i = 0; i < entry.at("real").size(); ++i) out.emplace_back(entry["real"][i].get<float>(), entry["imag"][i].get<float>());
  return out;
}

inline std::vector<int> reference_shape(const std::string& name) { return reference().at(name).at("shape").get<std::vector<int>>(); }

/// max |ours − ref| / max |ref|; infinity when the sizes differ.
template <class T>
double relative_max_difference(const std::vector<T>& ours, const std::vector<T>& ref) {
  if (ours.size() != ref.size() || ref.empty()) return INFINITY;
  double diff = 0, scale = 0;
  for (std::size_t i = 0; i < ref.size(); ++i) {
    diff = std::max(diff, static_cast<double>(std::abs(ours[i] - ref[i])));
    scale = std::max(scale, static_cast<double>(std::abs(ref[i])));
  }
  return diff / scale;
}

/// Checks the agreement with a torchaudio fixture and reports it (doctest -s shows it).
template <class T>
void check_agrees(const std::string& name, const std::vector<T>& ours, const std::vector<T>& ref, double tolerance = 1e-5) {
  const double d = relative_max_difference(ours, ref);
  MESSAGE(name << ": max |diff| / max |ref| = " << d);
  CHECK_MESSAGE(d <= tolerance, name << " differs from torchaudio by " << d << " of its max");
}

inline std::vector<float> flatten(const augment::audio::Audio& audio) {
  std::vector<float> out;
  for (const auto& c : audio.channels) out.insert(out.end(), c.begin(), c.end());
  return out;
}

}  // namespace spectrogram_test
