#pragma once
// Each group of image ops registers itself; register_transforms calls them all.
#include "augment/core/registry.hpp"

namespace augment::image::detail {

void register_io_and_preprocessing(Registry& registry);  // codec, resize, pad, crop, channel norms
void register_geometry(Registry& registry);              // affine family, perspective
void register_photometric(Registry& registry);           // brightness, gamma, noise, blur, cutout, colour

}  // namespace augment::image::detail
