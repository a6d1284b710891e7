// tokenize and join: lossless rebuild on hard text, hand-checked word pieces, and every
// boundary of the Unicode 15 WordBreakTest.txt (fixtures/text/word_break_test.txt).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "augment/core/error.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/text/register_transforms.hpp"
#include "augment/text/tokenize.hpp"
#include "augment/text/utf8.hpp"
#include "text_test_helpers.hpp"

using augment::text::tokenize;
using augment::text::Tokens;

namespace {

using text_test::utf8_of;


void check_lossless(const std::string& text, const std::string& locale = "") {
  const Tokens tokens = tokenize(text, locale);
  CHECK(tokens.join() == text);
  std::size_t offset = 0;
  for (const auto& piece : tokens.pieces) {
    CHECK_FALSE(piece.text.empty());
    CHECK(piece.offset == offset);
    CHECK(augment::text::is_valid_utf8(piece.text));
    offset += piece.text.size();
  }
}

std::vector<std::pair<std::string, bool>> pieces(const std::string& text, const std::string& locale = "") {
  std::vector<std::pair<std::string, bool>> out;
  for (const auto& p : tokenize(text, locale).pieces) out.emplace_back(p.text, p.is_word);
  return out;
}

}  // namespace

TEST_CASE("tokenize then join gives the input byte for byte") {
  const std::string family = "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7\xE2\x80\x8D\xF0\x9F\x91\xA6";
  const std::string flags = "\xF0\x9F\x87\xAA\xF0\x9F\x87\xB8\xF0\x9F\x87\xB2\xF0\x9F\x87\xBD";
  const std::vector<std::string> texts = {
      "",
      " ",
      "\xC2\xBFQu\xC3\xA9 tal? \xC2\xA1Muy bien! Ma\xC3\xB1" "ana voy al ping\xC3\xBCino.",
      "  dos\t\ttabs\xC2\xA0nbsp   tres\r\nCRLF\r\n\r\nfin\n",
      "familia " + family + " banderas " + flags + " \xE2\x9D\xA4\xEF\xB8\x8F\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBF!",
      "n\xCC\x83o\xCC\x81 decomposed, a\xCC\x81" "b\xCC\x81" "c",
      "3,5 kg, 1.000.000 \xE2\x82\xAC, 10:30h, e-mail: ana@ejemplo.es, http://x.es/a?b=c",
      "\xE2\x80\x9C" "comillas\xE2\x80\x9D \xC2\xAB" "latinas\xC2\xBB \xE2\x80\x94 guion",
      "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE6\x96\x87\xE7\xAB\xA0",  // 日本語の文章 (dictionary)
      "\xE0\xB8\xA0\xE0\xB8\xB2\xE0\xB8\xA9\xE0\xB8\xB2\xE0\xB9\x84\xE0\xB8\x97\xE0\xB8\xA2",  // ภาษาไทย
      std::string("nul\0inside", 10),
  };
  for (const auto& text : texts) {
    CAPTURE(text);
    check_lossless(text);
    check_lossless(text, "es");
  }
}

TEST_CASE("tokenize: the word pieces of a hand-checked Spanish sentence") {
  using P = std::vector<std::pair<std::string, bool>>;
  CHECK(pieces("\xC2\xBFQu\xC3\xA9 tal, Ana? Tengo 3,5 kg.", "es") ==
        P{{"\xC2\xBF", false}, {"Qu\xC3\xA9", true}, {" ", false}, {"tal", true}, {",", false}, {" ", false},
          {"Ana", true}, {"?", false}, {" ", false}, {"Tengo", true}, {" ", false}, {"3,5", true}, {" ", false},
          {"kg", true}, {".", false}});
  // Spaces of one kind stay one piece (WB3d); emoji and flags are not words and stay whole.
  CHECK(pieces("\xC2\xA1S\xC3\xAD!   \xF0\x9F\x87\xAA\xF0\x9F\x87\xB8\xF0\x9F\x91\x8D") ==
        P{{"\xC2\xA1", false}, {"S\xC3\xAD", true}, {"!", false}, {"   ", false},
          {"\xF0\x9F\x87\xAA\xF0\x9F\x87\xB8", false}, {"\xF0\x9F\x91\x8D", false}});
  // An apostrophe inside letters and a decomposed accent do not cut a word.
  CHECK(pieces("don't ca\xCC\x81" "mara") == P{{"don't", true}, {" ", false}, {"ca\xCC\x81" "mara", true}});
  const Tokens t = tokenize("a b", "", "es");
  CHECK(t.language == "es");
  CHECK(t.pieces[2].offset == 2);
}

TEST_CASE("tokenize cuts at every boundary of the Unicode WordBreakTest") {
  std::ifstream in(std::string(AUGMENT_FIXTURES) + "/text/word_break_test.txt");
  REQUIRE(in);
  std::string line;
  int tests = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto [text, want] = text_test::parse_break_case(line);  // want: where each piece ends
    // ICU's root rules leave the colon out of MidLetter (UAX #29 allows the tailoring: "a:b" is
    // Swedish and Finnish usage, a time or a ratio elsewhere); its "sv" rules keep the default.
    const bool colon = line.find("003A") != std::string::npos || line.find("FE55") != std::string::npos ||
                       line.find("FF1A") != std::string::npos;
    std::vector<std::size_t> got;
    for (const auto& piece : tokenize(text, colon ? "sv" : "").pieces) got.push_back(piece.offset + piece.text.size());
    CAPTURE(line);
    CHECK(got == want);
    ++tests;
  }
  CHECK(tests > 1800);
}

TEST_CASE("tokenize and join as ops") {
  augment::Registry registry;
  augment::text::register_transforms(registry);
  const auto split = augment::Pipeline::from_json({{"kind", "text"}, {"stages", {{{"op", "tokenize"}}}}}, registry);
  CHECK(split.output_kind() == augment::Kind::tokens);
  const std::string text = "\xC2\xBFQu\xC3\xA9?\r\n  \xF0\x9F\x87\xAA\xF0\x9F\x87\xB8 fin";
  augment::Sample sample = augment::text::make_sample(augment::text::Text{text, "es"});
  split.run(sample, augment::Rng(3));
  REQUIRE(sample.kind() == augment::Kind::tokens);
  CHECK(augment::text::tokens_of(sample).language == "es");
  CHECK(augment::text::tokens_of(sample).pieces.size() == 8);  // ¿ Qué ? CRLF spaces flag space fin

  const auto both = augment::Pipeline::from_json(
      {{"kind", "text"}, {"stages", {{{"op", "tokenize"}, {"locale", "es"}}, {{"op", "join"}}}}}, registry);
  CHECK(both.output_kind() == augment::Kind::text);
  sample = augment::text::make_sample(augment::text::Text{text, "es"});
  both.run(sample, augment::Rng(3));
  CHECK(augment::text::text_of(sample).utf8 == text);
  CHECK(augment::text::text_of(sample).language == "es");
  CHECK_THROWS_AS(tokenize("bad\xC0"), augment::UsageError);
}
