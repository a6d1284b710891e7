#pragma once
#include "augment/core/registry.hpp"

namespace augment::text {

/// Adds every text and tokens op and the text file codec to `registry`.
void register_transforms(Registry& registry);

}  // namespace augment::text
