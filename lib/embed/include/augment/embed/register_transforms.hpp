#pragma once
#include "augment/core/registry.hpp"

namespace augment::embed {

/// Adds the word-vector ops to `registry`: embed (tokens → features) and synonym_embedding
/// (tokens → tokens).
void register_transforms(Registry& registry);

}  // namespace augment::embed
