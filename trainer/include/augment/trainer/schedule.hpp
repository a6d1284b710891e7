#pragma once
// Learning-rate schedules: lr(step, epoch) is a pure function of the optimizer step count
// (0-based, over the whole run) and the epoch (0-based). `t` below is whichever of the two the
// schedule's "unit" names ("epoch" by default). α₀ is the base rate: the optimizer config's
// "lr" (make_optimizer(...)->config()["lr"] holds it with the type's default filled in).
//
//   {"type": "constant"}                                   α₀
//   {"type": "step", "every": k, "gamma": γ}               α₀·γ^⌊t/k⌋   (torch StepLR)
//   {"type": "exponential", "gamma": γ}                    α₀·γᵗ        (torch ExponentialLR)
//   {"type": "cosine", "period": T, "min_lr": αₘ}          αₘ + (α₀ − αₘ)·(1 + cos(π·min(t, T)/T))/2
//                                                          (torch CosineAnnealingLR's closed
//                                                          form; stays at αₘ after T, no restarts)
// "step"'s γ defaults to 0.1 (torch's), "exponential" needs one, "min_lr" defaults to 0.
// Any of them takes a linear warm-up, which multiplies the rate (as torch's LinearLR chained
// with the schedule: the schedule's own clock is not shifted):
//   "warmup": {"steps": N} or {"epochs": N}, "start_factor": s (default 0.1)
//   factor = s + (1 − s)·min(w, N)/N, with w the step or epoch count.
// A null or empty spec is the constant schedule. SpecError naming the field for a bad one.
#include <cstdint>

#include <nlohmann/json.hpp>

namespace augment::trainer {

enum class ScheduleKind { constant, step, exponential, cosine };
enum class ScheduleUnit { step, epoch };

class Schedule {
 public:
  /// The constant schedule at `base_lr` (> 0).
  explicit Schedule(double base_lr = 0.01);
  static Schedule from_json(const nlohmann::json& spec, double base_lr);

  /// The learning rate of optimizer step `step` taken in epoch `epoch` (negative counts as 0).
  double lr(std::int64_t step, std::int64_t epoch) const;

  double base_lr() const { return base_lr_; }
  ScheduleKind kind() const { return kind_; }
  /// The spec with every default filled in (the base rate is not part of it).
  nlohmann::json to_json() const;

 private:
  double base_lr_;
  ScheduleKind kind_ = ScheduleKind::constant;
  ScheduleUnit unit_ = ScheduleUnit::epoch;
  std::int64_t every_ = 1, period_ = 1;
  double gamma_ = 0.1, min_lr_ = 0;
  std::int64_t warmup_ = 0;  // 0: none
  ScheduleUnit warmup_unit_ = ScheduleUnit::step;
  double start_factor_ = 0.1;
};

}  // namespace augment::trainer
