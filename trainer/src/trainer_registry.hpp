#pragma once
// The op registry the trainer builds feature pipelines with: the features module's transforms.
#include "augment/core/registry.hpp"

namespace augment::trainer::detail {

const Registry& trainer_registry();

}  // namespace augment::trainer::detail
