#include "augment/image/image.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace augment::image {
namespace {

const cv::Matx33d kIdentity = cv::Matx33d::eye();

cv::Matx33d translation(double dx, double dy) { return {1, 0, dx, 0, 1, dy, 0, 0, 1}; }

// Below this |w| a projected point is at infinity (or behind the projection): it has no position.
constexpr double kMinW = 1e-12;

bool near(double a, double b) { return std::fabs(a - b) < 1e-9; }

bool is_affine(const cv::Matx33d& m) { return near(m(2, 0), 0) && near(m(2, 1), 0) && near(m(2, 2), 1); }

// The exact operation a centred (OpenCV pixel-centre) matrix is, if it is one: a signed
// permutation of the axes that maps the pixel grid onto itself (identity, the three flips and,
// on a square image, the transposes, i.e. every multiple of 90° with or without a flip).
struct ExactPath {
  bool transpose = false;  // swap axes first (square images only)
  int flip = 2;            // then cv::flip with this code (0 vertical, 1 horizontal, -1 both); 2 none
};

// Sign of a ±1 entry, or 0 when the entry is neither.
int unit_sign(double v) { return near(v, 1) ? 1 : near(v, -1) ? -1 : 0; }

std::optional<ExactPath> exact_path(const cv::Matx33d& c, cv::Size size) {
  if (!is_affine(c)) return std::nullopt;
  const bool diagonal = near(c(0, 1), 0) && near(c(1, 0), 0);
  const bool swapped = near(c(0, 0), 0) && near(c(1, 1), 0);
  if (!diagonal && !swapped) return std::nullopt;
  if (swapped && size.width != size.height) return std::nullopt;
  // x' = sx·u + tx, y' = sy·v + ty with (u, v) = (x, y), or (y, x) after the transpose.
  const int sx = unit_sign(diagonal ? c(0, 0) : c(0, 1));
  const int sy = unit_sign(diagonal ? c(1, 1) : c(1, 0));
  if (sx == 0 || sy == 0) return std::nullopt;
  const double w1 = size.width - 1, h1 = size.height - 1;
  if (!near(c(0, 2), sx > 0 ? 0 : w1) || !near(c(1, 2), sy > 0 ? 0 : h1)) return std::nullopt;
  ExactPath path;
  path.transpose = swapped;
  path.flip = sx < 0 && sy < 0 ? -1 : sx < 0 ? 1 : sy < 0 ? 0 : 2;
  return path;
}

cv::Mat warp(const cv::Mat& src, const cv::Matx33d& centred, int interpolation, int border_mode,
             const cv::Scalar& border_value) {
  if (const auto path = exact_path(centred, src.size())) {
    if (!path->transpose && path->flip == 2) return src;
    cv::Mat out;
    if (path->transpose) {
      // The rotations are one pass each; a plain transpose (or anti-transpose) is two.
      if (path->flip == 1) cv::rotate(src, out, cv::ROTATE_90_CLOCKWISE);  // x' = H−1−y, y' = x
      else if (path->flip == 0) cv::rotate(src, out, cv::ROTATE_90_COUNTERCLOCKWISE);
      else {
        cv::transpose(src, out);
        if (path->flip == -1) cv::flip(out, out, -1);
      }
    } else {
      cv::flip(src, out, path->flip);
    }
    return out;
  }
  cv::Mat out;
  if (is_affine(centred)) {
    const cv::Matx23d m(centred(0, 0), centred(0, 1), centred(0, 2), centred(1, 0), centred(1, 1), centred(1, 2));
    cv::warpAffine(src, out, m, src.size(), interpolation, border_mode, border_value);
  } else {
    cv::warpPerspective(src, out, centred, src.size(), interpolation, border_mode, border_value);
  }
  return out;
}

std::optional<cv::Point2d> project(const cv::Matx33d& m, double x, double y) {
  const double w = m(2, 0) * x + m(2, 1) * y + m(2, 2);
  if (!(w > kMinW)) return std::nullopt;
  return cv::Point2d{(m(0, 0) * x + m(0, 1) * y + m(0, 2)) / w, (m(1, 0) * x + m(1, 1) * y + m(1, 2)) / w};
}

}  // namespace

cv::Matx33d to_pixel_centres(const cv::Matx33d& m) { return translation(-0.5, -0.5) * m * translation(0.5, 0.5); }

