#pragma once
// RMSProp: divides each step by a running root mean square of the gradient. r is an EWMA of g²
// (ewma.hpp's rule, no bias correction), r[0] = 0:
//   r[t+1] = ρ·r[t] + (1 − ρ)·g[t]²
// and the step, with ε at one of two named places:
//   "outside" (PyTorch):   θ[t+1] = θ[t] − α·g[t] / (√r[t+1] + ε)
//   "inside"  (the course): θ[t+1] = θ[t] − α·g[t] / √(r[t+1] + ε)
// Extras matching torch.optim.RMSprop(lr, alpha=ρ, eps, weight_decay, momentum, centered):
//   centered: m[t+1] = ρ·m[t] + (1 − ρ)·g[t] and r is replaced by r − m² under the root;
//   momentum μ > 0: b[t+1] = μ·b[t] + g[t]/D (D the denominator above), θ[t+1] = θ[t] − α·b[t+1];
//   weight_decay λ (coupled): g ← g + λ·θ first.
// Defaults are torch's: α = 0.01, ρ = 0.99 (torch calls it alpha), ε = 1e-8 (also "inside":
// √1e-8 = 1e-4 then bounds the step size at α·|g|·1e4 where r is tiny).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/trainer/conventions.hpp"
#include "augment/trainer/optimizer.hpp"
#include "augment/trainer/optimizer_state.hpp"

namespace augment::trainer {

struct RmspropOptions {
  double lr = 0.01;
  double rho = 0.99;  // in [0, 1)
  double eps = 1e-8;  // > 0
  EpsilonPlacement epsilon = EpsilonPlacement::outside;
  double momentum = 0;  // in [0, 1)
  bool centered = false;
  double weight_decay = 0;
};

template <class T>
class Rmsprop final : public Optimizer<T> {
 public:
  /// SpecError naming the field for a bad option.
  explicit Rmsprop(const RmspropOptions& options = {});
  std::string type() const override { return "rmsprop"; }
  void step(const std::vector<Parameter<T>*>& parameters, double lr) override;
  nlohmann::json config() const override;
  nlohmann::json state() const override { return state_.to_json(); }
  void set_state(const nlohmann::json& state) override { state_.from_json(state); }
  const RmspropOptions& options() const { return options_; }

 private:
  RmspropOptions options_;
  // "square_avg" (r), then "grad_avg" (m) when centered, then "momentum_buffer" (b) when μ > 0.
  OptimizerState<T> state_;
  std::size_t grad_avg_ = 0, momentum_buffer_ = 0;  // indices of the optional buffers
};

}  // namespace augment::trainer
