#pragma once
// The options that say how `augment run` writes images: in which format (whatever the sources'
// formats) and at which JPEG/WebP quality.
#include <boost/program_options.hpp>

#include <memory>
#include <string>

#include "augment/image/image_codec.hpp"

namespace augment::cli {

struct ImageArgs {
  std::string format;  // "png", "jpg", "webp", "tif", "bmp", "npy"; empty: each source's
  int quality = -1;    // -1: the codec's defaults

  bool any() const { return !format.empty() || quality >= 0; }
};

void add_image_options(boost::program_options::options_description& options, ImageArgs& args);

/// The image codec the options ask for. Throws UsageError naming the option on a bad value.
std::shared_ptr<const image::ImageCodec> make_image_codec(const ImageArgs& args);

}  // namespace augment::cli
