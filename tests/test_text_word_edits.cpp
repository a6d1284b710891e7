// word_swap / word_delete / word_insert / word_crop: hand cases, spacing, counts and
// eligibility, determinism and replay, bad params.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/error.hpp"
#include "augment/core/registry.hpp"
#include "augment/text/register_transforms.hpp"
#include "augment/text/text.hpp"
#include "augment/text/tokenize.hpp"
#include "augment/text/utf8.hpp"
#include "augment/text/word_edits.hpp"
#include "text_test_helpers.hpp"

using namespace augment::text;
using augment::Rng;
using nlohmann::json;

namespace {

std::unique_ptr<augment::Transform> make_op(const std::string& name, const json& params = json::object()) {
  const augment::OpInfo* info = text_test::registry().find(name, augment::Kind::tokens);
  REQUIRE(info != nullptr);
  return info->create(*info, info->resolve(params));
}

struct Result {
  json params;
  Tokens tokens;
  std::string text() const { return tokens.join(); }
};

Result run(const augment::Transform& op, const std::string& input, std::uint64_t seed, const std::string& lang = "es") {
  augment::Sample s = make_sample(tokenize(input, "", lang));
  Rng rng(seed);
  Result r{op.draw(rng, s), {}};
  op.apply(s, r.params);
  r.tokens = tokens_of(s);
  return r;
}

std::string apply_params(const std::string& name, const std::string& input, const json& params) {
  const auto op = make_op(name);
  augment::Sample s = make_sample(tokenize(input, "", "es"));
  op->apply(s, params);
  return tokens_of(s).join();
}

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> out;
  for (const Token& t : tokenize(text).pieces)
    if (t.is_word) out.push_back(t.text);
  return out;
}

std::map<std::string, int> bag(const std::vector<std::string>& words) {
  std::map<std::string, int> out;
  for (const auto& w : words) ++out[w];
  return out;
}

bool sane_spacing(const std::string& s) {
  return s.find("  ") == std::string::npos && (s.empty() || (s.front() != ' ' && s.back() != ' '));
}

const std::vector<std::string> kTexts = {
    "el perro come pan en la casa",
    "Hola, buen día. ¿Qué tal estás?",
    "The quick brown fox jumps over the lazy dog.",
    "uno dos\ntres cuatro\ncinco",
    "año niño café 25 mp3 (entre paréntesis) fin",
    "solo",
    "",
    "...!!",
};

}  // namespace

TEST_CASE("word_swap hand cases keep spacing and punctuation in place") {
  CHECK(apply_params("word_swap", "el perro come", {{"swaps", {{0, 2}}}}) == "perro el come");
  CHECK(apply_params("word_swap", "hola, buen día", {{"swaps", {{0, 3}}}}) == "buen, hola día");
  CHECK(apply_params("word_swap", "a b c d", {{"swaps", {{0, 2}, {4, 6}}}}) == "b a d c");
  CHECK(apply_params("word_swap", "el perro", {{"swaps", json::array()}}) == "el perro");
}

TEST_CASE("word_delete hand cases never leave double spaces nor join lines") {
  CHECK(apply_params("word_delete", "el perro come.", {{"delete", {2}}}) == "el come.");
  CHECK(apply_params("word_delete", "el perro come.", {{"delete", {4}}}) == "el perro.");
  CHECK(apply_params("word_delete", "el perro come", {{"delete", {0}}}) == "perro come");
  CHECK(apply_params("word_delete", "el perro come", {{"delete", {0, 2, 4}}}) == "");
  CHECK(apply_params("word_delete", "fin de\nlínea", {{"delete", {2}}}) == "fin\nlínea");
  CHECK(apply_params("word_delete", "a b c d", {{"delete", {2, 4}}}) == "a d");
}

TEST_CASE("word_insert hand cases") {
  CHECK(apply_params("word_insert", "el perro come", {{"inserts", {{2, "perro", "after"}}}}) == "el perro perro come");
  CHECK(apply_params("word_insert", "el perro come", {{"inserts", {{0, "gato", "before"}}}}) == "gato el perro come");
  CHECK(apply_params("word_insert", "(perro)", {{"inserts", {{1, "gato", "before"}, {1, "sol", "after"}}}}) ==
        "(gato perro sol)");
}

