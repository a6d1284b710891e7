#include "register_groups.hpp"

namespace augment::audio::detail {

void register_noise(Registry& /*registry*/) {}  // filled in as the group's ops land

}  // namespace augment::audio::detail
