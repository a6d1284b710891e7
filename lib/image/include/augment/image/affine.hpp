#pragma once
// The affine family: translate, scale, hflip, vflip, rotate, shear, and affine (all at once).
// Each stage draws its numbers (recorded as JSON), builds its 3×3 matrix and pushes it onto the
// image's pending geometry (Image::push_affine), so consecutive stages fuse into one warp.
//
// Conventions
// - Coordinates are the continuous target coordinates of image.hpp: pixel i spans [i, i + 1),
//   x to the right, y down; an image of size W×H spans [0, W]×[0, H] and its centre is
//   (W/2, H/2). Every matrix maps source coordinates to output coordinates (forward) in these
//   coordinates, and every op except translate acts about the image centre: C·M·C⁻¹ with C the
//   translation to the centre.
// - Rotation: positive degrees turn the picture counter-clockwise as seen on screen, like
//   OpenCV's getRotationMatrix2D. This is also the course's matrix [[cos θ, sin θ], [−sin θ, cos θ]]
//   read in image coordinates (y down): it sends the +x axis to (cos θ, −sin θ), i.e. upwards.
//   Multiples of 90° are built with exact 0/±1 entries, so on a square image they take the
//   exact cv::rotate path.
// - Translation: x, y are fractions of the width and height; positive moves the content right
//   and down. Course matrix [[1, 0, vx], [0, 1, vy]].
// - Scale ("Rescalado"): diag(sx, sy) about the centre; > 1 enlarges the content (zoom in).
// - Shear ("Deformación de corte"): the course's single matrix [[1, cx], [cy, 1]] about the
//   centre with cx = tan(x°), cy = tan(y°): positive x slides lower rows to the right, positive
//   y slides right-hand columns down. Its determinant is 1 − cx·cy, so |x| + |y| must stay
//   below 90° (the spec check enforces it for every value a range can draw).
// - hflip / vflip: x' = W − x / y' = H − y (the course's "Giro" [[−1, 0], [0, 1]] about the
//   centre). They need no resampling, take no warp parameters and adopt the interpolation of
//   whatever they fuse with; alone they are an exact cv::flip.
// - affine = translate · rotate · shear · scale (scale applied first), about the centre: the same
//   matrix as the four separate stages run in the order scale, shear, rotate, translate.
// The size never changes: content moved out is cut, and the border fills what comes in.
#include "augment/core/registry.hpp"

#include <opencv2/core.hpp>

namespace augment::image {

// Pure matrix builders (continuous target coordinates, forward maps), exposed for tests.
cv::Matx33d translation_matrix(double dx, double dy);  // in pixels
cv::Matx33d scale_matrix(double sx, double sy, cv::Size size);
cv::Matx33d rotation_matrix(double degrees, cv::Size size);
cv::Matx33d shear_matrix(double x_degrees, double y_degrees, cv::Size size);
cv::Matx33d hflip_matrix(cv::Size size);
cv::Matx33d vflip_matrix(cv::Size size);
/// translation(tx·W, ty·H) · rotation · shear · scale.
cv::Matx33d affine_matrix(double tx, double ty, double sx, double sy, double degrees, double shear_x,
                          double shear_y, cv::Size size);

/// translate: x, y (fractions of width and height, each drawable in [-1, 1], default 0).
class Translate final : public Transform {
 public:
  using Transform::Transform;
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;
};

/// scale: isotropic `factor`, or anisotropic `x` / `y` (each drawn on its own); drawable, > 0.
class Scale final : public Transform {
 public:
  using Transform::Transform;
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;
};

/// hflip / vflip: deterministic (use the stage's p for a random flip).
class Flip final : public Transform {
 public:
  Flip(const OpInfo& info, const nlohmann::json& settings);
  void apply(Sample& sample, const nlohmann::json& params) const override;

 private:
  bool horizontal_;
};

/// rotate: degrees (drawable, required), positive counter-clockwise on screen.
class Rotate final : public Transform {
 public:
  using Transform::Transform;
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;
};

/// shear: x, y in degrees (drawable, default 0).
class Shear final : public Transform {
 public:
  using Transform::Transform;
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;
};

/// affine: translate_x/y, scale or scale_x/y, rotate, shear_x/y in one stage.
class Affine final : public Transform {
 public:
  using Transform::Transform;
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;
};

OpInfo translate_op();
OpInfo scale_op();
OpInfo hflip_op();
OpInfo vflip_op();
OpInfo rotate_op();
OpInfo shear_op();
OpInfo affine_op();

}  // namespace augment::image
