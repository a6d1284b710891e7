#include <memory>

#include "augment/text/normalize.hpp"
#include "augment/text/remove_chars.hpp"
#include "augment/text/strip_accents.hpp"
#include "augment/text/text_codec.hpp"
#include "augment/text/tokenize.hpp"
#include "register_groups.hpp"

namespace augment::text::detail {

void register_io_and_unicode(Registry& registry) {
  registry.add_codec(std::make_shared<TextCodec>());
  registry.add(normalize_op());
  registry.add(strip_accents_op());
  registry.add(remove_chars_op());
  registry.add(tokenize_op());
  registry.add(join_op());
}

}  // namespace augment::text::detail
