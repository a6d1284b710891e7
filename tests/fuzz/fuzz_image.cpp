// The image decoder (lib/image image_codec.hpp decode_image) on any bytes, as ImageCodec::read
// sees a file's contents; EXIF orientation read and applied as read() does. A decoded image
// must be non-empty and within the pixel limit (checked from the header before decoding).
#include <cstddef>
#include <cstdint>
#include <span>

#include "augment/core/error.hpp"
#include "augment/core/limits.hpp"
#include "augment/image/image_codec.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace augment;
  fuzz::use_fuzz_limits();
  const std::span<const std::uint8_t> bytes(data, size);
  try {
    const cv::Mat pixels = image::decode_image(bytes);
    if (pixels.empty()) fuzz::fail("decode_image returned an empty image");
    if (static_cast<std::uint64_t>(pixels.total()) > limits().image_pixels)
      fuzz::fail("decode_image returned more pixels than the image_pixels limit");
    const int orientation = image::jpeg_exif_orientation(bytes);
    if (orientation < 1 || orientation > 8) fuzz::fail("EXIF orientation outside 1..8");
    (void)image::apply_exif_orientation(pixels, orientation);
  } catch (const Error&) {
  }
  return 0;
}
