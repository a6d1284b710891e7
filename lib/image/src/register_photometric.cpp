// The photometric image ops: pixel values change, geometry and targets do not.
#include "augment/image/brightness_contrast.hpp"
#include "augment/image/color_jitter.hpp"
#include "augment/image/cutout.hpp"
#include "augment/image/gamma.hpp"
#include "augment/image/gaussian_blur.hpp"
#include "augment/image/image_noise.hpp"
#include "register_groups.hpp"

namespace augment::image::detail {

void register_photometric(Registry& registry) {
  registry.add(brightness_contrast_op());
  registry.add(gamma_op());
  registry.add(gaussian_noise_op());
  registry.add(gaussian_blur_op());
  registry.add(cutout_op());
  registry.add(color_jitter_op());
}

}  // namespace augment::image::detail
