#include "augment/trainer/sigmoid.hpp"

namespace augment::trainer {

template <class T>
const Matrix<T>& Sigmoid<T>::forward(const Matrix<T>& input, Phase, Rng&) {
  this->output_.resize(input.rows(), input.cols());
  // Eigen's logistic() is the stable form: no overflow of e^−x for very negative x.
  this->output_.array() = input.array().logistic();
  return this->output_;
}

template <class T>
const Matrix<T>& Sigmoid<T>::backward(const Matrix<T>& output_grad) {
  this->input_grad_.resize(output_grad.rows(), output_grad.cols());
  const auto y = this->output_.array();
  this->input_grad_.array() = output_grad.array() * y * (T(1) - y);
  return this->input_grad_;
}

template class Sigmoid<float>;
template class Sigmoid<double>;

}  // namespace augment::trainer
