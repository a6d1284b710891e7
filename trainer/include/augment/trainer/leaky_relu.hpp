#pragma once
// Leaky ReLU: y = x for x > 0, slope·x otherwise; backward dy·(x > 0 ? 1 : slope).
// Config: {"type": "leaky_relu", "slope": 0.01} (PyTorch's negative_slope default).
#include "augment/trainer/activation.hpp"

namespace augment::trainer {

template <class T>
class LeakyRelu final : public Activation<T> {
 public:
  explicit LeakyRelu(double slope = 0.01) : slope_(slope) {}
  std::string type() const override { return "leaky_relu"; }
  const Matrix<T>& forward(const Matrix<T>& input, Phase phase, Rng& rng) override;
  const Matrix<T>& backward(const Matrix<T>& output_grad) override;
  nlohmann::json config() const override { return {{"type", "leaky_relu"}, {"slope", slope_}}; }

 private:
  double slope_;
  const Matrix<T>* input_ = nullptr;
};

}  // namespace augment::trainer
