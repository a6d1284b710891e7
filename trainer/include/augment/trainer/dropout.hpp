#pragma once
// Dropout (Srivastava et al. 2014; the course's "Dropout"): each unit is kept with probability
// P ("keep"), r ~ Bernoulli(P) drawn per sample and unit. Two conventions, equal in expectation:
//   "inverted" (default, PyTorch):  train y = r ⊙ x / P        infer y = x
//   "course"   (Srivastava):        train y = r ⊙ x            infer y = P · x
// The paper scales at inference the weights LEAVING the kept-with-P units, never the biases
// (the slide's θ_inferencia = P·θ would scale biases too, which is wrong). Multiplying this
// layer's output by P is exactly that: the next dense layer computes (P·x)·W + b = x·(P·W) + b.
// Phase::sample draws masks as in training, for MC-dropout predictions.
// Config: {"type": "dropout", "keep": 0.5, "convention": "inverted" | "course"}.
#include "augment/trainer/layer.hpp"

namespace augment::trainer {

enum class DropoutConvention { inverted, course };

template <class T>
class Dropout final : public Layer<T> {
 public:
  /// keep in (0, 1].
  Dropout(double keep, DropoutConvention convention);

  std::string type() const override { return "dropout"; }
  const Matrix<T>& forward(const Matrix<T>& input, Phase phase, Rng& rng) override;
  const Matrix<T>& backward(const Matrix<T>& output_grad) override;
  nlohmann::json config() const override;

  double keep() const { return keep_; }
  DropoutConvention convention() const { return convention_; }

 private:
  double keep_;
  DropoutConvention convention_;
  // Per element: the factor forward applied (0 or the kept scale); backward multiplies by it.
  Matrix<T> factor_, output_, input_grad_;
};

}  // namespace augment::trainer
