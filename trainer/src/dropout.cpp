#include "augment/trainer/dropout.hpp"

#include <cmath>
#include <cstdint>

#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"

namespace augment::trainer {

template <class T>
Dropout<T>::Dropout(double keep, DropoutConvention convention) : keep_(keep), convention_(convention) {
  if (!(keep > 0 && keep <= 1)) throw SpecError("dropout.keep: must be in (0, 1], got " + format_number(keep));
}

template <class T>
const Matrix<T>& Dropout<T>::forward(const Matrix<T>& input, Phase phase, Rng& rng) {
  output_.resize(input.rows(), input.cols());
  factor_.resize(input.rows(), input.cols());
  if (phase == Phase::infer) {
    const T scale = convention_ == DropoutConvention::course ? static_cast<T>(keep_) : T(1);
    factor_.setConstant(scale);
    output_ = input * scale;
    return output_;
  }
  const T kept = convention_ == DropoutConvention::inverted ? static_cast<T>(1 / keep_) : T(1);
  // Two masks per 64-bit draw: unit kept when a 32-bit half is below P·2³² (P = 1 keeps all).
  const auto threshold = static_cast<std::uint64_t>(std::ldexp(keep_, 32));
  T* f = factor_.data();
  const Eigen::Index n = factor_.size();
  for (Eigen::Index i = 0; i < n; i += 2) {
    const std::uint64_t bits = rng.next_u64();
    f[i] = (bits & 0xFFFFFFFFu) < threshold ? kept : T(0);
    if (i + 1 < n) f[i + 1] = (bits >> 32) < threshold ? kept : T(0);
  }
  output_.array() = input.array() * factor_.array();
  return output_;
}

template <class T>
const Matrix<T>& Dropout<T>::backward(const Matrix<T>& output_grad) {
  input_grad_.resize(output_grad.rows(), output_grad.cols());
  input_grad_.array() = output_grad.array() * factor_.array();
  return input_grad_;
}

template <class T>
nlohmann::json Dropout<T>::config() const {
  return {{"type", "dropout"},
          {"keep", keep_},
          {"convention", convention_ == DropoutConvention::inverted ? "inverted" : "course"}};
}

template class Dropout<float>;
template class Dropout<double>;

}  // namespace augment::trainer
