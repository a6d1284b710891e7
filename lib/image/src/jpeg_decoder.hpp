#pragma once
// JPEG decoding through libjpeg(-turbo) directly, strict where cv::imdecode is lenient.
#include <cstdint>
#include <functional>
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
///
/// `scale_denominator`, when given, is called once the header is read with the stored width ×
/// height and returns 1, 2, 4 or 8: the data is then decoded at that fraction of its size in the
/// DCT (libjpeg's scale_denom; each side rounded up), which is several times faster than a full
/// decode followed by a resize (reduced_decode.hpp).
cv::Mat decode_jpeg(std::span<const std::uint8_t> bytes,
                    const std::function<int(cv::Size stored)>& scale_denominator = {});

}  // namespace augment::image::detail
