// misspell: the English list and the Spanish rules, case patterns, counts, only allowed
// variants, determinism and replay, bad params.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/error.hpp"
#include "augment/core/registry.hpp"
#include "augment/text/misspell.hpp"
#include "augment/text/text.hpp"
#include "augment/text/tokenize.hpp"
#include "augment/text/utf8.hpp"

using namespace augment::text;
using augment::Rng;
using nlohmann::json;

namespace {

std::unique_ptr<augment::Transform> make_misspell(const json& params = json::object()) {
  static const augment::OpInfo info = misspell_op();
  return info.create(info, info.resolve(params));
}

struct Result {
  json params;
  Tokens before, after;
};

Result run(const augment::Transform& op, const std::string& input, std::uint64_t seed, const std::string& lang) {
  const Tokens in = tokenize(input, "", lang);
  augment::Sample s = make_sample(in);
  Rng rng(seed);
  Result r{op.draw(rng, s), in, {}};
  op.apply(s, r.params);
  r.after = tokens_of(s);
  return r;
}

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

TEST_CASE("English misspellings come from the list in the word's case") {
  CHECK(misspellings("receive", "en") == std::vector<std::string>{"recieve"});
  CHECK(misspellings("Receive", "en") == std::vector<std::string>{"Recieve"});
  CHECK(misspellings("RECEIVE", "en") == std::vector<std::string>{"RECIEVE"});
  CHECK(has(misspellings("definitely", "en-US"), "definately"));
  CHECK(has(misspellings("separate", "en"), "seperate"));
  CHECK(has(misspellings("occurrence", "en"), "occurence"));
  CHECK(misspellings("iPhone", "en").empty());
  CHECK(misspellings("dog", "en").empty());
}

TEST_CASE("the English list is large, well formed and never maps a word to itself") {
  // The op's own parse of the bundled list runs through misspellings(); a bad line would throw.
  CHECK_NOTHROW(misspellings("receive", "en"));
  CHECK_THROWS_AS(parse_misspelling_list("receive\n", "x"), augment::DataError);
  CHECK_THROWS_AS(parse_misspelling_list("receive\treceive\n", "x"), augment::DataError);
  CHECK_THROWS_AS(parse_misspelling_list("a b\tc\n", "x"), augment::DataError);
  const auto list = parse_misspelling_list("# c\nReceive\tRecieve\trecive\n\n", "x");
  REQUIRE(list.size() == 1);
  CHECK(list[0].first == "receive");
  CHECK(list[0].second == std::vector<std::string>{"recieve", "recive"});
}

TEST_CASE("Spanish rules") {
  CHECK(has(misspellings("vaca", "es"), "baca"));
  CHECK(has(misspellings("beber", "es"), "bever"));
  CHECK(has(misspellings("llave", "es"), "yave"));
  CHECK(has(misspellings("mayo", "es"), "mallo"));
  CHECK(has(misspellings("hacer", "es"), "haser"));
  CHECK(has(misspellings("hacer", "es"), "hazer"));
  CHECK(has(misspellings("cocina", "es"), "cozina"));
  CHECK(has(misspellings("zapato", "es"), "sapato"));
  CHECK(has(misspellings("casa", "es"), "caza"));
  CHECK(has(misspellings("gente", "es"), "jente"));
  CHECK(has(misspellings("jefe", "es"), "gefe"));
  CHECK(has(misspellings("hola", "es"), "ola"));
  CHECK(has(misspellings("árbol", "es"), "hárbol"));
  CHECK(has(misspellings("árbol", "es"), "arbol"));
  CHECK(has(misspellings("canción", "es"), "cancion"));
  CHECK(has(misspellings("queso", "es"), "keso"));
  CHECK(has(misspellings("kilo", "es"), "quilo"));
  CHECK(has(misspellings("Hola", "es"), "Ola"));
  CHECK(has(misspellings("HOLA", "es"), "OLA"));
  CHECK(has(misspellings("Árbol", "es"), "Hárbol"));
  CHECK(has(misspellings("cancio\u0301n", "es"), "cancion"));  // NFD input is read as NFC
  CHECK_FALSE(has(misspellings("casa", "es"), "kasa"));          // c before a is not soft
  CHECK_FALSE(has(misspellings("rey", "es"), "rell"));           // final y is a vowel
  CHECK(misspellings("McDonald", "es").empty());
  CHECK(misspellings("25", "es").empty());
  CHECK_THROWS_AS(misspellings("hola", "fr"), augment::UsageError);
}

TEST_CASE("misspell edits only words, and only into allowed variants") {
  const std::vector<std::pair<std::string, std::string>> texts = {
      {"El perro come pan en la casa de mi tía, ¿vale? Hay que hacer queso.", "es"},
      {"HOLA a todos: el jefe y la gente van hoy al árbol.", "es"},
      {"I definitely receive a separate occurrence; the Committee was embarrassed.", "en"},
      {"Tomorrow, BECAUSE of the weather, we will probably RECEIVE it.", "en"},
      {"", "es"},
  };
  for (const auto& [text, lang] : texts)
    for (std::uint64_t seed = 0; seed < 40; ++seed) {
      const Result r = run(*make_misspell({{"unit_p", 0.5}, {"max", 100}}), text, seed, lang);
      CHECK(is_valid_utf8(r.after.join()));
      REQUIRE(r.after.pieces.size() == r.before.pieces.size());
      for (std::size_t i = 0; i < r.before.pieces.size(); ++i) {
        const std::string &a = r.before.pieces[i].text, &b = r.after.pieces[i].text;
        if (a == b) continue;
        CHECK(r.before.pieces[i].is_word);
        CHECK(has(misspellings(a, lang), b));
      }
    }
}

TEST_CASE("misspell counts respect p, min, max and eligibility") {
  const std::string text = "el perro come pan en la casa de mi tía";
  for (std::uint64_t seed = 0; seed < 30; ++seed) {
    CHECK(run(*make_misspell({{"unit_p", 1.0}, {"max", 3}}), text, seed, "es").params["edits"].size() == 3);
    CHECK(run(*make_misspell({{"unit_p", 0.0}, {"min", 0}}), text, seed, "es").params["edits"].empty());
    const Result r = run(*make_misspell({{"unit_p", 1.0}, {"max", 100}, {"min_word_length", 4}, {"skip_stopwords", true}}),
                         text, seed, "es");
    for (const auto& e : r.params["edits"]) {
      const std::string w = r.before.pieces[e[0].get<std::size_t>()].text;
      CHECK(w == "casa");  // "tía": 3 clusters; "perro", "come": no rule applies to them
    }
    CHECK(r.params["edits"].size() == 1);
    // English: only listed words can be edited.
    const Result en = run(*make_misspell({{"unit_p", 1.0}, {"max", 100}}), "the dog will receive it tomorrow", seed, "en");
    CHECK(en.params["edits"].size() == 2);
    // The language param overrides the sample's.
    const Result forced = run(*make_misspell({{"unit_p", 1.0}, {"language", "en"}}), "receive", seed, "es");
    CHECK(forced.after.join() == "recieve");
  }
}

TEST_CASE("misspell is deterministic and replays its params") {
  const auto op = make_misspell({{"unit_p", 0.4}});
  const std::string text = "Hay que hacer queso con la leche de la vaca en la cocina.";
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const Result a = run(*op, text, seed, "es"), b = run(*op, text, seed, "es");
    CHECK(a.params == b.params);
    CHECK(a.after.join() == b.after.join());
    augment::Sample s = make_sample(tokenize(text, "", "es"));
    op->apply(s, json::parse(a.params.dump()));
    CHECK(tokens_of(s).join() == a.after.join());
    for (const auto& e : a.params["edits"]) CHECK(tokens_of(s).pieces[e[0].get<std::size_t>()].offset == Token::no_offset);
  }
}

