#include "augment/trainer/target_noise.hpp"

#include "json_fields.hpp"

namespace augment::trainer {

TargetNoise TargetNoise::from_json(const nlohmann::json& config) {
  detail::Fields f(config, "regularizers.target_noise");
  TargetNoise n;
  n.label_smoothing = f.number("label_smoothing", 0, 0, 0.999);
  n.sigma = f.number("sigma", 0, 0);
  f.done();
  return n;
}

nlohmann::json TargetNoise::to_json() const { return {{"label_smoothing", label_smoothing}, {"sigma", sigma}}; }

}  // namespace augment::trainer
