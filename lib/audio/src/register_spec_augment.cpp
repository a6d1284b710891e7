#include "augment/audio/spec_augment.hpp"
#include "register_groups.hpp"

namespace augment::audio::detail {

void register_spec_augment(Registry& registry) {
  registry.add(freq_mask_op());
  registry.add(time_mask_op());
  registry.add(time_warp_op());
  registry.add(spec_augment_op());
}

}  // namespace augment::audio::detail
