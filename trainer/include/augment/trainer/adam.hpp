#pragma once
// Adam (Kingma & Ba 2015): EWMAs of the gradient and of its square (ewma.hpp's rule),
// m[0] = v[0] = 0, then bias correction at the parameter's update count t = 1, 2, ...:
//   m[t] = β₁·m[t−1] + (1 − β₁)·g        m̂ = m[t] / (1 − β₁ᵗ)
//   v[t] = β₂·v[t−1] + (1 − β₂)·g²       v̂ = v[t] / (1 − β₂ᵗ)
// and the step with ε at one of two named places:
//   "outside" (the paper, PyTorch): θ ← θ − α·m̂ / (√v̂ + ε)
//   "inside"  (the course's slide): θ ← θ − α·m̂ / √(v̂ + ε)
// Extras matching PyTorch:
//   weight_decay λ, coupled (torch.optim.Adam): g ← g + λ·θ first;
//   decoupled (AdamW, Loshchilov & Hutter; torch.optim.AdamW): θ ← θ·(1 − α·λ) first, g as is;
//   amsgrad: v̂ uses v_max[t] = max(v_max[t−1], v[t]) in place of v[t].
// make_optimizer also takes {"type": "adamw"}: decoupled, weight_decay 0.01 by default (torch's).
// Defaults are torch's: α = 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/trainer/conventions.hpp"
#include "augment/trainer/optimizer.hpp"
#include "augment/trainer/optimizer_state.hpp"

namespace augment::trainer {

struct AdamOptions {
  double lr = 1e-3;
  double beta1 = 0.9;    // in [0, 1)
  double beta2 = 0.999;  // in [0, 1)
  double eps = 1e-8;     // > 0
  EpsilonPlacement epsilon = EpsilonPlacement::outside;
  double weight_decay = 0;
  bool decoupled = false;  // AdamW
  bool amsgrad = false;
};

template <class T>
class Adam final : public Optimizer<T> {
 public:
  /// SpecError naming the field for a bad option.
  explicit Adam(const AdamOptions& options = {});
  std::string type() const override { return "adam"; }
  void step(const std::vector<Parameter<T>*>& parameters, double lr) override;
  nlohmann::json config() const override;
  nlohmann::json state() const override { return state_.to_json(); }
  void set_state(const nlohmann::json& state) override { state_.from_json(state); }
  const AdamOptions& options() const { return options_; }

 private:
  AdamOptions options_;
  OptimizerState<T> state_;  // "exp_avg" (m), "exp_avg_sq" (v), "max_exp_avg_sq" with amsgrad
};

}  // namespace augment::trainer
