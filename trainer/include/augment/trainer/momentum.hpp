#pragma once
// Gradient descent with momentum (a velocity that accumulates past gradients). Two named
// conventions, identical for a constant learning rate α (b = −v/α):
//
//   "course" (the lecture; Sutskever et al. 2013):   v[t+1] = μ·v[t] − α·g[t]
//                                                      θ[t+1] = θ[t] + v[t+1]
//   "pytorch" (torch.optim.SGD(momentum=μ, dampening=d)):
//                                                      b[1]   = g[0]            (first step)
//                                                      b[t+1] = μ·b[t] + (1 − d)·g[t]
//                                                      θ[t+1] = θ[t] − α·b[t+1]
//
// They differ when a schedule changes α: the course's velocity keeps the steps taken at the old
// α, PyTorch's buffer scales by the current one. Buffers start at zero; weight_decay λ is
// coupled (g ← g + λ·θ) in both. dampening is PyTorch's only (SpecError with "course").
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/trainer/conventions.hpp"
#include "augment/trainer/optimizer.hpp"
#include "augment/trainer/optimizer_state.hpp"

namespace augment::trainer {

struct MomentumOptions {
  double lr = 0.01;
  double momentum = 0.9;  // μ in [0, 1)
  double dampening = 0;   // d in [0, 1], "pytorch" only
  double weight_decay = 0;
  MomentumConvention convention = MomentumConvention::pytorch;
};

template <class T>
class Momentum final : public Optimizer<T> {
 public:
  /// SpecError naming the field for a bad option.
  explicit Momentum(const MomentumOptions& options = {});
  std::string type() const override { return "momentum"; }
  void step(const std::vector<Parameter<T>*>& parameters, double lr) override;
  nlohmann::json config() const override;
  nlohmann::json state() const override { return state_.to_json(); }
  void set_state(const nlohmann::json& state) override { state_.from_json(state); }
  const MomentumOptions& options() const { return options_; }

 private:
  MomentumOptions options_;
  OptimizerState<T> state_;  // "velocity" (course: v) or "momentum_buffer" (pytorch: b)
};

}  // namespace augment::trainer
