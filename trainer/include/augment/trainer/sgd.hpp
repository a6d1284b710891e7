#pragma once
// Plain (stochastic) gradient descent, the course's first update rule:
//   θ[t+1] = θ[t] − α·g[t]
// With weight_decay λ (coupled, as torch.optim.SGD): g ← g + λ·θ before the step, the gradient
// of λ/2·‖θ‖². The trainer's penalties (L1, L2 on chosen parameters) are the usual way; this
// is the PyTorch knob, applied to every non-frozen parameter, biases included.
// Matches torch.optim.SGD(lr, momentum=0, weight_decay).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/trainer/optimizer.hpp"
#include "augment/trainer/optimizer_state.hpp"

namespace augment::trainer {

struct SgdOptions {
  double lr = 0.01;  // the base rate a schedule scales (step() takes the current one)
  double weight_decay = 0;
};

template <class T>
class Sgd final : public Optimizer<T> {
 public:
  /// SpecError naming the field for a bad option.
  explicit Sgd(const SgdOptions& options = {});
  std::string type() const override { return "sgd"; }
  void step(const std::vector<Parameter<T>*>& parameters, double lr) override;
  nlohmann::json config() const override;
  nlohmann::json state() const override { return state_.to_json(); }
  void set_state(const nlohmann::json& state) override { state_.from_json(state); }
  const SgdOptions& options() const { return options_; }

 private:
  SgdOptions options_;
  OptimizerState<T> state_;  // no buffers: the step counts only
};

}  // namespace augment::trainer
