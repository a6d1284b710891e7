#pragma once
// perspective: a random projective warp by corner jitter, as Albumentations' Perspective. Each
// corner of the image moves inwards by |N(0, σ)| of the width (x) and height (y), clamped to
// kMaxCornerShift, with σ = `scale` (drawable); the homography maps that inner quadrilateral onto
// the whole image (a look at the image from an oblique angle, with no border showing).
//
// The drawn params are the eight inward shifts as fractions of the size, in the order top-left,
// top-right, bottom-right, bottom-left, each [x, y] — so a record replays on any image size.
// The homography is built in the continuous target coordinates (image.hpp) and pushed onto the
// pending geometry like the affine stages: it fuses with the stages around it into one
// warpPerspective (the pixels interpolate once), the mask is warped with nearest-neighbour and
// boxes and keypoints go through transform_targets with the projective division.
#include <array>

#include "augment/core/registry.hpp"

#include <opencv2/core.hpp>

namespace augment::image {

/// The largest inward shift of a corner, as a fraction of the size (Albumentations uses 0.32):
/// opposite corners never cross, so the quadrilateral stays convex.
inline constexpr double kMaxCornerShift = 0.3;

/// Inward shifts of the corners, fractions of width (x) and height (y): top-left, top-right,
/// bottom-right, bottom-left.
using CornerShifts = std::array<cv::Point2d, 4>;

/// The homography (continuous coordinates, forward) that sends the quadrilateral of shifted
/// corners of a `size` image onto the whole image rectangle [0, W]×[0, H].
cv::Matx33d perspective_matrix(const CornerShifts& shifts, cv::Size size);

class Perspective final : public Transform {
 public:
  using Transform::Transform;
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;
};

OpInfo perspective_op();

}  // namespace augment::image
