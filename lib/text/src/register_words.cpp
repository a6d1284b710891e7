#include "augment/text/stem.hpp"
#include "augment/text/stopwords.hpp"
#include "register_groups.hpp"

namespace augment::text::detail {

void register_words(Registry& registry) {
  registry.add(remove_stopwords_op());
  registry.add(stem_op());
}

}  // namespace augment::text::detail
