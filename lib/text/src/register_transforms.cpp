#include "augment/text/register_transforms.hpp"

#include "register_groups.hpp"

namespace augment::text {

void register_transforms(Registry& registry) {
  detail::register_io_and_unicode(registry);
  detail::register_words(registry);
  detail::register_char_edits(registry);
}

}  // namespace augment::text
