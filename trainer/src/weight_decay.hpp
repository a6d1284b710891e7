#pragma once
// PyTorch's coupled weight decay, shared by the optimizers' update rules.
#include "augment/trainer/parameter.hpp"

namespace augment::trainer::detail {

/// Calls `update(g)` with the parameter's gradient, plus wd·θ when wd ≠ 0 (the gradient of
/// wd/2·‖θ‖², as torch.optim adds it); two calls so the common case builds no extra expression.
template <class T, class Update>
void with_weight_decay(Parameter<T>& p, T wd, Update&& update) {
  if (wd != 0) {
    update(p.grad.array() + wd * p.value.array());
  } else {
    update(p.grad.array());
  }
}

}  // namespace augment::trainer::detail
