#include "augment/core/number_text.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <system_error>

namespace augment {

std::string format_number(double value) {
  // to_chars would print "-nan" for a NaN with the sign bit set; one spelling is simpler to match.
  if (std::isnan(value)) return "nan";
  std::array<char, 32> buffer{};  // the shortest round-trip form of a double needs at most 24
  const auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  if (error != std::errc{}) return "nan";  // unreachable with this buffer size
  return std::string(buffer.data(), end);
}

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<double> parse_number(std::string_view text) {
  text = trim_blanks(text);
  // from_chars takes '-' but not '+'; allow exactly one '+' and not "+-1".
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
    if (!text.empty() && text.front() == '-') return std::nullopt;
  }
  if (text.empty()) return std::nullopt;
  double value = 0.0;
  const char* const end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value, std::chars_format::general);
  if (error != std::errc{} || stop != end) return std::nullopt;
  return value;
}

}  // namespace augment
