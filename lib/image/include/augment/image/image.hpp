#pragma once
// An image sample: pixels (cv::Mat: 8- or 16-bit unsigned or 32-bit float; 1, 3 or 4 channels,
// BGR order as OpenCV reads them) plus optional targets that move with it — a mask, boxes and
// keypoints.
//
// Geometry is lazy. Affine (and perspective) stages do not warp at once: they compose their 3×3
// matrix into the image's pending transform, and the pixels are warped once, with one
// interpolation, when something needs them (a pixel stage, the writer, pixels()). So consecutive
// geometry stages fuse into one warpAffine (or one warpPerspective when the product is
// projective). A pending transform that is an exact flip, transpose or multiple of 90° (the
// latter two on square images) takes the exact paths (cv::flip, cv::transpose, cv::rotate)
// instead of interpolating, so those stay bit-exact even when fused with each other.
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "augment/core/sample.hpp"

namespace augment::image {

// Target coordinates are continuous with pixel i spanning [i, i + 1) (as COCO and
// Albumentations): a box covering pixel columns 0..9 has x1 = 0, x2 = 10, and the centre of pixel
// (3, 4) is the keypoint (3.5, 4.5). OpenCV's warps put pixel centres at integers; the geometry
// code converts between the two, so targets land exactly where the warped pixels do.

/// A box, x1 < x2, y1 < y2, in the continuous coordinates above.
struct Box {
  double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
  std::string label;
};

/// A point in the continuous coordinates above.
struct Keypoint {
  double x = 0, y = 0;
  std::string label;
};

/// How a pending warp resamples: cv::INTER_* and cv::BORDER_* codes, and the border value.
struct WarpSettings {
  int interpolation = cv::INTER_LINEAR;
  int border_mode = cv::BORDER_CONSTANT;
  cv::Scalar border_value = cv::Scalar::all(0);
  bool operator==(const WarpSettings& o) const {
    return interpolation == o.interpolation && border_mode == o.border_mode && border_value == o.border_value;
  }
};

/// What happens to targets that leave the image under a transform.
struct TargetPolicy {
  /// Boxes whose visible area after clipping is below this fraction of their area before
  /// clipping are dropped.
  double min_box_visibility = 0.0;
  /// Keypoints outside the image are dropped (true) or kept with their coordinates (false).
  bool drop_outside_keypoints = true;
};

class Image {
 public:
  Image() = default;
  explicit Image(cv::Mat pixels);

  /// The pixels, with any pending geometry applied first.
  const cv::Mat& pixels();
  /// The same, for stages that change pixels in place (the Mat's size and type may change).
  /// Copies the buffer first when it is shared (copy on write), so copies of an Image (and the
  /// Mat it was made from) never change behind each other's back.
  cv::Mat& mutable_pixels();
  /// Replaces the pixels by a new image a stage computed from pixels(): what mutable_pixels()
  /// would do with an assignment, without first copying a shared buffer only to overwrite it.
  void set_pixels(cv::Mat pixels);
  /// The pixels as they are, without applying pending geometry (for stages that only read the
  /// size or type).
  const cv::Mat& pixels_before_geometry() const { return pixels_; }

  /// The size the image has once pending geometry is applied (affine keeps the size).
  cv::Size size() const { return pixels_.size(); }
  int channels() const { return pixels_.channels(); }
  int depth() const { return pixels_.depth(); }

  /// Composes `m` (maps source coordinates to output coordinates, in the continuous target
  /// coordinates) after the pending transform. When `settings` differ from those of the pending
  /// transform, the pending one is applied first (one interpolation per setting). `m` may be
  /// projective (last row other than 0 0 1): the warp is then one warpPerspective.
  void push_affine(const cv::Matx33d& m, const WarpSettings& settings);
  /// Composes a map that needs no resampling on its own (a flip): it adopts the settings of
  /// whatever it fuses with, so it never forces an extra warp. Alone it takes the exact path.
  void push_affine(const cv::Matx33d& m);
  /// Applies the pending transform now (no-op when there is none).
  void apply_geometry();
  bool has_pending_geometry() const { return pending_.has_value(); }
  /// The pending transform (identity when none).
  cv::Matx33d pending_matrix() const;

  // Targets. The mask is warped with nearest-neighbour, with the same matrix as the pixels.
  std::optional<cv::Mat> mask;
  std::vector<Box> boxes;
  std::vector<Keypoint> keypoints;
  TargetPolicy policy;

  /// The format the image was read from (".jpg"), used to pick output encoding; may be empty.
  std::string source_extension;

  /// Set when the codec decoded the pixels at reduced size (1/2, 1/4 or 1/8 in the JPEG's DCT,
  /// augment/image/reduced_decode.hpp): the size of the full image, EXIF orientation applied.
  /// The codec does so only when the pipeline's first stage is a resize; the resize ops compute
  /// their output size from this size (so it is the size a full decode gives: 3001×2000 decoded
  /// at 1/8 is 376×250, whose own aspect would round another side) and clear it. size() stays
  /// the pixels' size. Any change to the pixels or a pending warp clears it too, so it never
  /// outlives the pixels it describes.
  std::optional<cv::Size> reduced_from() const { return reduced_from_; }
  void set_reduced_from(std::optional<cv::Size> full_size) { reduced_from_ = full_size; }

 private:
  struct Pending {
    cv::Matx33d matrix;
    /// None while only settings-free maps (flips) are pending.
    std::optional<WarpSettings> settings;
  };
  cv::Mat pixels_;
  std::optional<Pending> pending_;
  std::optional<cv::Size> reduced_from_;
};

/// Moves boxes and keypoints by `m` (in the continuous target coordinates) into an image of
/// `new_size`: boxes become the box around their four moved corners, clipped, and are dropped
/// below the policy's visible fraction; keypoints outside are dropped or kept by the policy.
/// `m` may be projective (points are divided by w). A point the map sends to infinity or
/// behind it (w <= 0, possible only outside the image) has no position: such a keypoint is
/// dropped whatever the policy, and a box with such a corner is dropped.
/// Geometry stages that change the size (resize, crop, pad) call it with their own matrix.
void transform_targets(Image& image, const cv::Matx33d& m, cv::Size new_size);

/// Converts a matrix between the continuous target coordinates (pixel i spans [i, i + 1)) and
/// OpenCV's (pixel centres at integers): centred = T(−½)·m·T(+½).
cv::Matx33d to_pixel_centres(const cv::Matx33d& m);

inline Sample make_sample(Image image) { return Sample(Kind::image, std::move(image)); }
inline Image& image_of(Sample& sample) { return sample.as<Image>(); }
inline const Image& image_of(const Sample& sample) { return sample.as<Image>(); }

}  // namespace augment::image