TEST_CASE("word_crop hand cases") {
  CHECK(apply_params("word_crop", "el perro come pan.", {{"begin", 2}, {"end", 5}}) == "perro come");
  CHECK(apply_params("word_crop", "el perro", {{"begin", 0}, {"end", 3}}) == "el perro");
}

TEST_CASE("inserted and moved pieces carry the right offsets") {
  const auto op = make_op("word_insert");
  augment::Sample s = make_sample(tokenize("el perro", "", "es"));
  op->apply(s, {{"inserts", {{2, "gato", "after"}}}});
  const auto& p = tokens_of(s).pieces;
  REQUIRE(p.size() == 5);
  CHECK(p[2].offset == 3);
  CHECK(p[3].offset == Token::no_offset);
  CHECK(p[4].offset == Token::no_offset);
  CHECK(p[4].is_word);
}

TEST_CASE("random edits keep UTF-8, sane spacing and the words they may") {
  for (const std::string& text : kTexts) {
    const auto in = bag(words_of(text));
    for (std::uint64_t seed = 0; seed < 40; ++seed) {
      const json all = {{"unit_p", 0.5}, {"max", 100}};
      const Result sw = run(*make_op("word_swap", all), text, seed);
      CHECK(is_valid_utf8(sw.text()));
      CHECK(bag(words_of(sw.text())) == in);  // a permutation of the words
      CHECK(sw.text().size() == text.size());

      const Result del = run(*make_op("word_delete", all), text, seed);
      CHECK(is_valid_utf8(del.text()));
      if (sane_spacing(text)) CHECK(sane_spacing(del.text()));
      const std::string deleted = del.text();
      CHECK(std::count(deleted.begin(), deleted.end(), '\n') == std::count(text.begin(), text.end(), '\n'));
      for (const auto& [w, n] : bag(words_of(del.text()))) CHECK(n <= in.at(w));

      const Result ins = run(*make_op("word_insert", all), text, seed);
      CHECK(is_valid_utf8(ins.text()));
      for (const auto& [w, n] : bag(words_of(ins.text()))) CHECK(in.contains(w));

      const Result crop = run(*make_op("word_crop"), text, seed);
      CHECK(text.find(crop.text()) != std::string::npos);  // a contiguous part of the text
      const auto kept = words_of(crop.text()).size(), all_words = words_of(text).size();
      if (all_words > 0) {
        CHECK(kept >= 1);
        CHECK(2 * kept + 1 >= all_words);  // fraction >= 0.5, rounded
      }
    }
  }
}

TEST_CASE("counts respect min and max and eligibility") {
  const std::string text = "el perro come pan en la casa de mi tía";  // 10 words
  for (std::uint64_t seed = 0; seed < 30; ++seed) {
    const Result r = run(*make_op("word_delete", {{"unit_p", 1.0}, {"min", 0}, {"max", 3}}), text, seed);
    CHECK(r.params["delete"].size() == 3);
    const Result none = run(*make_op("word_delete", {{"unit_p", 0.0}, {"min", 0}}), text, seed);
    CHECK(none.text() == text);
    const Result two = run(*make_op("word_delete", {{"unit_p", 0.0}, {"min", 2}, {"max", 2}}), text, seed);
    CHECK(two.params["delete"].size() == 2);
    // Short words and stop words are not eligible: only perro, come, casa (4+ letters, not stop words).
    const Result some =
        run(*make_op("word_delete", {{"unit_p", 1.0}, {"max", 100}, {"min_word_length", 4}, {"skip_stopwords", true}}),
            text, seed);
    CHECK(some.text() == "el pan en la de mi tía");
    const Result skip = run(*make_op("word_delete", {{"unit_p", 1.0}, {"max", 100}, {"skip_words", "PERRO, pan"}}), text, seed);
    CHECK(skip.text() == "perro pan");
    const Result digits = run(*make_op("word_delete", {{"unit_p", 1.0}, {"max", 100}}), "tengo 25 años", seed);
    CHECK(digits.text() == "25");
    const Result swaps = run(*make_op("word_swap", {{"unit_p", 1.0}, {"max", 100}}), text, seed);
    // Disjoint pairs of neighbours among 10 words: a maximal set of them has 3 to 5.
    CHECK(swaps.params["swaps"].size() >= 3);
    CHECK(swaps.params["swaps"].size() <= 5);
    const Result ins = run(*make_op("word_insert", {{"unit_p", 1.0}, {"min", 0}, {"max", 4}, {"words", "sol luna"}}), text, seed);
    CHECK(ins.params["inserts"].size() == 4);
    for (const auto& e : ins.params["inserts"]) CHECK((e[1] == "sol" || e[1] == "luna"));
  }
}

