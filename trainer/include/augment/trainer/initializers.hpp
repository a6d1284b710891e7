#pragma once
// Weight initializers (the course's list, "Inicialización de pesos"), for a weight of
// fan_in × fan_out (a dense layer's inputs × units). Biases start at zero.
//   normal           N(0, variance): the course's "N(0, 0.01)" is a variance (σ = 0.1)
//   standard_normal  N(0, 1)
//   glorot_uniform   U[−√(6/(fan_in+fan_out)), +√(6/(fan_in+fan_out))]   (Glorot & Bengio 2010)
//   glorot_normal    N(0, 2/(fan_in+fan_out))
//   he_normal        N(0, 2/fan_in)                                       (He et al. 2015)
// Every draw comes from the given Rng, in row-major order: the same seed, the same weights.
#include <cstddef>
#include <string>
#include <vector>

#include "augment/core/rng.hpp"
#include "augment/trainer/parameter.hpp"

namespace augment::trainer {

struct Initializer {
  std::string name = "glorot_uniform";
  double variance = 0.01;  // "normal" only
};

/// The names above, for messages and `augment list`-style help.
const std::vector<std::string>& initializer_names();

/// SpecError naming `where` for an unknown name or a variance that is not finite and > 0.
void check_initializer(const Initializer& init, const std::string& where);

/// Fills `weight` (already sized fan_in × fan_out) with draws from `rng`.
template <class T>
void initialize(Matrix<T>& weight, const Initializer& init, Rng& rng);
/// The same with the fans given: a convolution's weight is (C·kh·kw) × out_channels, but its
/// fan_out is out_channels·kh·kw (each input value reaches that many outputs; Keras, PyTorch).
template <class T>
void initialize(Matrix<T>& weight, const Initializer& init, Rng& rng, double fan_in, double fan_out);

}  // namespace augment::trainer
