#include "augment/text/register_transforms.hpp"

#include "register_groups.hpp"

namespace augment::text {

void register_transforms(Registry& registry) {
  detail::register_io_and_unicode(registry);
  detail::register_words(registry);
  detail::register_char_edits(registry);
  detail::register_word_edits(registry);
  detail::register_synonyms(registry);
  detail::register_bag_of_words(registry);
}

}  // namespace augment::text
