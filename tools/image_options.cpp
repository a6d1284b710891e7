#include "image_options.hpp"

#include <stdexcept>

#include "augment/core/error.hpp"

namespace augment::cli {

namespace po = boost::program_options;

void add_image_options(po::options_description& options, ImageArgs& args) {
  options.add_options()
      ("image-format", po::value(&args.format), "images: write every output as png, jpg, webp, tif, bmp or npy "
                                                "(H×W×C, RGB); default: each source's format. Float pixels (after "
                                                "standardize) need tif or npy")
      ("image-quality", po::value(&args.quality), "images: quality of jpg (0..100, default 95) and webp (1..100, "
                                                  "default 95) outputs");
}

std::shared_ptr<const image::ImageCodec> make_image_codec(const ImageArgs& args) {
  image::ImageWriteOptions o;
  if (!args.format.empty()) {
    if (args.format.front() == '.') throw UsageError("--image-format takes a name without the dot, got '" + args.format + "'");
    o.format = "." + args.format;
  }
  if (args.quality >= 0) {
    if (args.quality < 1 || args.quality > 100)
      throw UsageError("--image-quality must be in 1..100, got " + std::to_string(args.quality));
    o.jpeg_quality = o.webp_quality = args.quality;
  }
  try {
    return std::make_shared<const image::ImageCodec>(o);  // validates the format
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--image-format: ") + e.what());
  }
}

}  // namespace augment::cli