Image::Image(cv::Mat pixels) : pixels_(std::move(pixels)) {}

const cv::Mat& Image::pixels() {
  apply_geometry();
  return pixels_;
}

void Image::set_pixels(cv::Mat pixels) {
  apply_geometry();  // a no-op after pixels(), which the new pixels were computed from
  reduced_from_.reset();
  pixels_ = std::move(pixels);
}

cv::Mat& Image::mutable_pixels() {
  apply_geometry();
  reduced_from_.reset();  // the caller changes the pixels: they are no longer the reduced decode
  // Copy on write: Images copy cheaply (cv::Mat shares its buffer), so a stage about to write
  // in place must not change another copy of the sample, or the caller's own Mat.
  if (pixels_.u && pixels_.u->refcount > 1) pixels_ = pixels_.clone();
  return pixels_;
}

cv::Matx33d Image::pending_matrix() const { return pending_ ? pending_->matrix : kIdentity; }

void Image::push_affine(const cv::Matx33d& m, const WarpSettings& settings) {
  reduced_from_.reset();
  if (pending_ && pending_->settings && !(*pending_->settings == settings)) apply_geometry();
  if (pending_) {
    pending_->matrix = m * pending_->matrix;
    pending_->settings = settings;
  } else {
    pending_ = Pending{m, settings};
  }
}

void Image::push_affine(const cv::Matx33d& m) {
  reduced_from_.reset();
  if (pending_) pending_->matrix = m * pending_->matrix;
  else pending_ = Pending{m, std::nullopt};
}

void Image::apply_geometry() {
  if (!pending_) return;
  const Pending p = *pending_;
  pending_.reset();
  const WarpSettings settings = p.settings.value_or(WarpSettings{});
  const cv::Matx33d centred = to_pixel_centres(p.matrix);
  const cv::Size size = pixels_.size();
  if (!pixels_.empty())
    pixels_ = warp(pixels_, centred, settings.interpolation, settings.border_mode, settings.border_value);
  if (mask && !mask->empty()) *mask = warp(*mask, centred, cv::INTER_NEAREST, cv::BORDER_CONSTANT, cv::Scalar::all(0));
  transform_targets(*this, p.matrix, size);
}

void transform_targets(Image& image, const cv::Matx33d& m, cv::Size new_size) {
  const double w = new_size.width, h = new_size.height;
  std::vector<Box> kept_boxes;
  kept_boxes.reserve(image.boxes.size());
  for (const Box& b : image.boxes) {
    // A projective map sends the box (convex) to the quadrilateral of its moved corners, so
    // the box around those four corners bounds it, as for an affine map.
    const std::optional<cv::Point2d> corners[] = {project(m, b.x1, b.y1), project(m, b.x2, b.y1),
                                                  project(m, b.x1, b.y2), project(m, b.x2, b.y2)};
    if (!std::all_of(std::begin(corners), std::end(corners), [](const auto& c) { return c.has_value(); })) continue;
    double x1 = corners[0]->x, x2 = x1, y1 = corners[0]->y, y2 = y1;
    for (const auto& c : corners) {
      x1 = std::min(x1, c->x), x2 = std::max(x2, c->x);
      y1 = std::min(y1, c->y), y2 = std::max(y2, c->y);
    }
    const double area = (x2 - x1) * (y2 - y1);
    Box moved{std::clamp(x1, 0.0, w), std::clamp(y1, 0.0, h), std::clamp(x2, 0.0, w), std::clamp(y2, 0.0, h), b.label};
    const double visible = (moved.x2 - moved.x1) * (moved.y2 - moved.y1);
    if (visible <= 0 || area <= 0 || visible / area < image.policy.min_box_visibility) continue;
    kept_boxes.push_back(std::move(moved));
  }
  image.boxes = std::move(kept_boxes);
  std::vector<Keypoint> kept_points;
  kept_points.reserve(image.keypoints.size());
  for (const Keypoint& k : image.keypoints) {
    const std::optional<cv::Point2d> p = project(m, k.x, k.y);
    if (!p) continue;
    const bool inside = p->x >= 0 && p->x < w && p->y >= 0 && p->y < h;
    if (!inside && image.policy.drop_outside_keypoints) continue;
    kept_points.push_back({p->x, p->y, k.label});
  }
  image.keypoints = std::move(kept_points);
}

}  // namespace augment::image
