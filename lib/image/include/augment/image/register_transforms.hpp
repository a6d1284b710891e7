#pragma once
#include "augment/core/registry.hpp"

namespace augment::image {

/// Adds every image op and the image file codec to `registry`.
void register_transforms(Registry& registry);

}  // namespace augment::image