TEST_CASE("skip_stopwords reads the sample language or the param") {
  const auto op = make_op("word_delete", {{"unit_p", 1.0}, {"max", 100}, {"skip_stopwords", true}});
  CHECK(run(*op, "the cat and the dog", 1, "en").text() == "the and the");
  CHECK_THROWS_AS(run(*op, "the cat", 1, ""), augment::UsageError);
  CHECK_THROWS_AS(run(*op, "the cat", 1, "xx"), augment::UsageError);
  const auto en = make_op("word_delete", {{"unit_p", 1.0}, {"max", 100}, {"skip_stopwords", true}, {"language", "en"}});
  CHECK(run(*en, "the cat and the dog", 1, "").text() == "the and the");
}

TEST_CASE("word ops are deterministic and replay their params") {
  for (const std::string name : {"word_swap", "word_delete", "word_insert", "word_crop"}) {
    const auto op = make_op(name, name == std::string("word_crop") ? json::object() : json{{"unit_p", 0.3}});
    for (std::uint64_t seed = 0; seed < 10; ++seed) {
      const std::string text = "The quick brown fox jumps over the lazy dog, then sleeps.";
      const Result a = run(*op, text, seed), b = run(*op, text, seed);
      CHECK(a.params == b.params);
      CHECK(a.text() == b.text());
      CHECK(apply_params(name, text, a.params) == a.text());
      CHECK(apply_params(name, text, json::parse(a.params.dump())) == a.text());
    }
  }
}

TEST_CASE("bad word op params") {
  const auto* swap = text_test::registry().find("word_swap", augment::Kind::tokens);
  CHECK_THROWS_AS(swap->resolve({{"min", 5}, {"max", 2}}), std::invalid_argument);
  CHECK_THROWS_AS(swap->resolve({{"unit_p", 1.5}}), std::invalid_argument);
  CHECK_THROWS_AS(swap->resolve({{"skip_stopwords", true}, {"language", "xx"}}), std::invalid_argument);
  const auto* ins = text_test::registry().find("word_insert", augment::Kind::tokens);
  CHECK_THROWS_AS(ins->resolve({{"words", " , "}}), std::invalid_argument);
  CHECK_THROWS_AS(ins->resolve({{"words", "a\xff"}}), std::invalid_argument);
  const auto* crop = text_test::registry().find("word_crop", augment::Kind::tokens);
  CHECK_THROWS_AS(crop->resolve({{"fraction", -0.1}}), std::invalid_argument);

  const std::string t = "el perro come";
  using augment::UsageError;
  CHECK_THROWS_AS(apply_params("word_swap", t, json::object()), UsageError);
  CHECK_THROWS_AS(apply_params("word_swap", t, {{"swaps", {{0, 1}}}}), UsageError);    // 1 is a space
  CHECK_THROWS_AS(apply_params("word_swap", t, {{"swaps", {{2, 0}}}}), UsageError);    // not i < j
  CHECK_THROWS_AS(apply_params("word_swap", t, {{"swaps", {{0, 99}}}}), UsageError);
  CHECK_THROWS_AS(apply_params("word_delete", t, {{"delete", {4, 2}}}), UsageError);   // not ascending
  CHECK_THROWS_AS(apply_params("word_delete", t, {{"delete", {-1}}}), UsageError);
  CHECK_THROWS_AS(apply_params("word_insert", t, {{"inserts", {{0, "x", "middle"}}}}), UsageError);
  CHECK_THROWS_AS(apply_params("word_insert", t, {{"inserts", {{0, "", "after"}}}}), UsageError);
  CHECK_THROWS_AS(apply_params("word_insert", t, {{"inserts", {{0, "\xff", "after"}}}}), UsageError);
  CHECK_THROWS_AS(apply_params("word_crop", t, {{"begin", 3}, {"end", 1}}), UsageError);
  CHECK_THROWS_AS(apply_params("word_crop", t, {{"begin", 0}, {"end", 9}}), UsageError);
  CHECK_THROWS_AS(apply_params("word_crop", t, {{"begin", 0}}), UsageError);
}
