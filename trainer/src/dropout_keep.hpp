#pragma once
// The probability a dropout or dropout2d layer keeps a unit: "keep" (the course's P). Keras'
// `rate` and PyTorch's `p` are the probability of dropping instead; taking either under its own
// name would silently invert the layer, so both are refused with the value to give.
#include <string>

#include "json_fields.hpp"

namespace augment::trainer::detail {

inline double dropout_keep(Fields& c) {
  for (const char* other : {"rate", "p"})
    if (c.has(other)) {
      const auto& v = c.at(other);
      const std::string hint = v.is_number() ? "; give \"keep\": " + format_number(1 - v.get<double>()) : "";
      c.fail(other, std::string("dropout takes keep = 1 − ") + other + " (the probability a unit is kept)" + hint);
    }
  return c.number("keep", 0.5, 0, 1, true);
}

}  // namespace augment::trainer::detail
