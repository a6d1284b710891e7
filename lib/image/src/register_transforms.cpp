#include "augment/image/register_transforms.hpp"

#include "register_groups.hpp"

namespace augment::image {

void register_transforms(Registry& registry) {
  detail::register_io_and_preprocessing(registry);
  detail::register_geometry(registry);
  detail::register_photometric(registry);
}

}  // namespace augment::image
