// char_insert / char_substitute / char_delete / char_swap, the shared edit engine and edit
// counts; plus the cluster property test over random Unicode for every character-level op.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/error.hpp"
#include "augment/core/registry.hpp"
#include "augment/text/char_edits.hpp"
#include "augment/text/edit_count.hpp"
#include "augment/text/graphemes.hpp"
#include "augment/text/keyboard_typo.hpp"
#include "augment/text/ocr_error.hpp"
#include "augment/text/register_transforms.hpp"
#include "augment/text/text.hpp"
#include "augment/text/utf8.hpp"
#include "text_test_helpers.hpp"

using namespace augment::text;
using augment::Rng;
using nlohmann::json;

namespace {


std::unique_ptr<augment::Transform> make_op(const std::string& name, const json& params) {
  return text_test::make_op(name, augment::Kind::text, params);
}

struct Result {
  json params;
  std::string text;
};

Result run(const augment::Transform& op, const std::string& input, std::uint64_t seed, const std::string& lang = "es") {
  augment::Sample s = make_sample(Text{input, lang});
  Rng rng(seed);
  Result r{op.draw(rng, s), ""};
  op.apply(s, r.params);
  r.text = text_of(s).utf8;
  return r;
}

std::vector<std::string> clusters_of(const std::string& s) {
  std::vector<std::string> out;
  for (auto c : grapheme_clusters(s)) out.emplace_back(c);
  return out;
}

// Random text from pieces that stress cluster boundaries.
std::string random_text(Rng& rng) {
  static const std::vector<std::string> pieces = {
      "a", "b", "e", "o", "r", "n", "m", "l", "c", "d", "i", "S", "O", "G", "0", "1", "5", "7", " ", " ", ",",
      ".", "¿", "!", "-", "'", "\n", "\r\n", "\t",
      "á", "é", "í", "ó", "ú", "ñ", "ü", "Á", "Ñ",                                   // Spanish, NFC
      "a\u0301", "n\u0303", "u\u0308", "E\u0301", "o\u0301\u0323", "\u0301",           // NFD, stacked, orphan mark
      "👨\u200D👩\u200D👧", "👩🏽\u200D💻", "❤\uFE0F", "\u200D", "🇪🇸", "🇺🇸", "🇪", "🇸",  // ZWJ, flags, lone RIs
      "한", "\u1100", "\u1161", "漢", "क्ष", "ب", "\u0600"};                            // Hangul jamo, Indic, Prepend
  std::string s;
  const auto n = rng.integer(0, 40);
  for (std::int64_t i = 0; i < n; ++i) s += pieces[rng.index(pieces.size())];
  return s;
}

}  // namespace

TEST_CASE("apply_edits works on clusters: NFD letters and emoji stay whole") {
  const std::string text = "an\u0303o 👨\u200D👩\u200D👧";  // a, ñ (NFD), o, space, family
  const auto c = grapheme_clusters(text);
  REQUIRE(c.size() == 5);
  const std::vector<CharEdit> edits = {{1, EditOp::substitute, "x"}, {3, EditOp::insert, "!"}};
  CHECK(apply_edits(c, edits) == "axo! 👨\u200D👩\u200D👧");
  CHECK(apply_edits(c, std::vector<CharEdit>{{0, EditOp::swap, ""}}) == "n\u0303ao 👨\u200D👩\u200D👧");
  CHECK(apply_edits(c, std::vector<CharEdit>{{4, EditOp::erase, ""}}) == "an\u0303o ");
  CHECK(apply_edits(c, std::vector<CharEdit>{{0, EditOp::substitute, "m", 2}}) == "mo 👨\u200D👩\u200D👧");
  CHECK(apply_edits(c, std::vector<CharEdit>{{5, EditOp::insert, "z"}}) == text + "z");
}

