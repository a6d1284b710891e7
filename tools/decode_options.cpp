#include "decode_options.hpp"

#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "augment/core/error.hpp"
#include "augment/image/image_codec.hpp"
#include "augment/image/reduced_decode.hpp"
#include "cli_common.hpp"

namespace augment::cli {

namespace po = boost::program_options;

void add_decode_options(po::options_description& options, DecodeArgs& args) {
  options.add_options()
      ("full-decode", po::bool_switch(&args.full), "images: decode every JPEG at full size. By default, when the "
                                                   "pipeline's first stage is a resize that shrinks a JPEG by half or "
                                                   "more, it is decoded at 1/2, 1/4 or 1/8 size (several times faster; "
                                                   "the same output sizes, pixels within the tolerance in "
                                                   "docs/images.md)");
}

const Registry& registry_for_decoding(const Pipeline& pipeline, const DecodeArgs& args, const Registry& loaded_with,
                                      std::optional<Registry>& own, bool repair_utf8) {
  if (args.full && pipeline.input_kind() != Kind::image)
    throw UsageError("--full-decode is for pipelines that read images; this one takes " +
                     std::string(to_string(pipeline.input_kind())));
  if (args.full) return loaded_with;
  auto reduce_to = image::reduced_decode_target(pipeline);
  if (!reduce_to) return loaded_with;
  // The pipeline keeps the op declarations of `loaded_with` (which outlives it); only the codec
  // changes, in a registry of this run's own.
  if (!own) own = make_cli_registry(repair_utf8);
  const auto* current = dynamic_cast<const image::ImageCodec*>(own->codec_for(Kind::image, ".jpg"));
  if (!current) throw std::logic_error("registry_for_decoding: no image codec reads .jpg");
  own->replace_codec(std::make_shared<const image::ImageCodec>(current->options(),
                                                               image::ImageReadOptions{std::move(reduce_to)}));
  return *own;
}

}  // namespace augment::cli
