#include "augment/text/misspell.hpp"
#include "augment/text/word_edits.hpp"
#include "register_groups.hpp"

namespace augment::text::detail {

void register_word_edits(Registry& registry) {
  registry.add(word_swap_op());
  registry.add(word_delete_op());
  registry.add(word_insert_op());
  registry.add(word_crop_op());
  registry.add(misspell_op());
}

}  // namespace augment::text::detail
