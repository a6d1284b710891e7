#pragma once
// Generated noise of a given colour: Gaussian, with power spectral density ∝ 1/f^k — white
// (k = 0), pink (k = 1, −3 dB per octave) or brown (k = 2, −6 dB per octave).
//
// Method: white noise is Rng::normal() per frame. Pink and brown shape white Gaussian noise in
// the frequency domain: m = the power of two >= frames (at least 2) white values are transformed (RealFft),
// bin k (k >= 1) is scaled by k^(−exponent/2), the DC bin is zeroed, and the inverse transform's
// first `frames` values are kept. The m-periodic result has exactly the 1/f^k spectrum in
// expectation at every bin (no approximation by filters), and a segment of it is a segment of a
// stationary process with that spectrum; frequencies below rate/m (the segment's own length)
// are absent. m is a power of two so the FFTW plan cache stays small whatever the clip lengths.
// Every colour is scaled to unit RMS over the frames returned.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "augment/core/rng.hpp"

namespace augment::audio {

enum class NoiseColour { white, pink, brown };

std::string to_string(NoiseColour colour);
/// "white", "pink" or "brown"; nullopt for anything else.
std::optional<NoiseColour> parse_noise_colour(const std::string& name);

/// `frames` values of `colour` noise with unit RMS, a deterministic function of `rng`'s stream.
std::vector<float> coloured_noise(NoiseColour colour, std::size_t frames, Rng rng);

}  // namespace augment::audio
