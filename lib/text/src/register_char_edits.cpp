#include "augment/text/char_edits.hpp"
#include "augment/text/keyboard_typo.hpp"
#include "augment/text/ocr_error.hpp"
#include "register_groups.hpp"

namespace augment::text::detail {

void register_char_edits(Registry& registry) {
  registry.add(char_insert_op());
  registry.add(char_substitute_op());
  registry.add(char_delete_op());
  registry.add(char_swap_op());
  registry.add(keyboard_typo_op());
  registry.add(ocr_error_op());
}

}  // namespace augment::text::detail
