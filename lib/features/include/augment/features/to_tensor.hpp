#pragma once
// to_tensor on features: the row as a 1-D float32 tensor of its N values.
#include "augment/core/registry.hpp"

namespace augment::features {

OpInfo to_tensor_op();

}  // namespace augment::features
