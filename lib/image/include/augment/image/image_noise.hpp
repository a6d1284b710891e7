#pragma once
// gaussian_noise for images: out = x + mean + sigma·n per colour value, n standard normal,
// rounded and saturated (floats clipped to [0, 1]). Alpha is untouched; mask, boxes and keypoints
// are unchanged.
//
// Units: with units "fraction" (the default) sigma and mean are fractions of the image's
// max_value (255 for 8-bit, 65535 for 16-bit, 1 for float), so one spec suits every depth:
// sigma 0.02 is about 5 levels of an 8-bit image. With units "pixels" they are in the image's own
// pixel units (8-bit levels, 16-bit levels, or float values).
//
// Reproducibility: draw() records sigma and a 53-bit seed. The noise is generated from the seed
// with augment::Rng (SplitMix64 + Marsaglia's polar method), not cv::randn, so it is the same on
// every platform and a record replays exactly. Row y draws from Rng(seed).fork(y), pixels left to
// right, channels in order (one value per pixel shared by the colour channels when per_channel
// is false).
#include <cstdint>

#include <opencv2/core.hpp>

#include "augment/core/registry.hpp"

namespace augment::image {

/// Returns `pixels` plus N(mean, sigma²) noise, mean and sigma in pixel units, from `seed`.
cv::Mat add_gaussian_noise(const cv::Mat& pixels, double mean, double sigma, std::uint64_t seed, bool per_channel);

class GaussianNoise final : public Transform {
 public:
  GaussianNoise(const OpInfo& info, const nlohmann::json& settings) : Transform(info, settings) {}
  /// {"sigma": s (in the op's units), "seed": 53-bit integer}
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;
};

OpInfo gaussian_noise_op();

}  // namespace augment::image
