#pragma once
// Numbers as text: one place that decides how a double is printed and parsed, so every CSV and
// JSON file the library writes reads back to exactly the same value.
#include <optional>
#include <string>
#include <string_view>

namespace augment {

/// Shortest text that parses back to exactly `value` ("0.1", "3", "-0.5", "1e-300").
/// NaN prints as "nan" (whatever its sign bit), infinities as "inf" and "-inf".
[[nodiscard]] std::string format_number(double value);

/// Parses a whole field as a double, strictly: leading and trailing spaces/tabs are ignored and
/// one leading '+' is accepted, but anything else left over ("1.5x", "--1") or an empty field
/// gives nullopt, as does a value beyond the range of double ("1e400").
/// "nan", "inf" and "infinity" (any case, optionally signed) parse to their IEEE values; whether
/// they are acceptable is the caller's decision.
[[nodiscard]] std::optional<double> parse_number(std::string_view text);

}  // namespace augment
