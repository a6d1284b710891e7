#include "augment/text/bag_of_words.hpp"
#include "register_groups.hpp"

namespace augment::text::detail {

void register_bag_of_words(Registry& registry) { registry.add(bag_of_words_op()); }

}  // namespace augment::text::detail
