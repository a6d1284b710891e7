#pragma once
// What the activation layers share: output shape = input shape, no parameters, and the two
// buffers they own. Each activation is its own header: relu, leaky_relu, tanh, sigmoid, softmax.
#include "augment/trainer/layer.hpp"

namespace augment::trainer {

template <class T>
class Activation : public Layer<T> {
 public:
  nlohmann::json config() const override { return {{"type", this->type()}}; }

 protected:
  Matrix<T> output_, input_grad_;
};

}  // namespace augment::trainer
