#pragma once
// gamma: out = max_value·(x / max_value)^gamma, Albumentations' RandomGamma (whose gamma_limit
// (80, 120) is gamma [0.8, 1.2] here). gamma < 1 brightens, > 1 darkens. max_value is 255, 65535
// or 1 (float; values are clamped to [0, 1] first). Rounded to the nearest level; 8-bit images go
// through a 256-entry lookup table (cv::LUT), 16-bit through a 65536-entry one. Alpha is
// untouched; mask, boxes and keypoints are unchanged.
#include <opencv2/core.hpp>

#include "augment/core/registry.hpp"

namespace augment::image {

/// Returns `pixels` with out = max·(x/max)^gamma on every colour channel; gamma > 0.
cv::Mat adjust_gamma(const cv::Mat& pixels, double gamma);

class Gamma final : public Transform {
 public:
  Gamma(const OpInfo& info, const nlohmann::json& settings) : Transform(info, settings) {}
  /// {"gamma": g}
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;
};

OpInfo gamma_op();

}  // namespace augment::image
