#include "augment/trainer/loss.hpp"

#include <cmath>

#include "augment/core/error.hpp"

namespace augment::trainer {

LossKind parse_loss(const std::string& name) {
  if (name == "mse") return LossKind::mse;
  if (name == "binary_cross_entropy") return LossKind::binary_cross_entropy;
  if (name == "softmax_cross_entropy") return LossKind::softmax_cross_entropy;
  throw SpecError("loss: unknown loss '" + name + "' (known: mse, binary_cross_entropy, softmax_cross_entropy)");
}

std::string to_string(LossKind kind) {
  switch (kind) {
    case LossKind::mse: return "mse";
    case LossKind::binary_cross_entropy: return "binary_cross_entropy";
    case LossKind::softmax_cross_entropy: break;
  }
  return "softmax_cross_entropy";
}

namespace {

// Sums in double: a float batch mean of thousands of terms would otherwise lose digits.
template <class T>
double mse(const Matrix<T>& y, const Eigen::Ref<const Matrix<T>>& t, Matrix<T>* grad) {
  const double n = static_cast<double>(y.size());
  double sum = 0;
  for (Eigen::Index r = 0; r < y.rows(); ++r)
    sum += (y.row(r) - t.row(r)).template cast<double>().squaredNorm();
  if (grad) {
    grad->resize(y.rows(), y.cols());
    *grad = (y - t) * static_cast<T>(2 / n);
  }
  return sum / n;
}

template <class T>
double binary_cross_entropy(const Matrix<T>& x, const Eigen::Ref<const Matrix<T>>& t, Matrix<T>* grad) {
  const double n = static_cast<double>(x.size());
  double sum = 0;
  if (grad) grad->resize(x.rows(), x.cols());
  for (Eigen::Index r = 0; r < x.rows(); ++r)
    for (Eigen::Index c = 0; c < x.cols(); ++c) {
      const double xi = static_cast<double>(x(r, c)), ti = static_cast<double>(t(r, c));
      sum += std::max(xi, 0.0) - xi * ti + std::log1p(std::exp(-std::abs(xi)));
      if (grad) {
        // σ(x) without overflow: e^x/(1 + e^x) for negative x.
        const double e = std::exp(-std::abs(xi));
        const double sigma = xi >= 0 ? 1 / (1 + e) : e / (1 + e);
        (*grad)(r, c) = static_cast<T>((sigma - ti) / n);
      }
    }
  return sum / n;
}

template <class T>
double softmax_cross_entropy(const Matrix<T>& x, const Eigen::Ref<const Matrix<T>>& t, Matrix<T>* grad) {
  const double rows = static_cast<double>(x.rows());
  double sum = 0;
  if (grad) grad->resize(x.rows(), x.cols());
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    const T max = x.row(r).maxCoeff();
    const double target_sum = static_cast<double>(t.row(r).sum());
    double exp_sum;
    if (grad) {  // e^(x − max) once, kept in the gradient row and scaled there
      grad->row(r).array() = (x.row(r).array() - max).exp();
      exp_sum = static_cast<double>(grad->row(r).sum());
      const auto scale = static_cast<T>(target_sum / exp_sum / rows);
      grad->row(r).array() = grad->row(r).array() * scale - t.row(r).array() * static_cast<T>(1 / rows);
    } else {
      exp_sum = static_cast<double>((x.row(r).array() - max).exp().sum());
    }
    const double lse = static_cast<double>(max) + std::log(exp_sum);
    sum += lse * target_sum - static_cast<double>(t.row(r).dot(x.row(r)));
  }
  return sum / rows;
}

}  // namespace

template <class T>
T loss(LossKind kind, const Matrix<T>& output, const std::type_identity_t<Eigen::Ref<const Matrix<T>>>& target,
       Matrix<T>* grad) {
  if (output.rows() != target.rows() || output.cols() != target.cols())
    throw UsageError(to_string(kind) + ": output is " + std::to_string(output.rows()) + "×" +
                     std::to_string(output.cols()) + " but target is " + std::to_string(target.rows()) + "×" +
                     std::to_string(target.cols()));
  if (output.size() == 0) {
    if (grad) grad->resize(output.rows(), output.cols());
    return T(0);
  }
  switch (kind) {
    case LossKind::mse: return static_cast<T>(mse(output, target, grad));
    case LossKind::binary_cross_entropy: return static_cast<T>(binary_cross_entropy(output, target, grad));
    case LossKind::softmax_cross_entropy: break;
  }
  return static_cast<T>(softmax_cross_entropy(output, target, grad));
}

template float loss<float>(LossKind, const Matrix<float>&, const Eigen::Ref<const Matrix<float>>&, Matrix<float>*);
template double loss<double>(LossKind, const Matrix<double>&, const Eigen::Ref<const Matrix<double>>&, Matrix<double>*);

}  // namespace augment::trainer
