#include "augment/trainer/ewma.hpp"

#include <cmath>

#include "option_checks.hpp"

namespace augment::trainer {

template <class T>
Ewma<T>::Ewma(double beta, bool bias_correction) : beta_(beta), bias_correction_(bias_correction) {
  checks::check_in("ewma", "beta", beta, 0, 1, true);
}

template <class T>
const Matrix<T>& Ewma<T>::update(const Matrix<T>& value) {
  if (count_ == 0) {
    average_.setZero(value.rows(), value.cols());
    if (bias_correction_) corrected_.resize(value.rows(), value.cols());
  } else if (value.rows() != average_.rows() || value.cols() != average_.cols()) {
    throw UsageError("ewma: a " + std::to_string(value.rows()) + "x" + std::to_string(value.cols()) +
                     " value for a " + std::to_string(average_.rows()) + "x" +
                     std::to_string(average_.cols()) + " average");
  }
  const T beta = static_cast<T>(beta_), rest = static_cast<T>(1 - beta_);
  average_.array() = beta * average_.array() + rest * value.array();
  ++count_;
  if (!bias_correction_) return average_;
  const T correction = static_cast<T>(1 - std::pow(beta_, static_cast<double>(count_)));
  corrected_.array() = average_.array() / correction;
  return corrected_;
}

std::vector<double> ewma(const std::vector<double>& values, double beta, bool bias_correction) {
  checks::check_in("ewma", "beta", beta, 0, 1, true);
  std::vector<double> out;
  out.reserve(values.size());
  double e = 0, power = 1;
  for (double v : values) {
    e = beta * e + (1 - beta) * v;
    power *= beta;
    out.push_back(bias_correction ? e / (1 - power) : e);
  }
  return out;
}

template class Ewma<float>;
template class Ewma<double>;

}  // namespace augment::trainer
