#pragma once
// Global average pooling: [C, H, W] or [C, L] (any rank >= 2) to [C], each channel's mean over
// its positions (PyTorch's AdaptiveAvgPool2d(1) then flatten; Keras's GlobalAveragePooling2D).
// Config: {"type": "global_avg_pool"}.
#include "augment/trainer/layer.hpp"

namespace augment::trainer {

template <class T>
class GlobalAvgPool final : public Layer<T> {
 public:
  /// ShapeError for a flat input (nothing to pool over).
  explicit GlobalAvgPool(const Shape& input);

  std::string type() const override { return "global_avg_pool"; }
  Shape output_shape(const Shape&) const override { return {channels_}; }
  const Matrix<T>& forward(const Matrix<T>& input, Phase phase, Rng& rng) override;
  const Matrix<T>& backward(const Matrix<T>& output_grad) override;
  nlohmann::json config() const override { return {{"type", "global_avg_pool"}}; }

 private:
  std::size_t channels_, positions_;
  Matrix<T> output_, input_grad_;
};

}  // namespace augment::trainer
