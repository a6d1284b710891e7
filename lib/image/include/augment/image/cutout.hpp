#pragma once
// cutout (coarse dropout, DeVries & Taylor 2017; Albumentations' CoarseDropout): fills `count`
// rectangular holes with a constant. Hole sizes are fractions of the image's width and height
// (each at least one pixel); each hole lies wholly inside the image, at a uniformly drawn place.
// Holes may overlap. The drawn holes are recorded in pixels as [x, y, width, height] (top-left
// corner, x to the right, y down), so a record replays on the same image exactly.
//
// The fill is a fraction of max_value (0 black, 1 white: 255, 65535 or 1.0), on the colour
// channels; alpha is untouched. The mask, boxes and keypoints are left as they are (a box whose
// object is hidden keeps its label), as Albumentations does by default.
#include <vector>

#include <opencv2/core.hpp>

#include "augment/core/registry.hpp"

namespace augment::image {

/// Returns `pixels` with every rectangle (clipped to the image) filled with fill·max_value.
cv::Mat cutout(const cv::Mat& pixels, const std::vector<cv::Rect>& holes, double fill);

class Cutout final : public Transform {
 public:
  Cutout(const OpInfo& info, const nlohmann::json& settings) : Transform(info, settings) {}
  /// {"holes": [[x, y, width, height], ...]} in pixels.
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;
};

OpInfo cutout_op();

}  // namespace augment::image
