#pragma once
// Gaussian noise on the weights during training (the course's "adición de ruido a ...
// parámetros"; Graves 2011's weight noise): before each step's forward pass every weight that
// is trained — not frozen, not a bias or batch-norm shift — gets ε ~ N(0, σ²), drawn afresh
// for every step from Rng::derive(seed, "augment.trainer.weight_noise", step, 0), forked per
// parameter. The gradient is taken at the noisy weights; then the noise is removed by putting
// back the saved clean values (a copy, not a subtraction, so they return bit for bit) before the
// penalties, clipping and the optimizer's update, which therefore act on the clean weights.
// Validation, test and saved checkpoints never see the noise.
#include <cstdint>
#include <vector>

#include "augment/trainer/parameter.hpp"

namespace augment::trainer {

template <class T>
class WeightNoise {
 public:
  WeightNoise(double sigma, std::uint64_t seed) : sigma_(sigma), seed_(seed) {}

  bool active() const { return sigma_ > 0; }
  /// Saves the clean values and adds this step's noise. Call remove() before the next add().
  void add(const std::vector<Parameter<T>*>& parameters, std::uint64_t step);
  /// Puts the clean values back.
  void remove(const std::vector<Parameter<T>*>& parameters);

 private:
  double sigma_;
  std::uint64_t seed_;
  std::vector<Matrix<T>> clean_;
  std::vector<Parameter<T>*> noisy_;
};

}  // namespace augment::trainer
