#pragma once
// Images as NumPy .npy arrays: H × W × C in R, G, B (, A) order, as numpy.asarray gives a PIL
// image (gray keeps one channel, shape H × W × 1), of dtype uint8, uint16 or float32 as the pixels
// are. For pixels no image format holds as they are (standardized floats) and for Python users.
#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

namespace augment::image::detail {

std::vector<std::uint8_t> encode_pixels_npy(const cv::Mat& pixels);

}  // namespace augment::image::detail
