#pragma once
// Spatial dropout (Tompson et al. 2015; PyTorch's Dropout2d, Keras's SpatialDropout2D): whole
// channels of a [C, H, W] (or [C, L]) sample are kept with probability P ("keep") or zeroed,
// one draw per (sample, channel): neighbouring positions of a map are correlated, so dropping
// single values barely regularizes a convolution. Conventions as dropout.hpp ("inverted":
// kept channels scaled by 1/P in training; "course": infer scaled by P). Masks are drawn from
// the rng as dropout's are (two per 64-bit draw, in (sample, channel) order); Phase::sample
// draws them too (MC dropout).
// Config: {"type": "dropout2d", "keep": 0.5, "convention": "inverted" | "course"}.
#include "augment/trainer/dropout.hpp"

namespace augment::trainer {

template <class T>
class Dropout2d final : public Layer<T> {
 public:
  /// keep in (0, 1]; ShapeError for a flat input (no channels to drop).
  Dropout2d(const Shape& input, double keep, DropoutConvention convention);

  std::string type() const override { return "dropout2d"; }
  const Matrix<T>& forward(const Matrix<T>& input, Phase phase, Rng& rng) override;
  const Matrix<T>& backward(const Matrix<T>& output_grad) override;
  nlohmann::json config() const override;

  double keep() const { return keep_; }

 private:
  void apply(const Matrix<T>& in, Matrix<T>& out) const;

  double keep_;
  DropoutConvention convention_;
  std::size_t channels_, positions_;
  Matrix<T> factor_;  // samples × channels: the factor each channel was multiplied by
  Matrix<T> output_, input_grad_;
};

}  // namespace augment::trainer
