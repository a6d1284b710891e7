#pragma once
// Flatten: any shape to [C·H·W]. The batch's rows already hold each sample flattened in C-major
// order, so only the shape changes: forward returns its input and backward its output gradient,
// with no copy. A dense layer needs a flat input: put flatten (or global_avg_pool) between a
// convolution or pooling and a dense layer, as PyTorch's nn.Flatten (Keras's Dense would act on
// the last axis alone instead, silently).
// Config: {"type": "flatten"}.
#include "augment/trainer/layer.hpp"

namespace augment::trainer {

template <class T>
class Flatten final : public Layer<T> {
 public:
  std::string type() const override { return "flatten"; }
  Shape output_shape(const Shape& input) const override { return {input.size()}; }
  const Matrix<T>& forward(const Matrix<T>& input, Phase, Rng&) override { return input; }
  const Matrix<T>& backward(const Matrix<T>& output_grad) override { return output_grad; }
  nlohmann::json config() const override { return {{"type", "flatten"}}; }
};

}  // namespace augment::trainer
