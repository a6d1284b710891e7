#include "augment/trainer/dropout2d.hpp"

#include <cmath>
#include <cstdint>

#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"

namespace augment::trainer {

template <class T>
Dropout2d<T>::Dropout2d(const Shape& input, double keep, DropoutConvention convention)
    : keep_(keep), convention_(convention) {
  if (!(keep > 0 && keep <= 1)) throw SpecError("dropout2d.keep: must be in (0, 1], got " + format_number(keep));
  if (input.rank() < 2)
    throw ShapeError("expects a [C, H, W] or [C, L] input (whole channels are dropped), got " +
                     std::to_string(input.rank()) + " dim; use dropout on flat inputs");
  channels_ = input[0];
  positions_ = input.size() / channels_;
}

template <class T>
void Dropout2d<T>::apply(const Matrix<T>& in, Matrix<T>& out) const {
  const auto p = static_cast<Eigen::Index>(positions_);
  out.resize(in.rows(), in.cols());
  for (Eigen::Index n = 0; n < in.rows(); ++n)
    for (Eigen::Index c = 0; c < factor_.cols(); ++c)
      out.row(n).segment(c * p, p) = in.row(n).segment(c * p, p) * factor_(n, c);
}

template <class T>
const Matrix<T>& Dropout2d<T>::forward(const Matrix<T>& input, Phase phase, Rng& rng) {
  const auto c = static_cast<Eigen::Index>(channels_);
  if (input.cols() != c * static_cast<Eigen::Index>(positions_))
    throw UsageError("dropout2d: expected " + std::to_string(channels_ * positions_) + " input columns, got " +
                     std::to_string(input.cols()));
  factor_.resize(input.rows(), c);
  if (phase == Phase::infer) {
    factor_.setConstant(convention_ == DropoutConvention::course ? static_cast<T>(keep_) : T(1));
  } else {
    const T kept = convention_ == DropoutConvention::inverted ? static_cast<T>(1 / keep_) : T(1);
    const auto threshold = static_cast<std::uint64_t>(std::ldexp(keep_, 32));  // as dropout.cpp
    T* f = factor_.data();
    const Eigen::Index n = factor_.size();
    for (Eigen::Index i = 0; i < n; i += 2) {
      const std::uint64_t bits = rng.next_u64();
      f[i] = (bits & 0xFFFFFFFFu) < threshold ? kept : T(0);
      if (i + 1 < n) f[i + 1] = (bits >> 32) < threshold ? kept : T(0);
    }
  }
  apply(input, output_);
  return output_;
}

template <class T>
const Matrix<T>& Dropout2d<T>::backward(const Matrix<T>& output_grad) {
  apply(output_grad, input_grad_);
  return input_grad_;
}

template <class T>
nlohmann::json Dropout2d<T>::config() const {
  return {{"type", "dropout2d"},
          {"keep", keep_},
          {"convention", convention_ == DropoutConvention::inverted ? "inverted" : "course"}};
}

template class Dropout2d<float>;
template class Dropout2d<double>;

}  // namespace augment::trainer
