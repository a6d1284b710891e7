#include "augment/trainer/leaky_relu.hpp"

namespace augment::trainer {

template <class T>
const Matrix<T>& LeakyRelu<T>::forward(const Matrix<T>& input, Phase, Rng&) {
  input_ = &input;  // the sign of x, not of y: any slope, even a negative one, is handled
  this->output_.resize(input.rows(), input.cols());
  const auto slope = static_cast<T>(slope_);
  const T* x = input.data();
  T* y = this->output_.data();
  for (Eigen::Index i = 0; i < input.size(); ++i) {
    const T v = x[i];
    y[i] = v > T(0) ? v : slope * v;
  }
  return this->output_;
}

template <class T>
const Matrix<T>& LeakyRelu<T>::backward(const Matrix<T>& output_grad) {
  this->input_grad_.resize(output_grad.rows(), output_grad.cols());
  const auto slope = static_cast<T>(slope_);
  const T* x = input_->data();
  const T* dy = output_grad.data();
  T* dx = this->input_grad_.data();
  for (Eigen::Index i = 0; i < output_grad.size(); ++i) {
    const T d = dy[i];  // loaded unconditionally: the loop vectorizes instead of branching
    dx[i] = x[i] > T(0) ? d : slope * d;
  }
  return this->input_grad_;
}

template class LeakyRelu<float>;
template class LeakyRelu<double>;

}  // namespace augment::trainer
