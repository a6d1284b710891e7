#pragma once
// Max pooling over [C, H, W]: each output is the largest input of its kh×kw window, per channel
// (PyTorch's MaxPool2d without dilation or ceil_mode). The padding counts as −∞; a tie goes to
// the first maximum in row-major order and NaN wins (both as PyTorch); backward routes each
// output's gradient to that one input. OH = ⌊(H + 2·ph − kh)/sh⌋ + 1.
// Config: {"type": "max_pool2d", "kernel": 2 | [kh, kw], "stride": kernel | [sh, sw],
//          "padding": 0 | [ph, pw]} — padding at most half the kernel (PyTorch's rule).
#include <array>
#include <cstdint>

#include "augment/trainer/layer.hpp"

namespace augment::trainer {

struct PoolOptions {
  std::array<std::size_t, 2> kernel{2, 2}, stride{2, 2}, padding{0, 0};
};

/// OH, OW of a pooling window over [C, H, W]; ShapeError for another rank, a window that does
/// not fit or padding over half the kernel. Shared with avg_pool2d.
std::array<std::size_t, 2> pool_output_size(const Shape& input, const PoolOptions& options);

template <class T>
class MaxPool2d final : public Layer<T> {
 public:
  MaxPool2d(const Shape& input, const PoolOptions& options);

  std::string type() const override { return "max_pool2d"; }
  Shape output_shape(const Shape&) const override { return output_shape_; }
  const Matrix<T>& forward(const Matrix<T>& input, Phase phase, Rng& rng) override;
  const Matrix<T>& backward(const Matrix<T>& output_grad) override;
  nlohmann::json config() const override;

 private:
  PoolOptions options_;
  Shape input_shape_, output_shape_;
  std::vector<std::uint32_t> argmax_;  // per output: the input column it came from
  Matrix<T> output_, input_grad_;
};

}  // namespace augment::trainer
