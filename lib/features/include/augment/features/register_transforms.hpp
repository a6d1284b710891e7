#pragma once
#include "augment/core/registry.hpp"

namespace augment::features {

/// Adds rescale, standardize, unit_norm and gaussian_noise to `registry`.
void register_transforms(Registry& registry);

}  // namespace augment::features