TEST_CASE("apply_edits rejects out of range, overlapping and malformed edits") {
  const auto c = grapheme_clusters("abcd");
  CHECK_THROWS_AS(apply_edits(c, std::vector<CharEdit>{{4, EditOp::substitute, "x"}}), augment::UsageError);
  CHECK_THROWS_AS(apply_edits(c, std::vector<CharEdit>{{3, EditOp::swap, ""}}), augment::UsageError);
  CHECK_THROWS_AS(apply_edits(c, std::vector<CharEdit>{{0, EditOp::swap, ""}, {1, EditOp::erase, ""}}),
                  augment::UsageError);
  CHECK_THROWS_AS(apply_edits(c, std::vector<CharEdit>{{0, EditOp::substitute, "x", 3}, {2, EditOp::insert, "y"}}),
                  augment::UsageError);
  CHECK_THROWS_AS(apply_edits(c, std::vector<CharEdit>{{0, EditOp::substitute, "\xC3"}}), augment::UsageError);
  CHECK_THROWS_AS(edits_from_json(json{{"edits", {{0, "rotate", "x"}}}}), augment::UsageError);
  CHECK_THROWS_AS(edits_from_json(json{{"edits", {{-1, "insert", "x"}}}}), augment::UsageError);
  CHECK_THROWS_AS(edits_from_json(json{{"edits", {{0, "insert"}}}}), augment::UsageError);
  CHECK_THROWS_AS(edits_from_json(json{{"moves", json::array()}}), augment::UsageError);
}

TEST_CASE("invalid UTF-8 input is a UsageError naming the byte offset") {
  const auto op = make_op("char_delete", {});
  augment::Sample s = make_sample(Text{"ab\xE2\x82z", "es"});
  Rng rng(1);
  try {
    (void)op->draw(rng, s);
    FAIL("no error");
  } catch (const augment::UsageError& e) {
    CHECK(std::string(e.what()).find("char_delete") != std::string::npos);
    CHECK(std::string(e.what()).find("byte 2") != std::string::npos);
  }
  CHECK_THROWS_AS(op->apply(s, json{{"edits", json::array()}}), augment::UsageError);
}

TEST_CASE("bad params are rejected") {
  const augment::OpInfo* info = text_test::registry().find("char_insert", augment::Kind::text);
  REQUIRE(info != nullptr);
  CHECK_THROWS_AS(info->resolve({{"unit_p", 1.5}}), std::invalid_argument);
  CHECK_THROWS_AS(info->resolve({{"unit_p", {0.5, 0.1}}}), std::invalid_argument);
  CHECK_THROWS_AS(info->resolve({{"min", 5}, {"max", 2}}), std::invalid_argument);
  CHECK_THROWS_AS(info->resolve({{"min_word_length", 0}}), std::invalid_argument);
  CHECK_THROWS_AS(info->resolve({{"alphabet", ""}}), std::invalid_argument);
  CHECK_THROWS_AS(info->resolve({{"alphabet", "ab\xFF"}}), std::invalid_argument);
  CHECK_THROWS_AS(info->resolve({{"skip_words", 3}}), std::invalid_argument);
  CHECK_THROWS_AS(info->resolve({{"typo", 1}}), std::invalid_argument);
  CHECK_THROWS_AS(text_test::registry().find("keyboard_typo")->resolve({{"layout", "fr-FR"}}), std::invalid_argument);
  CHECK_NOTHROW(info->resolve({{"unit_p", {0.1, 0.3}}, {"alphabet", "xyzñ"}, {"skip_words", "el, la"}}));
}

TEST_CASE("edit counts follow p, min and max") {
  EditCountOptions o;
  Rng rng(7);
  o.p = 0, o.min = 2, o.max = 10;
  CHECK(draw_edit_count(rng, o, 50) == 2);
  CHECK(draw_edit_count(rng, o, 1) == 1);  // never more than there are units
  o.p = 1, o.min = 0, o.max = 4;
  CHECK(draw_edit_count(rng, o, 50) == 4);
  o.p = 0.3, o.min = 0, o.max = 1000;
  double sum = 0;
  for (int i = 0; i < 4000; ++i) sum += static_cast<double>(draw_edit_count(rng, o, 100));
  CHECK(sum / 4000 == doctest::Approx(30.0).epsilon(0.02));
  o.min = 25, o.max = 32;
  for (int i = 0; i < 500; ++i) {
    const auto k = draw_edit_count(rng, o, 100);
    CHECK((k >= 25 && k <= 32));
  }
}

