#pragma once
// A transform has two steps: draw(rng, sample) -> params, then apply(sample, params).
// apply is a pure function of its inputs, so drawn params can be recorded as JSON, replayed
// later, or applied to several related samples (an image and its mask, every frame of a clip).
#include <memory>

#include <nlohmann/json.hpp>

#include "augment/core/rng.hpp"
#include "augment/core/sample.hpp"

namespace augment {

struct OpInfo;

/// Accumulates what a fitted transform learns from data. Fitters for disjoint parts of a
/// dataset merge, so fitting in chunks or threads gives the same state as one pass.
class Fitter {
 public:
  virtual ~Fitter() = default;
  virtual void add(const Sample& sample) = 0;
  /// Folds in another fitter made by the same transform (the data that came after ours).
  virtual void merge(const Fitter& other) = 0;
  /// The learned state, in the JSON form Transform::set_state takes.
  virtual nlohmann::json state() const = 0;
};

class Transform {
 public:
  /// `settings` are the validated parameters with defaults filled in.
  Transform(const OpInfo& info, nlohmann::json settings)
      : info_(&info), settings_(std::move(settings)) {}
  virtual ~Transform() = default;
  Transform(const Transform&) = delete;
  Transform& operator=(const Transform&) = delete;

  const OpInfo& info() const { return *info_; }
  const nlohmann::json& settings() const { return settings_; }

  /// Draws this sample's random parameters (an empty object for deterministic transforms).
  virtual nlohmann::json draw(Rng& /*rng*/, const Sample& /*sample*/) const {
    return nlohmann::json::object();
  }
  /// Applies the transform with the given params. Throws UsageError on a sample it cannot take.
  virtual void apply(Sample& sample, const nlohmann::json& params) const = 0;

  /// Whether this stage draws random params (augmentation, skipped by fit and preprocess): the
  /// op's flag, unless its settings decide (a crop at a random or a central position).
  virtual bool is_random() const;

  /// Whether the transform must learn state from data before it can be applied.
  virtual bool needs_fit() const { return false; }
  /// Whether it has that state (always true when needs_fit() is false).
  virtual bool is_fitted() const { return true; }
  virtual std::unique_ptr<Fitter> make_fitter() const { return nullptr; }
  /// The learned state (null when there is none) and its setter, which validates it and throws
  /// std::invalid_argument naming what is wrong.
  virtual nlohmann::json state() const { return nullptr; }
  virtual void set_state(const nlohmann::json& state);

 private:
  const OpInfo* info_;
  nlohmann::json settings_;
};

}  // namespace augment
