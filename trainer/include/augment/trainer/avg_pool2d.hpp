#pragma once
// Average pooling over [C, H, W]: each output is the mean of its kh×kw window, per channel
// (PyTorch's AvgPool2d without ceil_mode or divisor_override). With "count_include_pad": true
// (PyTorch's default) the padding counts as zeros and every window divides by kh·kw; with
// false it divides by the number of real inputs under the window. OH = ⌊(H + 2·ph − kh)/sh⌋ + 1.
// Config: {"type": "avg_pool2d", "kernel": 2 | [kh, kw], "stride": kernel | [sh, sw],
//          "padding": 0 | [ph, pw], "count_include_pad": true}.
#include "augment/trainer/max_pool2d.hpp"

namespace augment::trainer {

template <class T>
class AvgPool2d final : public Layer<T> {
 public:
  AvgPool2d(const Shape& input, const PoolOptions& options, bool count_include_pad);

  std::string type() const override { return "avg_pool2d"; }
  Shape output_shape(const Shape&) const override { return output_shape_; }
  const Matrix<T>& forward(const Matrix<T>& input, Phase phase, Rng& rng) override;
  const Matrix<T>& backward(const Matrix<T>& output_grad) override;
  nlohmann::json config() const override;

 private:
  /// Calls f(output index within a channel, first row, end row, first col, end col, 1/divisor).
  template <class F>
  void each_window(F&& f) const;

  PoolOptions options_;
  bool count_include_pad_;
  Shape input_shape_, output_shape_;
  Matrix<T> output_, input_grad_;
};

}  // namespace augment::trainer
