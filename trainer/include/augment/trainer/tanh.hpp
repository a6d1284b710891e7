#pragma once
// tanh activation: y = tanh(x); backward dy·(1 − y²). Config: {"type": "tanh"}.
#include "augment/trainer/activation.hpp"

namespace augment::trainer {

template <class T>
class Tanh final : public Activation<T> {
 public:
  std::string type() const override { return "tanh"; }
  const Matrix<T>& forward(const Matrix<T>& input, Phase phase, Rng& rng) override;
  const Matrix<T>& backward(const Matrix<T>& output_grad) override;
};

}  // namespace augment::trainer
