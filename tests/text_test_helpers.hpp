#pragma once
// Test helper: the text module's registry, its ops built from JSON settings, and a UTF-8
// encoder of the tests' own (independent of the library and ICU).
#include <doctest/doctest.h>

#include <cstddef>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "augment/core/registry.hpp"
#include "augment/text/register_transforms.hpp"

namespace text_test {

inline const augment::Registry& registry() {
  static const augment::Registry r = augment::make_registry({augment::text::register_transforms});
  return r;
}

/// The op `name` taking `kind`, with `params` validated and defaults filled as a stage gets them.
inline std::unique_ptr<augment::Transform> make_op(const std::string& name, augment::Kind kind,
                                                   const nlohmann::json& params) {
  const augment::OpInfo* info = registry().find(name, kind);
  REQUIRE(info != nullptr);
  return info->create(*info, info->resolve(params));
}

/// One code point as UTF-8.
inline std::string utf8_of(char32_t c) {
  std::string s;
  if (c < 0x80) {
    s += static_cast<char>(c);
  } else if (c < 0x800) {
    s += static_cast<char>(0xC0 | (c >> 6));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    s += static_cast<char>(0xE0 | (c >> 12));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (c >> 18));
    s += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  }
  return s;
}

/// One line of Unicode's GraphemeBreakTest.txt / WordBreakTest.txt ("÷ 0061 × 0308 ÷"): the
/// text it spells, and the byte offsets where a piece ends (÷ after a code point).
struct BreakCase {
  std::string text;
  std::vector<std::size_t> breaks;
};

inline BreakCase parse_break_case(const std::string& line) {
  BreakCase out;
  std::istringstream fields(line);
  for (std::string field; fields >> field;) {
    if (field == "\xC3\xB7") {  // ÷ a break
      if (!out.text.empty()) out.breaks.push_back(out.text.size());
    } else if (field != "\xC3\x97") {  // × no break; else a code point in hex
      out.text += utf8_of(static_cast<char32_t>(std::stoul(field, nullptr, 16)));
    }
  }
  return out;
}

}  // namespace text_test
