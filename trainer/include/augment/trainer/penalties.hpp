#pragma once
// The course's weight penalties ("Penalizando pesos y sesgos"), per parameter (Penalties in
// parameter.hpp), on weights only: biases and batch-norm shifts (is_bias) are never penalized.
//   L1: λ₁·Σ|θ|        gradient λ₁·sign(θ) (0 at θ = 0, the subgradient that keeps zeros)
//   L2: λ₂/2·Σθ²       gradient λ₂·θ
// The slide writes λ/2 before both norms; here L1's coefficient is λ₁ itself (as Keras and
// most texts): pass λ/2 to get the slide's form.
// max_norm is a constraint, not a penalty: after each optimizer step every column of a weight
// (the incoming weights of one unit of a dense layer) is rescaled to norm ≤ c.
#include <vector>

#include "augment/trainer/parameter.hpp"

namespace augment::trainer {

/// Σ of every parameter's L1 and L2 terms (frozen ones included: a constant for the optimizer).
template <class T>
double penalty_loss(const std::vector<Parameter<T>*>& parameters);

/// Adds each non-frozen parameter's penalty gradient to its grad.
template <class T>
void add_penalty_gradients(const std::vector<Parameter<T>*>& parameters);

/// Rescales the columns whose L2 norm exceeds max_norm, for each non-frozen parameter with one.
template <class T>
void apply_max_norm(const std::vector<Parameter<T>*>& parameters);

}  // namespace augment::trainer
