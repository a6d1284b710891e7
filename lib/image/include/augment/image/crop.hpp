#pragma once
// Crops, with the mask and the boxes and keypoints moved along (boxes clipped to the crop and
// dropped below the image's policy.min_box_visibility; keypoints outside dropped or kept by it):
//   crop                 a width × height window, centred (offset ⌊(w − W)/2⌋, ⌊(h − H)/2⌋) or at
//                        a random offset drawn uniformly (recorded as {"x", "y"}). An image
//                        smaller than the window is a DataError: pad or resize first.
//                        A centred crop is preprocessing; a random one is augmentation
//                        (Transform::is_random), skipped by fitting and preprocess().
//   random_resized_crop  torchvision's RandomResizedCrop: a window of a random area fraction
//                        (`scale`) and aspect ratio (`ratio`, drawn log-uniformly) at a random
//                        place, resized to width × height. Up to 10 attempts to draw a window that
//                        fits; then the fallback: the whole image, cut centrally to the nearest
//                        aspect ratio in range. Window sides are rounded half to even (Python's
//                        round, as torchvision). Recorded as {"x", "y", "width", "height"}.
#include <opencv2/core.hpp>

#include "augment/core/registry.hpp"
#include "augment/core/rng.hpp"
#include "augment/image/image.hpp"

namespace augment::image {

/// Cuts `rect` (which must lie inside the image) out of the pixels (pending geometry applied
/// first) and the mask, and moves the targets. Throws UsageError when it does not fit.
void crop_image(Image& image, const cv::Rect& rect);

/// torchvision's RandomResizedCrop.get_params over an image of `size`.
cv::Rect random_resized_crop_window(cv::Size size, double scale_lo, double scale_hi, double ratio_lo,
                                    double ratio_hi, Rng& rng);

OpInfo crop_op();
OpInfo random_resized_crop_op();

}  // namespace augment::image
