#pragma once
// Resizing, with the mask (nearest neighbour) and the boxes and keypoints moved along:
//   resize_longest   the longest side becomes `size`, aspect kept (the course's "radio uniforme")
//   resize_shortest  the shortest side becomes `size`, aspect kept
//   resize           exactly width × height: stretched, or letterboxed (aspect kept, the scaled
//                    image centred and padded with a constant border)
//
// Rounding: the side that is not set is side · size / set_side rounded half up, computed exactly
// in integers, and at least 1. 500×375 with size 224 gives 224×168; with size 333, 333×250
// (249.75); with size 2, 2×2 (1.5 rounds up). Letterbox scales by min(W/w, H/h): the limiting
// side becomes exactly W (or H), the other follows the same rule, and the padding is split with
// the odd pixel on the right (bottom): left = ⌊(W − w')/2⌋.
//
// Targets move by diag(w'/w, h'/h) in the continuous target coordinates, which is exactly where
// cv::resize puts pixel content (both scale about pixel edges, not centres).
//
// Interpolation: linear by default; `area` is the better choice when shrinking a lot (it
// averages, so thin lines do not alias), `nearest` resamples with cv::INTER_NEAREST_EXACT (pixel
// centres, as Pillow), as the mask always does.
//
// As a pipeline's first stage, a resize lets the codec decode JPEGs at 1/2, 1/4 or 1/8 size
// (reduced_decode.hpp, within the tolerance stated there); the output size is still computed
// from the full image's size.
#include <opencv2/core.hpp>

#include "augment/core/registry.hpp"
#include "augment/image/image.hpp"

namespace augment::image {

/// The size an image of `size` gets when its longest side becomes `target` (rule above).
cv::Size longest_side_size(cv::Size size, int target);
/// The size an image of `size` gets when its shortest side becomes `target`.
cv::Size shortest_side_size(cv::Size size, int target);

/// Where a letterboxed image goes inside `target`: its scaled size and its top-left corner.
struct LetterboxLayout {
  cv::Size scaled;
  int left = 0, top = 0;
};
LetterboxLayout letterbox_layout(cv::Size size, cv::Size target);

/// cv::INTER_* for a resize from an interpolation name of warp_params() ("nearest" is
/// cv::INTER_NEAREST_EXACT here).
int resize_interpolation(const std::string& name);

/// Resizes the pixels (pending geometry applied first) to `new_size` with `interpolation`
/// (cv::INTER_*), the mask with nearest neighbour, and moves the targets.
void resize_image(Image& image, cv::Size new_size, int interpolation);

OpInfo resize_longest_op();
OpInfo resize_shortest_op();
OpInfo resize_op();

}  // namespace augment::image
