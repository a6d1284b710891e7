#include "augment/audio/add_noise.hpp"
#include "register_groups.hpp"

namespace augment::audio::detail {

void register_noise(Registry& registry) { registry.add(add_noise_op()); }

}  // namespace augment::audio::detail
