#include "register_groups.hpp"

namespace augment::text::detail {

void register_char_edits(Registry& /*registry*/) {}  // filled in as the group's ops land

}  // namespace augment::text::detail