TEST_CASE("through the op, the number of edits respects p, min and max") {
  const std::string text = "Los murciélagos vuelan sobre el campanario cuando anochece en la ciudad";
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    CHECK(run(*make_op("char_substitute", {{"unit_p", 0.0}, {"min", 3}, {"max", 5}}), text, seed).params["edits"].size() == 3);
    CHECK(run(*make_op("char_substitute", {{"unit_p", 1.0}, {"min", 0}, {"max", 5}}), text, seed).params["edits"].size() == 5);
    const auto k = run(*make_op("char_delete", {{"unit_p", 0.2}, {"min", 2}, {"max", 8}}), text, seed).params["edits"].size();
    CHECK((k >= 2 && k <= 8));
  }
  CHECK(run(*make_op("char_delete", {{"unit_p", 0.0}, {"min", 0}}), text, 3).text == text);
}

TEST_CASE("eligibility: short words, skip words (case-insensitive), digits, punctuation and emoji") {
  const auto all = [](json extra) {
    json p = {{"unit_p", 1.0}, {"max", 1000}};
    if (extra.is_object()) p.update(extra);
    return make_op("char_delete", p);
  };
  // Every eligible letter deleted shows exactly what was eligible.
  CHECK(run(*all({}), "el gato, 25 años 🇪🇸!", 1).text == "el , 25  🇪🇸!");
  CHECK(run(*all({{"min_word_length", 5}}), "el gato corre", 1).text == "el gato ");
  CHECK(run(*all({{"min_word_length", 1}, {"skip_words", "EL, Año"}}), "El gato del año", 1).text == "El   año");
  // The skip word given precomposed matches the text's decomposed form.
  CHECK(run(*all({{"skip_words", "año"}}), "an\u0303o", 1).text == "an\u0303o");
  CHECK(run(*all({{"digits", true}}), "abc 12345 x1y2z", 1).text == "  ");
  // Digits are not eligible by default, but count towards a word's length.
  CHECK(run(*all({}), "a1b 12345", 1).text == "1 12345");
}

TEST_CASE("char_substitute and char_insert use the alphabet, in the letter's case") {
  const auto sub = make_op("char_substitute", {{"unit_p", 1.0}, {"max", 100}, {"alphabet", "xy"}});
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const auto r = run(*sub, "GATO gato", seed);
    for (const auto& e : r.params["edits"]) {
      const std::string rep = e[2].get<std::string>();
      const bool upper = e[0].get<int>() < 4;
      CHECK((upper ? (rep == "X" || rep == "Y") : (rep == "x" || rep == "y")));
    }
  }
  // Never the letter itself: with a two-letter alphabet "x" always becomes "y".
  CHECK(run(*sub, "xxx", 5).text == "yyy");
  // Spanish texts draw from a-z plus ñ á é í ó ú ü, others from a-z.
  const auto ins = make_op("char_insert", {{"unit_p", 1.0}, {"max", 1000}});
  std::set<std::string> es, en;
  for (std::uint64_t seed = 0; seed < 40; ++seed) {
    const auto in_es = run(*ins, "palabra larga", seed, "es"), in_en = run(*ins, "palabra larga", seed, "en");
    for (const auto& e : in_es.params["edits"]) es.insert(e[2].get<std::string>());
    for (const auto& e : in_en.params["edits"]) en.insert(e[2].get<std::string>());
  }
  const std::set<std::string> spanish_extra = {"ñ", "á", "é", "í", "ó", "ú", "ü"};
  CHECK(std::any_of(es.begin(), es.end(), [&](const std::string& s) { return spanish_extra.contains(s); }));
  CHECK(std::none_of(en.begin(), en.end(), [&](const std::string& s) { return spanish_extra.contains(s); }));
  for (const auto& s : en) CHECK((s.size() == 1 && s[0] >= 'a' && s[0] <= 'z'));
}

TEST_CASE("char_swap swaps adjacent letters of one word, never equal ones") {
  const auto op = make_op("char_swap", {{"unit_p", 1.0}, {"max", 100}});
  for (std::uint64_t seed = 0; seed < 30; ++seed) {
    const auto r = run(*op, "ab cd llama", seed);
    for (const auto& e : r.params["edits"]) {
      const int i = e[0].get<int>();
      CHECK(i != 1);  // b|space
      CHECK(i != 6);  // l|l
      CHECK(e[1] == "swap");
    }
    CHECK(grapheme_count(r.text) == grapheme_count("ab cd llama"));
  }
}

