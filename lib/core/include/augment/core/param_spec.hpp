#pragma once
// Declaration of one transform parameter: type, default, allowed range, doc. The spec reader
// validates against it, `augment list` prints it, and transforms read their values through it.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/rng.hpp"

namespace augment {

enum class ParamType { number, integer, boolean, string, number_list };

std::string_view to_string(ParamType type);

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::number;
  /// Default value; null means the parameter is optional with no value (see `required`).
  nlohmann::json default_value;
  bool required = false;
  /// A number/integer that may also be given as [lo, hi]: drawn per sample, uniformly.
  bool drawable = false;
  /// Inclusive bounds for numbers, integers and every element of a number list.
  std::optional<double> minimum;
  std::optional<double> maximum;
  /// Allowed values of a string parameter (empty: any string).
  std::vector<std::string> choices;
  std::string doc;

  /// Checks `value` and returns it in canonical form (e.g. an integer given as 3.0 becomes 3).
  /// Throws std::invalid_argument with a message that names the parameter and what was expected.
  nlohmann::json validate(const nlohmann::json& value) const;

  /// The catalogue entry: {"name", "type", "default", "drawable", "minimum", "maximum", ...}.
  nlohmann::json describe() const;
};

/// A validated drawable value: a scalar, or a [lo, hi] range drawn uniformly per sample.
double draw_number(const nlohmann::json& value, Rng& rng);
std::int64_t draw_integer(const nlohmann::json& value, Rng& rng);

}  // namespace augment
