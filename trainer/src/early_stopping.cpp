#include "augment/trainer/early_stopping.hpp"

#include <cmath>
#include <limits>

#include "augment/core/error.hpp"
#include "json_fields.hpp"

namespace augment::trainer {
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

EarlyStoppingOptions EarlyStoppingOptions::from_json(const nlohmann::json& config) {
  detail::Fields f(config, "early_stopping");
  EarlyStoppingOptions o;
  o.monitor = f.text("monitor", o.monitor);
  if (o.monitor.empty()) f.fail("monitor", "must name a metric, e.g. \"val_loss\"");
  const std::string mode = f.text("mode", "auto", {"auto", "min", "max"});
  if (mode == "min") {
    o.mode = MonitorMode::min;
  } else if (mode == "max") {
    o.mode = MonitorMode::max;
  } else if (ends_with(o.monitor, "accuracy")) {
    o.mode = MonitorMode::max;
  } else if (ends_with(o.monitor, "loss")) {
    o.mode = MonitorMode::min;
  } else {
    f.fail("mode", "cannot tell whether \"" + o.monitor + "\" should go down or up: give \"min\" or \"max\"");
  }
  o.min_delta = std::abs(f.number("min_delta", 0));
  o.patience = f.count("patience", 0);
  o.baseline = f.optional_number("baseline");
  o.restore_best_weights = f.flag("restore_best_weights", false);
  o.start_from_epoch = f.count("start_from_epoch", 0);
  f.done();
  return o;
}

nlohmann::json EarlyStoppingOptions::to_json() const {
  nlohmann::json j = {{"monitor", monitor},
                      {"mode", mode == MonitorMode::min ? "min" : "max"},
                      {"min_delta", min_delta},
                      {"patience", patience},
                      {"restore_best_weights", restore_best_weights},
                      {"start_from_epoch", start_from_epoch}};
  j["baseline"] = baseline ? nlohmann::json(*baseline) : nlohmann::json();
  return j;
}

EarlyStopping::EarlyStopping(EarlyStoppingOptions options)
    : options_(std::move(options)),
      best_(options_.mode == MonitorMode::min ? std::numeric_limits<double>::infinity()
                                              : -std::numeric_limits<double>::infinity()) {
  options_.min_delta = std::abs(options_.min_delta);
}

bool EarlyStopping::improves(double value, double reference) const {
  // Keras: monitor_op(value - min_delta, reference) with min_delta negated in min mode.
  return options_.mode == MonitorMode::min ? value + options_.min_delta < reference
                                           : value - options_.min_delta > reference;
}

EarlyStoppingDecision EarlyStopping::update(std::size_t epoch, std::optional<double> value) {
  EarlyStoppingDecision d;
  // Keras's epoch is 0-based: "epoch < start_from_epoch" is epoch − 1 < start here.
  if (!value || epoch <= options_.start_from_epoch) return d;
  if (!watching_) {
    watching_ = true;
    // The first watched epoch's weights are the best until one improves on them.
    has_snapshot_ = options_.restore_best_weights;
    d.snapshot = options_.restore_best_weights;
    best_epoch_ = epoch;
  }
  ++wait_;
  if (improves(*value, best_)) {
    best_ = *value;
    best_epoch_ = epoch;
    d.improved = true;
    d.snapshot = options_.restore_best_weights;
    if (!options_.baseline || improves(*value, *options_.baseline)) wait_ = 0;
    return d;
  }
  if (wait_ >= options_.patience && epoch > 1) {
    stopped_epoch_ = epoch;
    d.stop = true;
  }
  return d;
}

}  // namespace augment::trainer
