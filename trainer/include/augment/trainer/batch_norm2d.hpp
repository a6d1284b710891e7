#pragma once
// Batch normalization over the channels of a [C, H, W] (or [C, L]) map: PyTorch's BatchNorm2d
// (BatchNorm1d on (N, C, L)). One γ, β, running mean and variance per channel; the statistics
// of channel c are taken over all N·H·W values of it in the batch. Everything else is
// batch_norm's (batch_norm.hpp: biased batch variance, running averages with the unbiased one,
// "running" or "exact" population statistics, the corrected backward): the layer rearranges the
// batch into (N·H·W) rows × C columns, runs a BatchNorm over it and puts the result back, so the
// two cannot drift apart. Training needs N·H·W >= 2 values per channel (a batch of one map is
// fine). Parameters and buffers are named as batch_norm's (weight, bias, running_mean,
// running_var; PyTorch's order of values).
// Config: {"type": "batch_norm2d", "momentum": 0.1, "epsilon": 1e-5, "population": "running"}.
#include "augment/trainer/batch_norm.hpp"

namespace augment::trainer {

template <class T>
class BatchNorm2d final : public Layer<T> {
 public:
  /// ShapeError for a flat input (use batch_norm there).
  BatchNorm2d(const Shape& input, const BatchNormOptions& options);

  std::string type() const override { return "batch_norm2d"; }
  const Matrix<T>& forward(const Matrix<T>& input, Phase phase, Rng& rng) override;
  const Matrix<T>& backward(const Matrix<T>& output_grad) override;
  std::vector<Parameter<T>*> parameters() override { return norm_.parameters(); }
  bool has_trainable_parameters() const override { return norm_.has_trainable_parameters(); }
  std::vector<std::pair<std::string, Matrix<T>*>> buffers() override { return norm_.buffers(); }
  nlohmann::json config() const override;

  /// The per-channel normalization (its population pass is the network's to run).
  BatchNorm<T>& norm() { return norm_; }

 private:
  std::size_t channels_, positions_;
  BatchNorm<T> norm_;
  Matrix<T> rows_, output_, grad_rows_, input_grad_;
};

}  // namespace augment::trainer
