#pragma once
// relu activation: y = max(x, 0); backward dy·[y > 0]. Config: {"type": "relu"}.
#include "augment/trainer/activation.hpp"

namespace augment::trainer {

template <class T>
class Relu final : public Activation<T> {
 public:
  std::string type() const override { return "relu"; }
  const Matrix<T>& forward(const Matrix<T>& input, Phase phase, Rng& rng) override;
  const Matrix<T>& backward(const Matrix<T>& output_grad) override;
};

}  // namespace augment::trainer