TEST_CASE("draw is deterministic and a recorded draw replays") {
  const std::string text = "¿Dónde está el niño? Ayer compró 3 libros 📚 en la librería.";
  for (const char* name : {"char_insert", "char_substitute", "char_delete", "char_swap", "keyboard_typo", "ocr_error"}) {
    CAPTURE(name);
    const auto op = make_op(name, {{"unit_p", 0.3}});
    const auto a = run(*op, text, 42), b = run(*op, text, 42), c = run(*op, text, 43);
    CHECK(a.params == b.params);
    CHECK(a.text == b.text);
    CHECK(a.params != c.params);
    // Replay from the recorded JSON text, on a fresh sample.
    augment::Sample s = make_sample(Text{text, "es"});
    op->apply(s, json::parse(a.params.dump()));
    CHECK(text_of(s).utf8 == a.text);
    CHECK(a.text != text);
  }
}

TEST_CASE("no op splits a cluster or breaks UTF-8, over random Unicode text") {
  Rng gen(2024);
  const std::vector<std::pair<std::string, json>> ops = {
      {"char_insert", {{"unit_p", 0.5}, {"min_word_length", 1}}},
      {"char_insert", {{"unit_p", 0.5}, {"min_word_length", 1}, {"alphabet", "ab́ñ👍"}}},
      {"char_substitute", {{"unit_p", 0.5}, {"min_word_length", 1}, {"digits", true}}},
      {"char_delete", {{"unit_p", 0.7}, {"min_word_length", 1}, {"max", 100}}},
      {"char_swap", {{"unit_p", 0.7}, {"min_word_length", 1}, {"max", 100}}},
      {"keyboard_typo", {{"unit_p", 0.7}, {"min_word_length", 1}, {"layout", "es-ES"}, {"max", 100}}},
      {"keyboard_typo", {{"unit_p", 0.7}, {"min_word_length", 1}, {"layout", "en-US"}, {"digits", true}}},
      {"ocr_error", {{"unit_p", 0.7}, {"min_word_length", 1}, {"max", 100}}},
  };
  std::size_t edits = 0;
  for (const auto& [name, params] : ops) {
    CAPTURE(name);
    CAPTURE(params.dump());
    const auto op = make_op(name, params);
    for (int i = 0; i < 300; ++i) {
      const std::string input = random_text(gen);
      CAPTURE(input);
      const auto r = run(*op, input, gen.next_u64());
      REQUIRE(is_valid_utf8(r.text));
      std::set<std::string> allowed;
      for (const auto& c : clusters_of(input)) allowed.insert(c);
      for (const auto& e : r.params["edits"]) {
        ++edits;
        for (const auto& c : clusters_of(e[2].get<std::string>())) allowed.insert(c);
      }
      for (const auto& c : clusters_of(r.text)) {
        CAPTURE(c);
        CHECK(allowed.contains(c));
      }
      // Cluster counts add up: nothing merged with a neighbour.
      std::int64_t expect = static_cast<std::int64_t>(grapheme_count(input));
      for (const auto& e : r.params["edits"]) {
        const auto rep = static_cast<std::int64_t>(grapheme_count(e[2].get<std::string>()));
        const std::int64_t len = e.size() == 4 ? e[3].get<std::int64_t>() : 1;
        if (e[1] == "insert") expect += rep;
        else if (e[1] == "substitute") expect += rep - len;
        else if (e[1] == "delete") expect -= 1;
      }
      CHECK(static_cast<std::int64_t>(grapheme_count(r.text)) == expect);
    }
  }
  CHECK(edits > 1000);
}

TEST_CASE("an edit that would glue neighbours into a new cluster is not drawn") {
  CHECK(clusters_join("🇪", "🇸"));
  CHECK(clusters_join("👨\u200D", "👩"));
  CHECK(clusters_join("a", "\u0301"));
  CHECK_FALSE(clusters_join("a", "b"));
  CHECK_FALSE(clusters_join("🇪🇸", "a"));
  // Deleting the x would make a flag of the two lone regional indicators.
  const auto op = make_op("char_delete", {{"unit_p", 1.0}, {"min_word_length", 1}});
  for (std::uint64_t seed = 0; seed < 10; ++seed) CHECK(run(*op, "🇪x🇸", seed).text == "🇪x🇸");
}
