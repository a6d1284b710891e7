#pragma once
// Named conventions where the course (its Spanish lecture slides; docs/glossary.md) and PyTorch differ.
// Each optimizer's header writes out both formulas; both are tested against their reference.
#include <string>

namespace augment::trainer {

/// Momentum and Nesterov: the course's velocity carries the learning rate (v = μv − αg,
/// θ ← θ + v); PyTorch's buffer does not (b = μb + g, θ ← θ − αb). Identical for a constant α;
/// they differ when a schedule changes α (the course's velocity keeps the old α's steps).
enum class MomentumConvention { pytorch, course };

/// RMSProp and Adam: ε added outside the square root (PyTorch, the Adam paper: α·g/(√r + ε))
/// or inside it (the course's slides: α·g/√(r + ε)).
enum class EpsilonPlacement { outside, inside };

inline std::string to_string(MomentumConvention c) {
  return c == MomentumConvention::pytorch ? "pytorch" : "course";
}
inline std::string to_string(EpsilonPlacement p) {
  return p == EpsilonPlacement::outside ? "outside" : "inside";
}

}  // namespace augment::trainer
