#include "augment/audio/noise_colour.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <complex>

#include "augment/audio/fft.hpp"

namespace augment::audio {

std::string to_string(NoiseColour colour) {
  switch (colour) {
    case NoiseColour::white: return "white";
    case NoiseColour::pink: return "pink";
    case NoiseColour::brown: return "brown";
  }
  return "?";
}

std::optional<NoiseColour> parse_noise_colour(const std::string& name) {
  for (NoiseColour c : {NoiseColour::white, NoiseColour::pink, NoiseColour::brown})
    if (to_string(c) == name) return c;
  return std::nullopt;
}

std::vector<float> coloured_noise(NoiseColour colour, std::size_t frames, Rng rng) {
  if (frames == 0) return {};
  const std::size_t size = colour == NoiseColour::white ? frames : std::max<std::size_t>(2, std::bit_ceil(frames));
  std::vector<float> noise(size);
  for (float& v : noise) v = static_cast<float>(rng.normal());

  if (colour != NoiseColour::white) {
    const RealFft& fft = RealFft::of_size(static_cast<int>(size));
    std::vector<std::complex<float>> spectrum(size / 2 + 1);
    fft.forward(noise.data(), spectrum.data());
    // Amplitude ∝ f^(−exponent/2) gives power ∝ 1/f^exponent.
    const double half_exponent = colour == NoiseColour::pink ? 0.5 : 1.0;
    spectrum[0] = 0.0f;
    for (std::size_t k = 1; k < spectrum.size(); ++k)
      spectrum[k] *= static_cast<float>(std::pow(static_cast<double>(k), -half_exponent));
    fft.inverse(spectrum.data(), noise.data());
    noise.resize(frames);
  }

  double power = 0;
  for (float v : noise) power += static_cast<double>(v) * v;
  const double rms = std::sqrt(power / static_cast<double>(frames));
  if (rms > 0)
    for (float& v : noise) v = static_cast<float>(v / rms);
  return noise;
}

}  // namespace augment::audio
