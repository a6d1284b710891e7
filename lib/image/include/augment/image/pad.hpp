#pragma once
// pad: grows the image to at least width × height and/or up to a multiple of `multiple` on each
// side, the image centred (the odd pixel goes right/bottom) or at the top left. The border is
// constant (border_value on every channel), reflect (OpenCV's BORDER_REFLECT_101, numpy's and
// torchvision's "reflect": abc|cba without repeating the edge: dcb|abcd|cba), reflect_edge
// (BORDER_REFLECT, numpy's "symmetric": cba|abcd|dcb), replicate or wrap. The mask is padded with the same border
// (0 for constant), so reflected content keeps its labels; boxes and keypoints shift by the
// left and top padding (reflected copies of objects get no boxes).
#include <opencv2/core.hpp>

#include "augment/core/registry.hpp"
#include "augment/image/image.hpp"

namespace augment::image {

struct Padding {
  int top = 0, bottom = 0, left = 0, right = 0;
  bool operator==(const Padding&) const = default;
};

/// The padding that brings `size` to at least `at_least` (0 for no constraint on a side) and
/// then up to a multiple of `multiple` (1 for none), split evenly (`centred`) or all to the
/// right and bottom.
Padding padding_for(cv::Size size, cv::Size at_least, int multiple, bool centred);

/// Pads the pixels (pending geometry applied first) and the mask, and shifts the targets.
/// `border_mode` is a cv::BORDER_* code; `value` fills a constant border.
void pad_image(Image& image, const Padding& padding, int border_mode, const cv::Scalar& value);

OpInfo pad_op();

}  // namespace augment::image
