#pragma once
// What the activation layers share: output size = input size, no parameters, and the two
// buffers they own. Each activation is its own header: relu, leaky_relu, tanh, sigmoid, softmax.
#include "augment/trainer/layer.hpp"

namespace augment::trainer {

template <class T>
class Activation : public Layer<T> {
 public:
  std::size_t output_size(std::size_t input) const override { return input; }
  nlohmann::json config() const override { return {{"type", this->type()}}; }

 protected:
  Matrix<T> output_, input_grad_;
};

}  // namespace augment::trainer
