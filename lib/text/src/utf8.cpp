#include "augment/text/utf8.hpp"

#include <cstdint>

#include <unicode/utf8.h>

#include "augment/core/error.hpp"

namespace augment::text {
namespace {

// U8_NEXT works on int32_t indexes; longer inputs are walked in windows that end on a
// character boundary of valid text (a window never splits a well-formed sequence: we stop
// at most 3 bytes early when a lead byte sits near the end).
constexpr std::size_t window = std::size_t{1} << 30;

}  // namespace

std::optional<std::size_t> first_invalid_utf8(std::string_view bytes) {
  const auto* s = reinterpret_cast<const std::uint8_t*>(bytes.data());
  std::size_t base = 0;
  while (base < bytes.size()) {
    const std::size_t rest = bytes.size() - base;
    const auto length = static_cast<std::int32_t>(rest < window ? rest : window);
    const std::int32_t stop = rest <= window ? length : length - 4;  // leave room for a whole sequence
    std::int32_t i = 0;
    while (i < stop) {
      const std::int32_t start = i;
      UChar32 c;
      U8_NEXT(s + base, i, length, c);
      if (c < 0) return base + static_cast<std::size_t>(start);
    }
    base += static_cast<std::size_t>(i);
  }
  return std::nullopt;
}

std::string repair_utf8(std::string_view bytes) {
  if (!first_invalid_utf8(bytes)) return std::string(bytes);
  std::string out;
  out.reserve(bytes.size() + 8);
  const auto* s = reinterpret_cast<const std::uint8_t*>(bytes.data());
  std::size_t base = 0;
  while (base < bytes.size()) {
    const std::size_t rest = bytes.size() - base;
    const auto length = static_cast<std::int32_t>(rest < window ? rest : window);
    const std::int32_t stop = rest <= window ? length : length - 4;
    std::int32_t i = 0;
    while (i < stop) {
      const std::int32_t start = i;
      UChar32 c;
      U8_NEXT(s + base, i, length, c);
      if (c < 0)
        out += "\xEF\xBF\xBD";  // U8_NEXT already skipped the maximal ill-formed subpart
      else
        out.append(bytes.substr(base + static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
    }
    base += static_cast<std::size_t>(i);
  }
  return out;
}

void require_utf8(std::string_view text, std::string_view what) {
  if (const auto bad = first_invalid_utf8(text))
    throw UsageError(std::string(what) + ": invalid UTF-8 at byte " + std::to_string(*bad));
}

}  // namespace augment::text
