#pragma once
// The pixels of an image as they are once its pending geometry is applied, without changing the
// image: for code that holds it const (the writer, fitters). Private to the image module.
#include <opencv2/core.hpp>

#include "augment/image/image.hpp"

namespace augment::image::detail {

inline cv::Mat settled_pixels(const Image& image) {
  if (!image.has_pending_geometry()) return image.pixels_before_geometry();
  Image copy = image;  // shares the pixel buffer; the warp writes a new one
  return copy.pixels();
}

}  // namespace augment::image::detail
