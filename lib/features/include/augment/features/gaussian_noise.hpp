#pragma once
// gaussian_noise: x' = x + N(mean, σ²) per feature, the course's "noise on inputs" regularizer.
// σ may be a [lo, hi] range drawn per sample. The drawn params are σ and a noise seed, so a
// record replays the exact noise without storing it.
#include "augment/core/registry.hpp"

namespace augment::features {

class GaussianNoise final : public Transform {
 public:
  GaussianNoise(const OpInfo& info, const nlohmann::json& settings) : Transform(info, settings) {}
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;
};

OpInfo gaussian_noise_op();

}  // namespace augment::features
