#include "augment/core/param_spec.hpp"

#include <cmath>
#include <stdexcept>

#include "augment/core/number_text.hpp"

namespace augment {
namespace {

std::string bounds_text(const ParamSpec& spec) {
  const std::string lo = spec.minimum ? format_number(*spec.minimum) : "-inf";
  const std::string hi = spec.maximum ? format_number(*spec.maximum) : "inf";
  return "[" + lo + ", " + hi + "]";
}

[[noreturn]] void fail(const ParamSpec& spec, const std::string& what) {
  throw std::invalid_argument(spec.name + " " + what);
}

double checked_number(const ParamSpec& spec, const nlohmann::json& v, bool integer,
                      const std::string& role) {
  if (!v.is_number()) fail(spec, role + "must be a number, got " + v.dump());
  const double x = v.get<double>();
  if (!std::isfinite(x)) fail(spec, role + "must be finite, got " + v.dump());
  if (integer && x != std::floor(x)) fail(spec, role + "must be a whole number, got " + v.dump());
  // Whole numbers are held as int64: beyond 2^53 they are neither exact in a double nor sane.
  constexpr double kLargestExact = 9007199254740992.0;
  if (integer && std::fabs(x) > kLargestExact)
    fail(spec, role + "must be a whole number within +-2^53, got " + format_number(x));
  if ((spec.minimum && x < *spec.minimum) || (spec.maximum && x > *spec.maximum))
    fail(spec, role + "must be in " + bounds_text(spec) + ", got " + format_number(x));
  return x;
}

nlohmann::json canonical(double x, bool integer) {
  if (integer) return static_cast<std::int64_t>(x);
  return x;
}

}  // namespace

std::string_view to_string(ParamType type) {
  switch (type) {
    case ParamType::number: return "number";
    case ParamType::integer: return "integer";
    case ParamType::boolean: return "boolean";
    case ParamType::string: return "string";
    case ParamType::number_list: return "number_list";
  }
  return "?";
}

nlohmann::json ParamSpec::validate(const nlohmann::json& value) const {
  switch (type) {
    case ParamType::number:
    case ParamType::integer: {
      const bool integer = type == ParamType::integer;
      if (value.is_array()) {
        if (!drawable) fail(*this, "takes a single value, not a range; got " + value.dump());
        if (value.size() != 2)
          fail(*this, "range must be [lo, hi], got " + value.dump());
        const double lo = checked_number(*this, value[0], integer, "range low ");
        const double hi = checked_number(*this, value[1], integer, "range high ");
        if (lo > hi) fail(*this, "range must have lo <= hi, got " + value.dump());
        return nlohmann::json::array({canonical(lo, integer), canonical(hi, integer)});
      }
      return canonical(checked_number(*this, value, integer, ""), integer);
    }
    case ParamType::boolean:
      if (!value.is_boolean()) fail(*this, "must be true or false, got " + value.dump());
      return value;
    case ParamType::string: {
      if (!value.is_string()) fail(*this, "must be a string, got " + value.dump());
      if (choices.empty()) return value;
      for (const auto& c : choices)
        if (value.get<std::string>() == c) return value;
      std::string allowed;
      for (const auto& c : choices) allowed += (allowed.empty() ? "" : ", ") + c;
      fail(*this, "must be one of " + allowed + "; got " + value.dump());
    }
    case ParamType::number_list: {
      if (!value.is_array()) fail(*this, "must be a list of numbers, got " + value.dump());
      nlohmann::json out = nlohmann::json::array();
      for (std::size_t i = 0; i < value.size(); ++i)
        out.push_back(checked_number(*this, value[i], false, "[" + std::to_string(i) + "] "));
      return out;
    }
  }
  fail(*this, "has an unknown type");
}

nlohmann::json ParamSpec::describe() const {
  nlohmann::json d = {{"name", name},         {"type", to_string(type)}, {"default", default_value},
                      {"required", required}, {"drawable", drawable},    {"doc", doc}};
  if (minimum) d["minimum"] = *minimum;
  if (maximum) d["maximum"] = *maximum;
  if (!choices.empty()) d["choices"] = choices;
  return d;
}

double draw_number(const nlohmann::json& value, Rng& rng) {
  if (value.is_array()) return rng.uniform(value[0].get<double>(), value[1].get<double>());
  return value.get<double>();
}

std::int64_t draw_integer(const nlohmann::json& value, Rng& rng) {
  if (value.is_array()) return rng.integer(value[0].get<std::int64_t>(), value[1].get<std::int64_t>());
  return value.get<std::int64_t>();
}

}  // namespace augment
