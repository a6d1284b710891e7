#pragma once
// Softmax over each row, for a network's inference outputs (probabilities). Training with
// softmax_cross_entropy takes the logits instead: the loss fuses the softmax, which is both
// cheaper and stable. Backward: dx = y ⊙ (dy − Σⱼ dyⱼ·yⱼ), row by row. Config: {"type": "softmax"}.
#include "augment/trainer/activation.hpp"

namespace augment::trainer {

template <class T>
class Softmax final : public Activation<T> {
 public:
  std::string type() const override { return "softmax"; }
  const Matrix<T>& forward(const Matrix<T>& input, Phase phase, Rng& rng) override;
  const Matrix<T>& backward(const Matrix<T>& output_grad) override;
};

/// Row-wise softmax of `logits` into `out` (resized), shifted by each row's max for stability.
template <class T>
void softmax_rows(const Matrix<T>& logits, Matrix<T>& out);

}  // namespace augment::trainer
