// UTF-8 validation and repair on crafted byte strings: the offsets and replacements follow the
// Unicode standard's table 3-7 and its "maximal subpart" practice (chapter 3.9, U+FFFD
// substitution), worked out by hand here.
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "augment/core/error.hpp"
#include "augment/text/utf8.hpp"

using augment::text::first_invalid_utf8;
using augment::text::repair_utf8;

namespace {
const std::string fffd = "\xEF\xBF\xBD";
}

TEST_CASE("valid UTF-8 has no invalid offset") {
  CHECK(first_invalid_utf8("") == std::nullopt);
  CHECK(first_invalid_utf8("plain") == std::nullopt);
  CHECK(first_invalid_utf8(std::string("a\0b", 3)) == std::nullopt);  // NUL is U+0000
  CHECK(first_invalid_utf8("a\xC3\xB1o \xE2\x82\xAC \xF0\x9F\x87\xAA\xF0\x9F\x87\xB8") == std::nullopt);
  CHECK(first_invalid_utf8("\xED\x9F\xBF") == std::nullopt);      // U+D7FF, just below the surrogates
  CHECK(first_invalid_utf8("\xEE\x80\x80") == std::nullopt);      // U+E000, just above
  CHECK(first_invalid_utf8("\xF4\x8F\xBF\xBF") == std::nullopt);  // U+10FFFF, the last code point
  CHECK(augment::text::is_valid_utf8("\xEF\xBB\xBFx"));           // a BOM is a valid U+FEFF
}

TEST_CASE("invalid UTF-8 is reported at the first byte of the bad sequence") {
  CHECK(first_invalid_utf8("ab\x80") == 2);                  // stray continuation byte
  CHECK(first_invalid_utf8("\xC0\xAF") == 0);                // overlong "/"
  CHECK(first_invalid_utf8("x\xE0\x80\xAF") == 1);           // overlong 3-byte "/"
  CHECK(first_invalid_utf8("xy\xF0\x80\x80\xAF") == 2);      // overlong 4-byte "/"
  CHECK(first_invalid_utf8("\xC3\xB1\xED\xA0\x80") == 2);    // U+D800, a surrogate
  CHECK(first_invalid_utf8("\xED\xBF\xBF") == 0);            // U+DFFF
  CHECK(first_invalid_utf8("a\xF4\x90\x80\x80") == 1);       // above U+10FFFF
  CHECK(first_invalid_utf8("abc\xE2\x82") == 3);             // truncated at the end
  CHECK(first_invalid_utf8("a\xE2\x82z") == 1);              // truncated in the middle
  CHECK(first_invalid_utf8("\xF0\x9F\x98") == 0);            // 3 of an emoji's 4 bytes
  CHECK(first_invalid_utf8("ok\xFF") == 2);                  // never a UTF-8 byte
  CHECK(first_invalid_utf8("ok\xF5\x80\x80\x80") == 2);      // F5 would start > U+10FFFF
}

TEST_CASE("repair replaces each maximal ill-formed subpart with one U+FFFD") {
  CHECK(repair_utf8("a\xC3\xB1o") == "a\xC3\xB1o");
  CHECK(repair_utf8("ab\x80") == "ab" + fffd);
  CHECK(repair_utf8("a\xE2\x82z") == "a" + fffd + "z");          // one for the truncated sequence
  CHECK(repair_utf8("\xC0\xAF") == fffd + fffd);                  // C0 starts nothing: two
  CHECK(repair_utf8("\xED\xA0\x80") == fffd + fffd + fffd);       // ED A0 is ill-formed at A0: three
  CHECK(repair_utf8("\xF0\x9F\x98" "!") == fffd + "!");
  CHECK(repair_utf8("\xF4\x90\x80\x80") == fffd + fffd + fffd + fffd);
  CHECK(augment::text::is_valid_utf8(repair_utf8("\xFF\xFE\x80\xC3")));
}

TEST_CASE("require_utf8 names what and where") {
  CHECK_NOTHROW(augment::text::require_utf8("fine", "op"));
  CHECK_THROWS_WITH_AS(augment::text::require_utf8("bad\xC3", "tokenize"), "tokenize: invalid UTF-8 at byte 3",
                       augment::UsageError);
}
