#pragma once
// gaussian_blur: cv::GaussianBlur with a square kernel of odd size k and standard deviation sigma
// (both directions), border reflect-101 (OpenCV's default). sigma 0 takes OpenCV's value for the
// kernel size, 0.3·((k − 1)/2 − 1) + 0.8. A kernel given as [lo, hi] is drawn uniformly among the
// odd sizes in that range. Alpha is untouched; mask, boxes and keypoints are unchanged.
#include <opencv2/core.hpp>

#include "augment/core/registry.hpp"

namespace augment::image {

/// Returns `pixels` blurred with an odd kernel of size `kernel` (>= 1) and `sigma` (>= 0).
cv::Mat gaussian_blur(const cv::Mat& pixels, int kernel, double sigma);

class GaussianBlur final : public Transform {
 public:
  GaussianBlur(const OpInfo& info, const nlohmann::json& settings) : Transform(info, settings) {}
  /// {"kernel": odd k, "sigma": s}
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;
};

OpInfo gaussian_blur_op();

}  // namespace augment::image
