#include "augment/trainer/global_avg_pool.hpp"

#include "augment/core/error.hpp"

namespace augment::trainer {

template <class T>
GlobalAvgPool<T>::GlobalAvgPool(const Shape& input) {
  if (input.rank() < 2)
    throw ShapeError("expects a [C, H, W] or [C, L] input, got " + std::to_string(input.rank()) + " dim");
  channels_ = input[0];
  positions_ = input.size() / channels_;
}

template <class T>
const Matrix<T>& GlobalAvgPool<T>::forward(const Matrix<T>& x, Phase, Rng&) {
  const auto c = static_cast<Eigen::Index>(channels_), p = static_cast<Eigen::Index>(positions_);
  if (x.cols() != c * p)
    throw UsageError("global_avg_pool: expected " + std::to_string(c * p) + " input columns, got " +
                     std::to_string(x.cols()));
  output_.resize(x.rows(), c);
  for (Eigen::Index n = 0; n < x.rows(); ++n)
    for (Eigen::Index ch = 0; ch < c; ++ch) output_(n, ch) = x.row(n).segment(ch * p, p).sum() / static_cast<T>(p);
  return output_;
}

template <class T>
const Matrix<T>& GlobalAvgPool<T>::backward(const Matrix<T>& dy) {
  const auto c = static_cast<Eigen::Index>(channels_), p = static_cast<Eigen::Index>(positions_);
  input_grad_.resize(dy.rows(), c * p);
  for (Eigen::Index n = 0; n < dy.rows(); ++n)
    for (Eigen::Index ch = 0; ch < c; ++ch) input_grad_.row(n).segment(ch * p, p).setConstant(dy(n, ch) / static_cast<T>(p));
  return input_grad_;
}

template class GlobalAvgPool<float>;
template class GlobalAvgPool<double>;

}  // namespace augment::trainer
