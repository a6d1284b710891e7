// Grapheme clusters against hand-checked UAX #29 cases, every line of the Unicode 15
// GraphemeBreakTest.txt (fixtures/text/grapheme_break_test.txt), and a seeded property test over random
// strings with combining marks, ZWJ sequences and regional indicators.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "augment/core/error.hpp"
#include "augment/core/rng.hpp"
#include "augment/text/graphemes.hpp"
#include "augment/text/utf8.hpp"
#include "text_test_helpers.hpp"

using augment::text::grapheme_clusters;
using augment::text::grapheme_count;

namespace {

using text_test::utf8_of;

std::vector<std::string> strings(std::string_view text) {
  std::vector<std::string> out;
  for (const auto piece : grapheme_clusters(text)) out.emplace_back(piece);
  return out;
}


}  // namespace

TEST_CASE("grapheme clusters keep accents, ZWJ emoji, flags and CRLF whole") {
  CHECK(strings("") == std::vector<std::string>{});
  CHECK(strings("ab") == std::vector<std::string>{"a", "b"});
  CHECK(strings("\xC3\xA1") == std::vector<std::string>{"\xC3\xA1"});              // á precomposed
  CHECK(strings("a\xCC\x81x") == std::vector<std::string>{"a\xCC\x81", "x"});      // a + U+0301
  CHECK(strings("n\xCC\x83o") == std::vector<std::string>{"n\xCC\x83", "o"});      // n + U+0303
  const std::string family = "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7";  // 👨‍👩‍👧
  CHECK(strings(family + "!") == std::vector<std::string>{family, "!"});
  const std::string spain = "\xF0\x9F\x87\xAA\xF0\x9F\x87\xB8";   // 🇪🇸
  const std::string mexico = "\xF0\x9F\x87\xB2\xF0\x9F\x87\xBD";  // 🇲🇽
  CHECK(strings(spain + mexico) == std::vector<std::string>{spain, mexico});
  const std::string thumbs_dark = "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBF";  // 👍🏿 (skin-tone modifier)
  CHECK(strings(thumbs_dark) == std::vector<std::string>{thumbs_dark});
  CHECK(strings("a\r\nb") == std::vector<std::string>{"a", "\r\n", "b"});
  CHECK(grapheme_count("n\xCC\x83" + family + spain) == 3);
}

TEST_CASE("grapheme clusters reject invalid UTF-8 with its offset") {
  CHECK_THROWS_WITH_AS(grapheme_clusters("ab\xFF"), "graphemes: invalid UTF-8 at byte 2", augment::UsageError);
}

TEST_CASE("grapheme clusters of random Unicode strings rebuild the input") {
  // Pools that stress the rules: bases, combining marks (Mn), ZWJ, emoji, modifiers, regional
  // indicators, Hangul jamo, CR/LF, variation selectors, and a 4-byte CJK letter.
  const std::vector<char32_t> pool = {
      U'a', U'n', U' ', U'\r', U'\n', U'\t', 0xA0, 0xF1, 0xE1, 0x301, 0x303, 0x308, 0x327, 0x200D, 0xFE0F,
      0x1F468, 0x1F469, 0x1F467, 0x1F44D, 0x1F3FF, 0x1F1EA, 0x1F1F8, 0x1F1F2, 0x2764, 0x1100, 0x1161, 0x11A8,
      0xAC00, 0x0915, 0x094D, 0x0937, 0x20000, 0xBF, 0xA1, 0x3000, 0xFFFD};
  augment::Rng rng(20240611);
  for (int round = 0; round < 500; ++round) {
    std::string text;
    const auto length = rng.integer(0, 40);
    for (std::int64_t i = 0; i < length; ++i) text += utf8_of(pool[rng.index(pool.size())]);
    const auto clusters = grapheme_clusters(text);
    std::string rebuilt;
    std::size_t next = 0;
    for (const auto c : clusters) {
      CHECK_FALSE(c.empty());
      CHECK(augment::text::is_valid_utf8(c));
      CHECK(c.data() == text.data() + next);  // views into the input, in order, contiguous
      next += c.size();
      rebuilt += c;
    }
    CHECK(rebuilt == text);
    CHECK(grapheme_count(text) == clusters.size());
  }
}

TEST_CASE("grapheme clusters break where the Unicode GraphemeBreakTest says") {
  std::ifstream in(std::string(AUGMENT_FIXTURES) + "/text/grapheme_break_test.txt");
  REQUIRE(in);
  std::string line;
  int tests = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto [text, want] = text_test::parse_break_case(line);  // want: where each cluster ends
    std::vector<std::size_t> got;
    std::size_t end = 0;
    for (const auto c : grapheme_clusters(text)) got.push_back(end += c.size());
    CAPTURE(line);
    CHECK(got == want);
    ++tests;
  }
  CHECK(tests > 600);
}
