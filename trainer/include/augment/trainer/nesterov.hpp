#pragma once
// Nesterov's accelerated gradient. Two named conventions, identical for a constant learning
// rate α, both with one gradient per step:
//
//   "course" — the lecture's (Sutskever et al. 2013) rule evaluates the gradient at a look-ahead
//   point:        v[t+1] = μ·v[t] − α·∇L(θ[t] + μ·v[t]),    θ[t+1] = θ[t] + v[t+1].
//   Stored as φ[t] = θ[t] + μ·v[t] (the point where the network is evaluated, so g[t] =
//   ∇L(φ[t]) is the gradient backward() computes), it reads (Bengio et al. 2012):
//                 v[t+1] = μ·v[t] − α·g[t]
//                 φ[t+1] = φ[t] + μ·v[t+1] − α·g[t]
//   since φ[t+1] = θ[t+1] + μ·v[t+1] = φ[t] − μ·v[t] + (1 + μ)·v[t+1] and v[t+1] − μ·v[t] = −α·g[t].
//   The parameters the optimizer holds are φ; φ[0] = θ[0] as v[0] = 0.
//
//   "pytorch" — torch.optim.SGD(momentum=μ, nesterov=True), dampening 0:
//                 b[1] = g[0] (first step),  b[t+1] = μ·b[t] + g[t]
//                 θ[t+1] = θ[t] − α·(g[t] + μ·b[t+1])
//   With v = −α·b this is the line above: the two agree while α is constant.
//
// weight_decay λ is coupled (g ← g + λ·θ) in both.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/trainer/conventions.hpp"
#include "augment/trainer/optimizer.hpp"
#include "augment/trainer/optimizer_state.hpp"

namespace augment::trainer {

struct NesterovOptions {
  double lr = 0.01;
  double momentum = 0.9;  // μ in [0, 1)
  double weight_decay = 0;
  MomentumConvention convention = MomentumConvention::pytorch;
};

template <class T>
class Nesterov final : public Optimizer<T> {
 public:
  /// SpecError naming the field for a bad option.
  explicit Nesterov(const NesterovOptions& options = {});
  std::string type() const override { return "nesterov"; }
  void step(const std::vector<Parameter<T>*>& parameters, double lr) override;
  nlohmann::json config() const override;
  nlohmann::json state() const override { return state_.to_json(); }
  void set_state(const nlohmann::json& state) override { state_.from_json(state); }
  const NesterovOptions& options() const { return options_; }

 private:
  NesterovOptions options_;
  OptimizerState<T> state_;  // "velocity" (course: v) or "momentum_buffer" (pytorch: b)
};

}  // namespace augment::trainer
