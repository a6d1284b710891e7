#include "augment/audio/filter_ops.hpp"
#include "register_groups.hpp"

namespace augment::audio::detail {

void register_filters(Registry& registry) {
  registry.add(lowpass_op());
  registry.add(highpass_op());
  registry.add(bandpass_op());
  registry.add(bandstop_op());
}

}  // namespace augment::audio::detail
