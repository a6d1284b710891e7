// The geometry group: the affine family and perspective. All of them push a 3×3 matrix onto the
// image's pending geometry, so any run of them warps the pixels once.
#include "augment/image/affine.hpp"
#include "augment/image/perspective.hpp"
#include "register_groups.hpp"

namespace augment::image::detail {

void register_geometry(Registry& registry) {
  registry.add(translate_op());
  registry.add(scale_op());
  registry.add(hflip_op());
  registry.add(vflip_op());
  registry.add(rotate_op());
  registry.add(shear_op());
  registry.add(affine_op());
  registry.add(perspective_op());
}

}  // namespace augment::image::detail
