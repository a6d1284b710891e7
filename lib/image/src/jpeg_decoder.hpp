#pragma once
// JPEG decoding through libjpeg(-turbo) directly, strict where cv::imdecode is lenient.
#include <cstdint>
#include <span>

#include <opencv2/core.hpp>

namespace augment::image::detail {

/// Decodes JPEG data to the pixels cv::imdecode(IMREAD_UNCHANGED) gives for it, byte for byte
/// (the same libjpeg-turbo, ISLOW IDCT and fancy upsampling; gray stays 1 channel, colour is BGR,
/// CMYK/YCCK is converted to BGR with OpenCV's formula), EXIF orientation not applied.
/// Throws DataError naming the reason when the data is corrupt or missing: libjpeg's warnings
/// ("Corrupt JPEG data: premature end of data segment", which imdecode hides while it fills the
/// missing rows with grey) are errors here. The image's width × height is checked against the
/// image_pixels limit from the header, before any pixel buffer is allocated.
cv::Mat decode_jpeg(std::span<const std::uint8_t> bytes);

}  // namespace augment::image::detail
