#pragma once
// Optimizers: small update rules with state per parameter (ensmallen's shape). step() applies
// one update from each parameter's grad to its value, skipping frozen ones. Conventions where
// the course and PyTorch differ are named options (optimizer files document each formula).
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/trainer/parameter.hpp"

namespace augment::trainer {

template <class T>
class Optimizer {
 public:
  virtual ~Optimizer() = default;
  virtual std::string type() const = 0;
  /// One update with learning rate `lr` (schedules set it per step).
  virtual void step(const std::vector<Parameter<T>*>& parameters, double lr) = 0;
  virtual nlohmann::json config() const = 0;
  /// Per-parameter state (velocities, moments, step count), for checkpoints.
  virtual nlohmann::json state() const = 0;
  virtual void set_state(const nlohmann::json& state) = 0;
};

/// {"type": "sgd" | "momentum" | "nesterov" | "rmsprop" | "adam", ...options}; SpecError for a
/// bad config.
template <class T>
std::unique_ptr<Optimizer<T>> make_optimizer(const nlohmann::json& config);

}  // namespace augment::trainer
