#include "augment/trainer/batch_norm2d.hpp"

#include "augment/core/error.hpp"

namespace augment::trainer {
namespace {

std::size_t channels_of(const Shape& input) {
  if (input.rank() < 2)
    throw ShapeError("expects a [C, H, W] or [C, L] input, got " + std::to_string(input.rank()) +
                     " dim; use batch_norm on flat inputs");
  return input[0];
}

/// (N, C·P) batch rows <-> (N·P, C) value rows: value (n, c, p) sits at (n, c·P + p) in one and
/// (n·P + p, c) in the other.
template <class T>
void to_channel_columns(const Matrix<T>& batch, Eigen::Index c, Eigen::Index p, Matrix<T>& rows) {
  rows.resize(batch.rows() * p, c);
  for (Eigen::Index n = 0; n < batch.rows(); ++n)
    rows.middleRows(n * p, p) = Eigen::Map<const Matrix<T>>(batch.data() + n * batch.cols(), c, p).transpose();
}

template <class T>
void to_batch_rows(const Matrix<T>& rows, Eigen::Index c, Eigen::Index p, Matrix<T>& batch) {
  batch.resize(rows.rows() / p, c * p);
  for (Eigen::Index n = 0; n < batch.rows(); ++n)
    Eigen::Map<Matrix<T>>(batch.data() + n * batch.cols(), c, p) = rows.middleRows(n * p, p).transpose();
}

}  // namespace

template <class T>
BatchNorm2d<T>::BatchNorm2d(const Shape& input, const BatchNormOptions& options)
    : channels_(channels_of(input)), positions_(input.size() / channels_), norm_(channels_, options) {}

template <class T>
const Matrix<T>& BatchNorm2d<T>::forward(const Matrix<T>& input, Phase phase, Rng& rng) {
  const auto c = static_cast<Eigen::Index>(channels_), p = static_cast<Eigen::Index>(positions_);
  if (input.cols() != c * p)
    throw UsageError("batch_norm2d: expected " + std::to_string(c * p) + " input columns, got " +
                     std::to_string(input.cols()));
  to_channel_columns(input, c, p, rows_);
  to_batch_rows(norm_.forward(rows_, phase, rng), c, p, output_);
  return output_;
}

template <class T>
const Matrix<T>& BatchNorm2d<T>::backward(const Matrix<T>& dy) {
  const auto c = static_cast<Eigen::Index>(channels_), p = static_cast<Eigen::Index>(positions_);
  to_channel_columns(dy, c, p, grad_rows_);
  norm_.set_input_grad_needed(this->input_grad_needed_);
  to_batch_rows(norm_.backward(grad_rows_), c, p, input_grad_);
  return input_grad_;
}

template <class T>
nlohmann::json BatchNorm2d<T>::config() const {
  auto c = norm_.config();
  c["type"] = "batch_norm2d";
  return c;
}

template class BatchNorm2d<float>;
template class BatchNorm2d<double>;

}  // namespace augment::trainer
