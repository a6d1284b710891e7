#pragma once
// Batch normalization (Ioffe & Szegedy 2015; the course's "Normalización por lotes") over each
// column (feature) of a batch, with γ ("weight", a weight: penalties apply if set) and β ("bias").
//
// train:  μ_B, σ²_B = the batch's mean and BIASED variance (÷m); x̂ = (x − μ_B)/√(σ²_B + ε);
//         y = γ·x̂ + β. Running averages as PyTorch (momentum m = 0.1 by default):
//         running = (1 − m)·running + m·batch, with the UNBIASED batch variance (÷(m−1)) for
//         running_var. A batch needs at least 2 rows (PyTorch refuses 1 too).
// infer, sample: the population statistics (the "running_mean", "running_var" buffers) replace
//         the batch's.
// Backward (train), the full formula; the slide's ∂L/∂σ² term lacks the −μ_B in 2(x − μ_B)/m:
//         dx̂ = dy·γ;  dx = (1/m)·(1/√(σ²_B + ε))·(m·dx̂ − Σdx̂ − x̂·Σ(dx̂·x̂)).
//
// Population statistics, "population": "running" (default) uses the running averages. "exact"
// (the course: "transformar estadísticos del lote a estadísticos de población") computes them
// over the whole training set in a pass after training: begin_population_pass(), then forward
// every training batch with Phase::infer, then finish_population_pass(). During the pass the
// layer normalizes with each batch's own statistics (what later layers saw in training) and
// accumulates the exact mean and unbiased variance of its inputs over all rows (Chan's merge, in
// double); finish writes them into running_mean / running_var. Network::begin_population_pass()
// does this for every "exact" layer at once. Without a pass, "exact" falls back to the running
// averages, which training keeps up to date in both modes.
// Config: {"type": "batch_norm", "momentum": 0.1, "epsilon": 1e-5, "population": "running"}.
#include <cstdint>

#include "augment/trainer/layer.hpp"

namespace augment::trainer {

enum class PopulationStatistics { running, exact };

struct BatchNormOptions {
  double momentum = 0.1;
  double epsilon = 1e-5;
  PopulationStatistics population = PopulationStatistics::running;
};

template <class T>
class BatchNorm final : public Layer<T> {
 public:
  BatchNorm(std::size_t features, const BatchNormOptions& options);

  std::string type() const override { return "batch_norm"; }
  const Matrix<T>& forward(const Matrix<T>& input, Phase phase, Rng& rng) override;
  const Matrix<T>& backward(const Matrix<T>& output_grad) override;
  std::vector<Parameter<T>*> parameters() override { return {&gamma_, &beta_}; }
  bool has_trainable_parameters() const override { return !gamma_.frozen || !beta_.frozen; }
  std::vector<std::pair<std::string, Matrix<T>*>> buffers() override {
    return {{"running_mean", &running_mean_}, {"running_var", &running_var_}};
  }
  nlohmann::json config() const override;

  const BatchNormOptions& options() const { return options_; }
  Parameter<T>& gamma() { return gamma_; }
  Parameter<T>& beta() { return beta_; }
  const Matrix<T>& running_mean() const { return running_mean_; }
  const Matrix<T>& running_var() const { return running_var_; }

  void begin_population_pass();
  bool in_population_pass() const { return in_pass_; }
  /// Writes the pass's statistics into the running buffers (unchanged if it saw fewer than 2 rows).
  void finish_population_pass();

 private:
  void normalize_with_batch_statistics(const Matrix<T>& input);

  BatchNormOptions options_;
  Parameter<T> gamma_, beta_;
  Matrix<T> running_mean_, running_var_;
  bool batch_statistics_ = false;  // whether the last forward normalized by the batch's statistics
  Matrix<T> xhat_, inv_std_, mean_, output_, input_grad_;
  Eigen::Array<T, 1, Eigen::Dynamic> sum_squares_, sum_g_, sum_gx_;
  bool in_pass_ = false;
  std::uint64_t pass_rows_ = 0;
  Eigen::ArrayXd pass_mean_, pass_m2_;  // Σ(x − mean)² over the rows seen
};

}  // namespace augment::trainer
