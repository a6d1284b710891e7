#pragma once
// color_jitter: torchvision's ColorJitter in a fixed order — brightness, contrast, saturation,
// hue — each step clipped to the value range (torchvision applies them in a random order).
//   brightness b: x·b
//   contrast c:   (x − m)·c + m, m the mean of the gray image (0.299 R + 0.587 G + 0.114 B)
//   saturation s: S·s in HSV (clipped to 1)             — 3- and 4-channel images only
//   hue h:        H + h degrees in HSV, wrapping at 360 — 3- and 4-channel images only
// Factors of 1 and a hue of 0 change nothing; gray (1-channel) images get only brightness and
// contrast (saturation and hue are still drawn and recorded, so one spec runs on both). The
// work is done in 32-bit float on values scaled to [0, 1] and rounded back to the image's
// depth. Alpha is untouched; mask, boxes and keypoints are unchanged.
//
// Note the convention differs from brightness_contrast: here brightness and contrast are
// multiplicative factors around 1 (torchvision), there additive offsets around 0 (Albumentations).
#include <opencv2/core.hpp>

#include "augment/core/registry.hpp"

namespace augment::image {

struct ColorJitterParams {
  double brightness = 1.0;  // factor >= 0
  double contrast = 1.0;    // factor >= 0
  double saturation = 1.0;  // factor >= 0
  double hue = 0.0;         // degrees
};

/// Returns `pixels` with the jitter above applied.
cv::Mat color_jitter(const cv::Mat& pixels, const ColorJitterParams& params);

class ColorJitter final : public Transform {
 public:
  ColorJitter(const OpInfo& info, const nlohmann::json& settings) : Transform(info, settings) {}
  /// {"brightness": b, "contrast": c, "saturation": s, "hue": degrees}
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;
};

OpInfo color_jitter_op();

}  // namespace augment::image
