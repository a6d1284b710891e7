#pragma once
// Range checks for optimizer and schedule options: SpecError naming the field and the value,
// e.g. "optimizer (adam): beta2 must be in [0, 1), got 1.0". Private to the trainer sources.
#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "augment/core/error.hpp"

namespace augment::trainer::checks {

inline std::string shown(double v) { return nlohmann::json(v).dump(); }

/// lo <= v < hi (hi_open) or lo <= v <= hi; v finite.
inline void check_in(const std::string& label, const char* field, double v, double lo, double hi,
                     bool hi_open) {
  if (!std::isfinite(v) || v < lo || (hi_open ? v >= hi : v > hi)) {
    throw SpecError(label + ": " + field + " must be in [" + shown(lo) + ", " + shown(hi) +
                    (hi_open ? ")" : "]") + ", got " + shown(v));
  }
}

inline void check_positive(const std::string& label, const char* field, double v) {
  if (!std::isfinite(v) || v <= 0) throw SpecError(label + ": " + field + " must be > 0, got " + shown(v));
}

inline void check_non_negative(const std::string& label, const char* field, double v) {
  if (!std::isfinite(v) || v < 0) throw SpecError(label + ": " + field + " must be >= 0, got " + shown(v));
}

}  // namespace augment::trainer::checks
