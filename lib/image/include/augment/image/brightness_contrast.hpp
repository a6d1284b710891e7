#pragma once
// brightness_contrast: out = alpha·x + beta·max_value with alpha = 1 + contrast and
// beta = brightness, Albumentations' RandomBrightnessContrast (brightness_by_max = true).
// max_value is 255 for 8-bit, 65535 for 16-bit and 1 for float images. Results are rounded to
// the nearest level and saturated (Albumentations truncates 8-bit results instead) and floats are
// clipped to [0, 1]. 8-bit images go through a 256-entry lookup table (cv::LUT), 16-bit through a
// 65536-entry one. Alpha is untouched; mask, boxes and keypoints are unchanged.
#include <opencv2/core.hpp>

#include "augment/core/registry.hpp"

namespace augment::image {

/// Returns `pixels` with out = (1 + contrast)·x + brightness·max_value on every colour channel.
cv::Mat adjust_brightness_contrast(const cv::Mat& pixels, double brightness, double contrast);

class BrightnessContrast final : public Transform {
 public:
  BrightnessContrast(const OpInfo& info, const nlohmann::json& settings) : Transform(info, settings) {}
  /// {"brightness": b, "contrast": c}
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;
};

OpInfo brightness_contrast_op();

}  // namespace augment::image
