#pragma once
// Gradient clipping over the non-frozen parameters (frozen ones are neither counted nor
// touched), after backward() and before the optimizer's step.
#include <vector>

#include "augment/trainer/parameter.hpp"

namespace augment::trainer {

/// torch.nn.utils.clip_grad_norm_(norm_type=2): N = √(Σ over every grad element of g²), all
/// parameters together; every grad is multiplied by min(1, max_norm / (N + 1e-6)), so grads
/// are left alone while N ≤ max_norm (to within the 1e-6). Returns N, the norm before clipping
/// (accumulated in double). A non-finite N scales as torch does (NaN or zeros): the caller sees
/// it in the return value. SpecError unless max_norm > 0.
template <class T>
double clip_grad_norm(const std::vector<Parameter<T>*>& parameters, double max_norm);

/// torch.nn.utils.clip_grad_value_: every grad element clamped to [−clip_value, clip_value].
/// SpecError unless clip_value > 0.
template <class T>
void clip_grad_value(const std::vector<Parameter<T>*>& parameters, double clip_value);

}  // namespace augment::trainer