TEST_CASE("bad misspell params") {
  const augment::OpInfo info = misspell_op();
  CHECK_THROWS_AS(info.resolve({{"language", "fr"}}), std::invalid_argument);
  CHECK_THROWS_AS(info.resolve({{"min", 3}, {"max", 1}}), std::invalid_argument);
  const auto op = make_misspell();
  CHECK_THROWS_AS(run(*op, "hola", 1, ""), augment::UsageError);
  CHECK_THROWS_AS(run(*op, "hola", 1, "de"), augment::UsageError);
  augment::Sample s = make_sample(tokenize("hola mundo", "", "es"));
  using augment::UsageError;
  CHECK_THROWS_AS(op->apply(s, json::object()), UsageError);
  CHECK_THROWS_AS(op->apply(s, {{"edits", {{1, "x"}}}}), UsageError);         // a space piece
  CHECK_THROWS_AS(op->apply(s, {{"edits", {{9, "x"}}}}), UsageError);
  CHECK_THROWS_AS(op->apply(s, {{"edits", {{0, ""}}}}), UsageError);
  CHECK_THROWS_AS(op->apply(s, {{"edits", {{0, "\xff"}}}}), UsageError);
  CHECK_THROWS_AS(op->apply(s, {{"edits", {{2, "a"}, {0, "b"}}}}), UsageError);
  CHECK(tokens_of(s).join() == "hola mundo");  // nothing applied by a rejected edit list
}
