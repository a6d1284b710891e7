#pragma once
// sigmoid activation: y = 1/(1 + e^−x); backward dy·y·(1 − y). Config: {"type": "sigmoid"}.
#include "augment/trainer/activation.hpp"

namespace augment::trainer {

template <class T>
class Sigmoid final : public Activation<T> {
 public:
  std::string type() const override { return "sigmoid"; }
  const Matrix<T>& forward(const Matrix<T>& input, Phase phase, Rng& rng) override;
  const Matrix<T>& backward(const Matrix<T>& output_grad) override;
};

}  // namespace augment::trainer
