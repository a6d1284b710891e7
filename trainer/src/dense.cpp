#include "augment/trainer/dense.hpp"

#include "augment/core/error.hpp"
#include "gemm.hpp"

namespace augment::trainer {

template <class T>
Dense<T>::Dense(std::size_t inputs, const DenseOptions& options, Rng& init) : options_(options) {
  const auto in = static_cast<Eigen::Index>(inputs), units = static_cast<Eigen::Index>(options.units);
  weight_.name = "weight";
  weight_.value.resize(in, units);
  initialize(weight_.value, options.init, init);
  weight_.grad = Matrix<T>::Zero(in, units);
  weight_.penalties = options.penalties;
  bias_.name = "bias";
  bias_.is_bias = true;
  bias_.value = Matrix<T>::Zero(1, units);
  bias_.grad = Matrix<T>::Zero(1, units);
}

template <class T>
const Matrix<T>& Dense<T>::forward(const Matrix<T>& input, Phase, Rng&) {
  if (input.cols() != weight_.value.rows())
    throw UsageError("dense: expected " + std::to_string(weight_.value.rows()) + " input columns, got " +
                     std::to_string(input.cols()));
  input_ = &input;
  output_.resize(input.rows(), weight_.value.cols());
  // The bias goes in first and the product adds to it (β = 1): one pass over the output.
  output_.rowwise() = bias_.value.row(0);
  detail::gemm(detail::Op::none, detail::Op::none, T(1), input, weight_.value, T(1), output_);
  return output_;
}

template <class T>
const Matrix<T>& Dense<T>::backward(const Matrix<T>& output_grad) {
  const Matrix<T>& x = *input_;
  if (!weight_.frozen)  // dW += xᵀ·dy
    detail::gemm(detail::Op::transpose, detail::Op::none, T(1), x, output_grad, T(1), weight_.grad);
  if (!bias_.frozen)
    for (Eigen::Index r = 0; r < output_grad.rows(); ++r) bias_.grad.row(0) += output_grad.row(r);
  if (!this->input_grad_needed_) {
    input_grad_.resize(0, 0);
    return input_grad_;
  }
  input_grad_.resize(x.rows(), x.cols());  // dx = dy·Wᵀ
  detail::gemm(detail::Op::none, detail::Op::transpose, T(1), output_grad, weight_.value, T(0), input_grad_);
  return input_grad_;
}

template <class T>
nlohmann::json Dense<T>::config() const {
  nlohmann::json c = {{"type", "dense"}, {"units", options_.units}, {"init", options_.init.name}};
  if (options_.init.name == "normal") c["variance"] = options_.init.variance;
  const auto& p = weight_.penalties;  // the live values: a trainer may set them after construction
  if (p.l1 != 0) c["l1"] = p.l1;
  if (p.l2 != 0) c["l2"] = p.l2;
  if (p.max_norm != 0) c["max_norm"] = p.max_norm;
  return c;
}

template class Dense<float>;
template class Dense<double>;

}  // namespace augment::trainer
