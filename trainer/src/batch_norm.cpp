#include "augment/trainer/batch_norm.hpp"

#include <cmath>

#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"

namespace augment::trainer {

template <class T>
BatchNorm<T>::BatchNorm(std::size_t features, const BatchNormOptions& options) : options_(options) {
  if (!(options.momentum >= 0 && options.momentum <= 1))
    throw SpecError("batch_norm.momentum: must be in [0, 1], got " + format_number(options.momentum));
  if (!(options.epsilon > 0 && std::isfinite(options.epsilon)))
    throw SpecError("batch_norm.epsilon: must be a finite number > 0, got " + format_number(options.epsilon));
  const auto n = static_cast<Eigen::Index>(features);
  gamma_.name = "weight";  // a scale: a weight, though usually left unpenalized
  gamma_.value = Matrix<T>::Ones(1, n);
  gamma_.grad = Matrix<T>::Zero(1, n);
  beta_.name = "bias";
  beta_.is_bias = true;
  beta_.value = Matrix<T>::Zero(1, n);
  beta_.grad = Matrix<T>::Zero(1, n);
  running_mean_ = Matrix<T>::Zero(1, n);
  running_var_ = Matrix<T>::Ones(1, n);
}

template <class T>
void BatchNorm<T>::normalize_with_batch_statistics(const Matrix<T>& x) {
  const auto m = static_cast<T>(x.rows());
  mean_.setZero(1, x.cols());
  for (Eigen::Index r = 0; r < x.rows(); ++r) mean_ += x.row(r);
  mean_ /= m;
  xhat_.resize(x.rows(), x.cols());
  xhat_ = x.rowwise() - mean_.row(0);
  sum_squares_.setZero(x.cols());  // Σ(x − μ_B)²
  for (Eigen::Index r = 0; r < x.rows(); ++r) sum_squares_ += xhat_.row(r).array().square();
  inv_std_.resize(1, x.cols());
  inv_std_.array() = (sum_squares_ / m + static_cast<T>(options_.epsilon)).rsqrt();  // biased σ²_B
  xhat_.array().rowwise() *= inv_std_.array().row(0);
  batch_statistics_ = true;
}

template <class T>
const Matrix<T>& BatchNorm<T>::forward(const Matrix<T>& input, Phase phase, Rng&) {
  if (input.cols() != gamma_.value.cols())
    throw UsageError("batch_norm: expected " + std::to_string(gamma_.value.cols()) + " input columns, got " +
                     std::to_string(input.cols()));
  const auto rows = input.rows();
  if (phase == Phase::train || in_pass_) {
    if (phase == Phase::train && rows < 2)
      throw UsageError("batch_norm: training needs batches of at least 2 rows, got " + std::to_string(rows));
    normalize_with_batch_statistics(input);
    if (phase == Phase::train) {
      const auto mom = static_cast<T>(options_.momentum);
      running_mean_ = (T(1) - mom) * running_mean_ + mom * mean_;
      running_var_.array() = (T(1) - mom) * running_var_.array() + mom * sum_squares_ / static_cast<T>(rows - 1);
    } else if (rows > 0) {  // Chan et al.'s pairwise merge of (count, mean, Σ squares), in double
      const double na = static_cast<double>(pass_rows_), nb = static_cast<double>(rows), n = na + nb;
      const Eigen::ArrayXd delta = mean_.row(0).transpose().array().template cast<double>() - pass_mean_;
      pass_mean_ += delta * (nb / n);
      pass_m2_ += sum_squares_.transpose().template cast<double>() + delta.square() * (na * nb / n);
      pass_rows_ += static_cast<std::uint64_t>(rows);
    }
  } else {
    batch_statistics_ = false;
    inv_std_.array() = (running_var_.array() + static_cast<T>(options_.epsilon)).rsqrt();
    xhat_.resize(rows, input.cols());
    xhat_.array() = (input.rowwise() - running_mean_.row(0)).array().rowwise() * inv_std_.array().row(0);
  }
  output_.resize(rows, input.cols());
  output_.array() = (xhat_.array().rowwise() * gamma_.value.array().row(0)).rowwise() + beta_.value.array().row(0);
  return output_;
}

template <class T>
const Matrix<T>& BatchNorm<T>::backward(const Matrix<T>& dy) {
  const auto rows = dy.rows();
  sum_g_.setZero(dy.cols());   // Σ dy
  sum_gx_.setZero(dy.cols());  // Σ dy·x̂
  for (Eigen::Index r = 0; r < rows; ++r) {
    sum_g_ += dy.row(r).array();
    sum_gx_ += dy.row(r).array() * xhat_.row(r).array();
  }
  if (!gamma_.frozen) gamma_.grad.array() += sum_gx_;
  if (!beta_.frozen) beta_.grad.array() += sum_g_;
  input_grad_.resize(rows, dy.cols());
  if (!batch_statistics_) {  // population statistics are constants: dx = dy·γ/√(σ² + ε)
    input_grad_.array() = dy.array().rowwise() * (gamma_.value.array() * inv_std_.array()).row(0);
    return input_grad_;
  }
  // dx = γ/(m·√(σ²_B + ε)) · (m·dy − Σdy − x̂·Σ(dy·x̂)): with dx̂ = γ·dy, γ factors out of the sums.
  const auto m = static_cast<T>(rows);
  const Eigen::Array<T, 1, Eigen::Dynamic> k = gamma_.value.array().row(0) * inv_std_.array().row(0) / m;
  for (Eigen::Index r = 0; r < rows; ++r)
    input_grad_.row(r).array() = k * (m * dy.row(r).array() - sum_g_ - xhat_.row(r).array() * sum_gx_);
  return input_grad_;
}

template <class T>
void BatchNorm<T>::begin_population_pass() {
  in_pass_ = true;
  pass_rows_ = 0;
  pass_mean_.setZero(gamma_.value.cols());
  pass_m2_.setZero(gamma_.value.cols());
}

template <class T>
void BatchNorm<T>::finish_population_pass() {
  in_pass_ = false;
  if (pass_rows_ < 2) return;
  running_mean_ = pass_mean_.transpose().template cast<T>();
  running_var_ = (pass_m2_ / static_cast<double>(pass_rows_ - 1)).transpose().template cast<T>();
}

template <class T>
nlohmann::json BatchNorm<T>::config() const {
  return {{"type", "batch_norm"},
          {"momentum", options_.momentum},
          {"epsilon", options_.epsilon},
          {"population", options_.population == PopulationStatistics::exact ? "exact" : "running"}};
}

template class BatchNorm<float>;
template class BatchNorm<double>;

}  // namespace augment::trainer
