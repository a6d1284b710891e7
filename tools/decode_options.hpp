#pragma once
// How `augment run` decodes images: JPEGs at reduced size when the pipeline's first stage is a
// resize that shrinks them (augment/image/reduced_decode.hpp), unless --full-decode.
#include <boost/program_options.hpp>

#include <optional>

#include "augment/core/pipeline.hpp"
#include "augment/core/registry.hpp"

namespace augment::cli {

struct DecodeArgs {
  bool full = false;  // --full-decode
};

void add_decode_options(boost::program_options::options_description& options, DecodeArgs& args);

/// The registry to read `pipeline`'s data with: `loaded_with` (the one the pipeline was loaded
/// from) when decoding stays full, else `own` (made from `repair_utf8` when empty; when it holds
/// a registry it is `loaded_with`) with its image codec given the reduced decoding, keeping its
/// write options.
const Registry& registry_for_decoding(const Pipeline& pipeline, const DecodeArgs& args, const Registry& loaded_with,
                                      std::optional<Registry>& own, bool repair_utf8);

}  // namespace augment::cli
