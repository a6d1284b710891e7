#include "augment/audio/register_transforms.hpp"

#include "register_groups.hpp"

namespace augment::audio {

void register_transforms(Registry& registry) {
  detail::register_io_and_basic(registry);
  detail::register_filters(registry);
  detail::register_noise(registry);
  detail::register_spectrogram(registry);
  detail::register_spec_augment(registry);
}

}  // namespace augment::audio
