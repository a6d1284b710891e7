#include "augment/features/gaussian_noise.hpp"

#include "augment/core/error.hpp"
#include "augment/features/feature_vector.hpp"

namespace augment::features {

nlohmann::json GaussianNoise::draw(Rng& rng, const Sample&) const {
  const double sigma = draw_number(settings()["sigma"], rng);
  // 53 bits keep the seed exact in any JSON reader (JavaScript, Python's float paths).
  return {{"sigma", sigma}, {"seed", rng.next_u64() >> 11}};
}

void GaussianNoise::apply(Sample& sample, const nlohmann::json& params) const {
  if (!params.contains("sigma") || !params["sigma"].is_number() || !params.contains("seed") ||
      !params["seed"].is_number_unsigned())
    throw UsageError("params need sigma and seed, got " + params.dump());
  const double sigma = params["sigma"].get<double>();
  const double mean = settings()["mean"].get<double>();
  Rng noise(params["seed"].get<std::uint64_t>());
  for (double& x : values_of(sample)) x += noise.normal(mean, sigma);
}

OpInfo gaussian_noise_op() {
  return {
      .name = "gaussian_noise",
      .input = Kind::features,
      .output = Kind::features,
      .doc = "Add Gaussian noise N(mean, sigma^2) to every feature; sigma fixed or drawn per sample.",
      .params = {{.name = "sigma", .default_value = 0.1, .drawable = true, .minimum = 0.0,
                  .doc = "standard deviation of the noise, or [lo, hi] to draw it per sample"},
                 {.name = "mean", .default_value = 0.0, .doc = "mean of the noise"}},
      .random = true,
      .create = make_transform<GaussianNoise>,
  };
}

}  // namespace augment::features
