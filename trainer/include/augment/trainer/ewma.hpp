#pragma once
// The exponentially weighted moving average (the course's "PMPE"), with the indices the slide's
// expansion shifts put right (docs/glossary.md lists the slide errors): for values v[0], v[1], ...
//   e[0] = 0,   e[t+1] = β·e[t] + (1 − β)·v[t]
// so e[1] = (1 − β)·v[0], e[2] = β(1 − β)·v[0] + (1 − β)·v[1], ... With bias correction (Adam's)
// the estimate is ê[t] = e[t] / (1 − βᵗ), which is v[0] at t = 1 and a weighted mean of the
// values seen so far (weights ∝ βᵗ⁻¹⁻ⁱ summing to one).
// RMSProp's r and Adam's m, v are this rule applied element-wise (they update in place).
#include <cstdint>
#include <vector>

#include "augment/trainer/parameter.hpp"

namespace augment::trainer {

template <class T>
class Ewma {
 public:
  /// β in [0, 1); SpecError otherwise.
  explicit Ewma(double beta, bool bias_correction = false);

  /// Takes v[t] and returns the new average (bias-corrected if asked). The first value fixes
  /// the shape; UsageError for another shape later.
  const Matrix<T>& update(const Matrix<T>& value);
  /// The current average (corrected if asked), empty before the first update.
  const Matrix<T>& value() const { return bias_correction_ ? corrected_ : average_; }
  /// e[t] without correction.
  const Matrix<T>& raw() const { return average_; }
  /// t: values seen so far.
  std::int64_t count() const { return count_; }
  double beta() const { return beta_; }

 private:
  double beta_;
  bool bias_correction_;
  std::int64_t count_ = 0;
  Matrix<T> average_, corrected_;
};

/// The average of a whole series: out[t] = e[t + 1] (or ê[t + 1]), for plots and tests.
std::vector<double> ewma(const std::vector<double>& values, double beta, bool bias_correction = false);

}  // namespace augment::trainer
