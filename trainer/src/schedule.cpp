#include "augment/trainer/schedule.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <set>
#include <string>

#include "option_checks.hpp"

namespace augment::trainer {

namespace {

const std::string label = "schedule";

void check_keys(const nlohmann::json& spec, const std::string& where, const std::set<std::string>& known) {
  for (const auto& [key, value] : spec.items()) {
    if (known.count(key) == 0) {
      std::string list;
      for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
      throw SpecError(where + ": unknown key '" + key + "' (known: " + list + ")");
    }
  }
}

double number(const nlohmann::json& spec, const std::string& where, const char* key, double fallback) {
  if (!spec.contains(key)) return fallback;
  if (!spec[key].is_number()) throw SpecError(where + ": " + key + " must be a number, got " + spec[key].dump());
  return spec[key].get<double>();
}

std::int64_t count(const nlohmann::json& spec, const std::string& where, const char* key) {
  if (!spec.contains(key)) throw SpecError(where + ": " + key + " is required");
  const nlohmann::json& v = spec[key];
  if (!v.is_number_integer() || v.get<std::int64_t>() < 1) {
    throw SpecError(where + ": " + key + " must be an integer >= 1, got " + v.dump());
  }
  return v.get<std::int64_t>();
}

const char* unit_name(ScheduleUnit u) { return u == ScheduleUnit::step ? "step" : "epoch"; }

}  // namespace

Schedule::Schedule(double base_lr) : base_lr_(base_lr) { checks::check_positive(label, "lr", base_lr); }

Schedule Schedule::from_json(const nlohmann::json& spec, double base_lr) {
  Schedule s(base_lr);
  if (spec.is_null() || (spec.is_object() && spec.empty())) return s;
  if (!spec.is_object() || !spec.contains("type") || !spec["type"].is_string()) {
    throw SpecError(label + ": expected an object with a \"type\" (constant, step, exponential, cosine), got " +
                    spec.dump());
  }
  const std::string type = spec["type"].get<std::string>();
  const std::string where = label + " (" + type + ")";
  if (type == "constant") {
    check_keys(spec, where, {"type", "warmup"});
  } else if (type == "step") {
    check_keys(spec, where, {"type", "every", "gamma", "unit", "warmup"});
    s.kind_ = ScheduleKind::step;
    s.every_ = count(spec, where, "every");
  } else if (type == "exponential") {
    check_keys(spec, where, {"type", "gamma", "unit", "warmup"});
    s.kind_ = ScheduleKind::exponential;
  } else if (type == "cosine") {
    check_keys(spec, where, {"type", "period", "min_lr", "unit", "warmup"});
    s.kind_ = ScheduleKind::cosine;
    s.period_ = count(spec, where, "period");
    s.min_lr_ = number(spec, where, "min_lr", 0);
    checks::check_in(where, "min_lr", s.min_lr_, 0, base_lr, false);
  } else {
    throw SpecError(label + ": unknown type '" + type + "' (known: constant, step, exponential, cosine)");
  }
  if (s.kind_ == ScheduleKind::step || s.kind_ == ScheduleKind::exponential) {
    if (s.kind_ == ScheduleKind::exponential && !spec.contains("gamma")) {
      throw SpecError(where + ": gamma is required");
    }
    s.gamma_ = number(spec, where, "gamma", 0.1);
    checks::check_positive(where, "gamma", s.gamma_);
  }
  if (spec.contains("unit")) {
    const nlohmann::json& u = spec["unit"];
    if (u == "step") {
      s.unit_ = ScheduleUnit::step;
    } else if (u != "epoch") {
      throw SpecError(where + ": unit must be \"step\" or \"epoch\", got " + u.dump());
    }
  }
  if (spec.contains("warmup")) {
    const nlohmann::json& w = spec["warmup"];
    const std::string at = where + ": warmup";
    if (!w.is_object() || w.contains("steps") == w.contains("epochs")) {
      throw SpecError(at + " must be an object with one of \"steps\" or \"epochs\", got " + w.dump());
    }
    check_keys(w, at, {"steps", "epochs", "start_factor"});
    s.warmup_unit_ = w.contains("steps") ? ScheduleUnit::step : ScheduleUnit::epoch;
    s.warmup_ = count(w, at, w.contains("steps") ? "steps" : "epochs");
    s.start_factor_ = number(w, at, "start_factor", 0.1);
    checks::check_in(at, "start_factor", s.start_factor_, 0, 1, false);
  }
  return s;
}

double Schedule::lr(std::int64_t step, std::int64_t epoch) const {
  step = std::max<std::int64_t>(step, 0);
  epoch = std::max<std::int64_t>(epoch, 0);
  const std::int64_t t = unit_ == ScheduleUnit::step ? step : epoch;
  double rate = base_lr_;
  switch (kind_) {
    case ScheduleKind::constant:
      break;
    case ScheduleKind::step:
      rate = base_lr_ * std::pow(gamma_, static_cast<double>(t / every_));
      break;
    case ScheduleKind::exponential:
      rate = base_lr_ * std::pow(gamma_, static_cast<double>(t));
      break;
    case ScheduleKind::cosine: {
      const double x = static_cast<double>(std::min(t, period_)) / static_cast<double>(period_);
      rate = min_lr_ + (base_lr_ - min_lr_) * (1 + std::cos(std::numbers::pi * x)) / 2;
      break;
    }
  }
  if (warmup_ > 0) {
    const std::int64_t w = warmup_unit_ == ScheduleUnit::step ? step : epoch;
    const double done = static_cast<double>(std::min(w, warmup_)) / static_cast<double>(warmup_);
    rate *= start_factor_ + (1 - start_factor_) * done;
  }
  return rate;
}

nlohmann::json Schedule::to_json() const {
  nlohmann::json j;
  switch (kind_) {
    case ScheduleKind::constant:
      j = {{"type", "constant"}};
      break;
    case ScheduleKind::step:
      j = {{"type", "step"}, {"every", every_}, {"gamma", gamma_}, {"unit", unit_name(unit_)}};
      break;
    case ScheduleKind::exponential:
      j = {{"type", "exponential"}, {"gamma", gamma_}, {"unit", unit_name(unit_)}};
      break;
    case ScheduleKind::cosine:
      j = {{"type", "cosine"}, {"period", period_}, {"min_lr", min_lr_}, {"unit", unit_name(unit_)}};
      break;
  }
  if (warmup_ > 0) {
    j["warmup"] = {{warmup_unit_ == ScheduleUnit::step ? "steps" : "epochs", warmup_},
                   {"start_factor", start_factor_}};
  }
  return j;
}

}  // namespace augment::trainer
