#include "augment/embed/register_transforms.hpp"

#include "augment/embed/embed_op.hpp"
#include "augment/embed/synonym_embedding.hpp"

namespace augment::embed {

void register_transforms(Registry& registry) {
  registry.add(embed_op());
  registry.add(synonym_embedding_op());
}

}  // namespace augment::embed
