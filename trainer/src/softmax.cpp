#include "augment/trainer/softmax.hpp"

namespace augment::trainer {

template <class T>
void softmax_rows(const Matrix<T>& logits, Matrix<T>& out) {
  out.resize(logits.rows(), logits.cols());
  for (Eigen::Index r = 0; r < logits.rows(); ++r) {
    const T max = logits.row(r).maxCoeff();
    out.row(r).array() = (logits.row(r).array() - max).exp();
    out.row(r) /= out.row(r).sum();
  }
}

template <class T>
const Matrix<T>& Softmax<T>::forward(const Matrix<T>& input, Phase, Rng&) {
  softmax_rows(input, this->output_);
  return this->output_;
}

template <class T>
const Matrix<T>& Softmax<T>::backward(const Matrix<T>& output_grad) {
  const Matrix<T>& y = this->output_;
  this->input_grad_.resize(y.rows(), y.cols());
  for (Eigen::Index r = 0; r < y.rows(); ++r) {
    const T dot = output_grad.row(r).dot(y.row(r));
    this->input_grad_.row(r).array() = y.row(r).array() * (output_grad.row(r).array() - dot);
  }
  return this->input_grad_;
}

template void softmax_rows<float>(const Matrix<float>&, Matrix<float>&);
template void softmax_rows<double>(const Matrix<double>&, Matrix<double>&);
template class Softmax<float>;
template class Softmax<double>;

}  // namespace augment::trainer
