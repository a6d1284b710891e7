#include "augment/text/synonym.hpp"
#include "register_groups.hpp"

namespace augment::text::detail {

void register_synonyms(Registry& registry) { registry.add(synonym_op()); }

}  // namespace augment::text::detail
