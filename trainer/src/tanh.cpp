#include "augment/trainer/tanh.hpp"

namespace augment::trainer {

template <class T>
const Matrix<T>& Tanh<T>::forward(const Matrix<T>& input, Phase, Rng&) {
  this->output_.resize(input.rows(), input.cols());
  this->output_.array() = input.array().tanh();
  return this->output_;
}

template <class T>
const Matrix<T>& Tanh<T>::backward(const Matrix<T>& output_grad) {
  this->input_grad_.resize(output_grad.rows(), output_grad.cols());
  this->input_grad_.array() = output_grad.array() * (T(1) - this->output_.array().square());
  return this->input_grad_;
}

template class Tanh<float>;
template class Tanh<double>;

}  // namespace augment::trainer
