// bag_of_words against scikit-learn's CountVectorizer / TfidfVectorizer
// (tests/fixtures/text/bag_of_words, see make_bag_of_words_fixtures.py), fitting in blocks, and
// its state and parameter checks.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/error.hpp"
#include "augment/features/feature_vector.hpp"
#include "augment/text/bag_of_words.hpp"
#include "augment/text/tokenize.hpp"

using augment::Sample;
using augment::Transform;
using nlohmann::json;
namespace text = augment::text;

namespace {

const augment::OpInfo& op() {
  static const augment::OpInfo info = text::bag_of_words_op();  // transforms keep a pointer to it
  return info;
}

std::unique_ptr<Transform> make(const json& params) { return op().create(op(), op().resolve(params)); }

json load_cases() {
  std::ifstream in(AUGMENT_FIXTURES "/text/bag_of_words/cases.json");
  REQUIRE(in.good());
  return json::parse(in);
}

std::vector<Sample> documents(const json& texts) {
  std::vector<Sample> out;
  for (const auto& t : texts) out.push_back(text::make_sample(text::tokenize(t.get<std::string>())));
  return out;
}

/// Fits over `blocks` contiguous blocks, one fitter each, merged in order.
json fit_state(const Transform& transform, const std::vector<Sample>& docs, std::size_t blocks) {
  std::vector<std::unique_ptr<augment::Fitter>> fitters;
  for (std::size_t b = 0; b < blocks; ++b) {
    fitters.push_back(transform.make_fitter());
    for (std::size_t i = docs.size() * b / blocks; i < docs.size() * (b + 1) / blocks; ++i) fitters[b]->add(docs[i]);
  }
  for (std::size_t b = 1; b < blocks; ++b) fitters[0]->merge(*fitters[b]);
  return fitters[0]->state();
}

std::vector<double> transformed(const Transform& transform, const Sample& doc) {
  Sample sample = doc;
  transform.apply(sample, json::object());
  REQUIRE(sample.kind() == augment::Kind::features);
  return augment::features::values_of(sample);
}

bool close(double expected, double actual) { return std::abs(expected - actual) <= 1e-12 * std::max(1.0, std::abs(expected)); }

void check_rows(const json& expected, const Transform& transform, const std::vector<Sample>& docs) {
  REQUIRE(expected.size() == docs.size());
  for (std::size_t i = 0; i < docs.size(); ++i) {
    const auto row = transformed(transform, docs[i]);
    const auto want = expected[i].get<std::vector<double>>();
    REQUIRE(row.size() == want.size());
    for (std::size_t j = 0; j < row.size(); ++j) {
      INFO("document " << i << ", column " << j << ": expected " << want[j] << ", got " << row[j]);
      CHECK(close(want[j], row[j]));
    }
  }
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("bag_of_words: fitted vocabulary, idf and rows match scikit-learn") {
  const json fixture = load_cases();
  const auto docs = documents(fixture["texts"]);
  const auto held_out = documents(fixture["held_out_texts"]);
  REQUIRE(fixture["cases"].size() >= 10);
  for (const json& c : fixture["cases"]) {
    INFO("case " << c["name"].get<std::string>() << ": " << c["sklearn"].get<std::string>());
    auto transform = make(c["params"]);
    CHECK(transform->needs_fit());
    CHECK_FALSE(transform->is_fitted());

    const json one_block = fit_state(*transform, docs, 1);
    CHECK(fit_state(*transform, docs, 3) == one_block);  // bitwise: json compares doubles exactly
    CHECK(fit_state(*transform, docs, docs.size()) == one_block);

    CHECK(one_block["vocabulary"] == c["vocabulary"]);
    CHECK(one_block["documents"] == c["documents"]);
    const auto idf = one_block["idf"].get<std::vector<double>>();
    const auto sk_idf = c["idf"].get<std::vector<double>>();
    REQUIRE(idf.size() == sk_idf.size());
    for (std::size_t j = 0; j < idf.size(); ++j) {
      INFO("idf " << j << ": expected " << sk_idf[j] << ", got " << idf[j]);
      CHECK(close(sk_idf[j], idf[j]));
    }

    transform->set_state(one_block);
    CHECK(transform->is_fitted());
    CHECK(transform->state() == one_block);
    check_rows(c["fitted"], *transform, docs);
    check_rows(c["held_out"], *transform, held_out);  // words not in the vocabulary are ignored
  }
}

TEST_CASE("bag_of_words: terms are lower-cased word pieces and their n-grams") {
  text::BagOfWordsOptions options;
  SUBCASE("one-letter words dropped, punctuation skipped, as sklearn's token pattern") {
    const auto terms = text::bag_terms(text::tokenize("¡Él y YO, a casa!"), options);
    CHECK(terms == std::vector<std::string>{"él", "yo", "casa"});
  }
  SUBCASE("min_token_length 1 keeps them") {
    options.min_token_length = 1;
    CHECK(text::bag_terms(text::tokenize("I am a cat."), options) == std::vector<std::string>{"i", "am", "a", "cat"});
  }
  SUBCASE("n-grams span punctuation, one space between words") {
    options.ngram_min = 1;
    options.ngram_max = 2;
    const auto terms = text::bag_terms(text::tokenize("Black  cat. Eats!"), options);
    CHECK(terms == std::vector<std::string>{"black", "cat", "eats", "black cat", "cat eats"});
  }
  SUBCASE("lower-casing is Python's str.lower: final sigma, sharp s kept, no case folding") {
    const auto terms = text::bag_terms(text::tokenize("ΣΟΦΟΣ Straße STRASSE"), options);
    CHECK(terms == std::vector<std::string>{"σοφος", "straße", "strasse"});
  }
  SUBCASE("lowercase false keeps the case") {
    options.lowercase = false;
    CHECK(text::bag_terms(text::tokenize("El Gato"), options) == std::vector<std::string>{"El", "Gato"});
  }
  SUBCASE("n larger than the document gives nothing") {
    options.ngram_min = options.ngram_max = 3;
    CHECK(text::bag_terms(text::tokenize("dos palabras"), options).empty());
  }
}

TEST_CASE("bag_of_words: char_wb terms are scikit-learn's character n-grams of space-padded words") {
  // Worked out by hand from sklearn's _char_wb_ngrams: w = " " + word + " "; for each n, every
  // window of n code points; a padded word of n or fewer code points counts once, whole, and
  // stops the longer n-grams for that word.
  text::BagOfWordsOptions options;
  options.char_wb = true;
  options.ngram_min = 2;
  options.ngram_max = 3;
  CHECK(text::bag_terms(text::tokenize("Ab, cd"), options) ==
        std::vector<std::string>{" a", "ab", "b ", " ab", "ab ", " c", "cd", "d ", " cd", "cd "});
  // " a " has 3 code points: n = 2 gives two windows, n = 3 the whole, once.
  CHECK(text::bag_terms(text::tokenize("a"), options) == std::vector<std::string>{" a", "a ", " a "});
  options.ngram_min = 3;
  options.ngram_max = 5;
  CHECK(text::bag_terms(text::tokenize("a"), options) == std::vector<std::string>{" a "});
  // Code points, not bytes; min_token_length does not apply.
  options.ngram_min = options.ngram_max = 2;
  CHECK(text::bag_terms(text::tokenize("Ñu"), options) == std::vector<std::string>{" ñ", "ñu", "u "});

  // A fitted state holds such terms (a whole short word keeps its spaces) and is taken back.
  auto transform = make({{"analyzer", "char_wb"}, {"ngram_range", {2, 3}}});
  transform->set_state({{"vocabulary", {" a ", " ab", "ab", "b "}}, {"idf", {1.0, 1.0, 1.0, 1.0}}});
  CHECK(transformed(*transform, text::make_sample(text::tokenize("a ab"))) == std::vector<double>{1, 1, 1, 1});
  CHECK_THROWS_WITH_AS(transform->set_state({{"vocabulary", {"abcd"}}, {"idf", {1.0}}}),
                       doctest::Contains("has 4 characters, outside ngram_range [2, 3] of char_wb"), std::invalid_argument);
}

TEST_CASE("bag_of_words: merging is order independent, counts included") {
  // max_features picks by total count, so a wrong count sum would change the vocabulary.
  auto transform = make({{"max_features", 3}, {"mode", "tfidf"}});
  const auto docs = documents(json::array({"uno uno dos", "dos tres", "tres tres cuatro", "uno cuatro cuatro cuatro",
                                           "cinco", "dos dos"}));
  auto fit_in_order = [&](const std::vector<std::size_t>& order) {
    std::vector<std::unique_ptr<augment::Fitter>> fitters;
    for (const auto& doc : docs) {
      fitters.push_back(transform->make_fitter());
      fitters.back()->add(doc);
    }
    auto total = transform->make_fitter();
    for (std::size_t i : order) total->merge(*fitters[i]);
    return total->state();
  };
  const json forward = fit_in_order({0, 1, 2, 3, 4, 5});
  CHECK(fit_in_order({5, 4, 3, 2, 1, 0}) == forward);
  CHECK(fit_in_order({2, 0, 5, 1, 4, 3}) == forward);
  // Totals: uno 3, dos 4, tres 3, cuatro 4, cinco 1: cuatro and dos, then tres (before uno: the tie goes to the earlier term).
  CHECK(forward["vocabulary"] == json{"cuatro", "dos", "tres"});
  CHECK(forward["documents"] == 6);
}

TEST_CASE("bag_of_words: max_features ties at the cut keep the earlier terms in code-point order") {
  // scikit-learn leaves this order to numpy's unstable argsort (README, bag_of_words.hpp); ours
  // is fixed: total count first, then the term's code points. 26 words once each and "zz"
  // twice; 5 kept: "zz", then the first four by code point, upper case before lower ("B" <
  // "a"), "á" (U+00E1) after every ASCII letter.
  auto transform = make({{"max_features", 5}, {"lowercase", false}});
  std::string text = "zz zz";
  for (const char* word : {"ñu", "áb", "yy", "xx", "wa", "vb", "uc", "td", "se", "rf", "qg", "ph", "oi", "nj", "mk",
                           "ll", "km", "jn", "io", "hp", "gq", "fr", "Bs", "dt", "cu", "aa"})
    text += std::string(" ") + word;
  const json state = fit_state(*transform, documents(json::array({text})), 1);
  CHECK(state["vocabulary"] == json{"Bs", "aa", "cu", "dt", "zz"});
}

TEST_CASE("bag_of_words: unfitted use is a UsageError") {
  auto transform = make(json::object());
  CHECK(transform->state().is_null());
  Sample sample = text::make_sample(text::tokenize("el gato"));
  const std::string message = message_of([&] { transform->apply(sample, json::object()); });
  CHECK(message.find("not fitted") != std::string::npos);
  CHECK_THROWS_AS(transform->apply(sample, json::object()), augment::UsageError);
}

TEST_CASE("bag_of_words: fitting on nothing, or pruning everything, is refused") {
  auto transform = make({{"min_df", 2}});
  auto fitter = transform->make_fitter();
  CHECK(message_of([&] { (void)fitter->state(); }).find("no documents") != std::string::npos);
  fitter->add(text::make_sample(text::tokenize("solo una vez")));
  CHECK(message_of([&] { (void)fitter->state(); }).find("no terms remain") != std::string::npos);

  auto crossed = make({{"min_df", 3}, {"max_df", 0.5}});
  auto f = crossed->make_fitter();
  for (const char* t : {"a b", "cc dd", "ee ff", "gg hh"}) f->add(text::make_sample(text::tokenize(t)));
  CHECK(message_of([&] { (void)f->state(); }).find("max_df") != std::string::npos);
}

TEST_CASE("bag_of_words: a state given by hand, and bad states rejected") {
  auto transform = make({{"mode", "tfidf"}, {"norm", "none"}});
  transform->set_state({{"vocabulary", {"casa", "gato"}}, {"idf", {1.5, 2.0}}});
  CHECK(transform->is_fitted());
  CHECK(transform->state() == json{{"vocabulary", {"casa", "gato"}}, {"idf", {1.5, 2.0}}});
  CHECK(transformed(*transform, text::make_sample(text::tokenize("Gato, gato y perro."))) ==
        std::vector<double>{0.0, 4.0});
  CHECK(transformed(*transform, text::make_sample(text::tokenize("nada conocido"))) == std::vector<double>{0.0, 0.0});

  const std::vector<std::pair<json, std::string>> bad = {
      {json::array(), "object"},
      {json{{"idf", {1.0}}}, "vocabulary"},
      {json{{"vocabulary", json::array()}, {"idf", json::array()}}, "empty"},
      {json{{"vocabulary", {"gato", "casa"}}, {"idf", {1.0, 1.0}}}, "sorted"},
      {json{{"vocabulary", {"casa", "casa"}}, {"idf", {1.0, 1.0}}}, "sorted"},
      {json{{"vocabulary", {"casa", 3}}, {"idf", {1.0, 1.0}}}, "strings"},
      {json{{"vocabulary", {"casa", ""}}, {"idf", {1.0, 1.0}}}, "strings"},
      {json{{"vocabulary", {"el gato"}}, {"idf", {1.0}}}, "ngram_range"},
      {json{{"vocabulary", {"casa"}}}, "idf"},
      {json{{"vocabulary", {"casa", "gato"}}, {"idf", {1.0}}}, "idf"},
      {json{{"vocabulary", {"casa"}}, {"idf", {"1"}}}, "idf"},
      {json{{"vocabulary", {"casa"}}, {"idf", {-1.0}}}, "idf"},
      {json{{"vocabulary", {"casa"}}, {"idf", {1.0}}, {"documents", -2}}, "documents"},
  };
  for (const auto& [state, word] : bad) {
    INFO(state.dump());
    const std::string message = message_of([&] { transform->set_state(state); });
    INFO(message);
    CHECK(message.find(word) != std::string::npos);
    CHECK_THROWS_AS(transform->set_state(state), std::invalid_argument);
  }
  // A rejected state leaves the old one.
  CHECK(transform->state()["vocabulary"] == json{"casa", "gato"});
}

TEST_CASE("bag_of_words: parameter checks") {
  CHECK_THROWS_AS((void)op().resolve({{"min_df", 2.5}}), std::invalid_argument);
  CHECK_THROWS_AS((void)op().resolve({{"max_df", -0.1}}), std::invalid_argument);
  CHECK_THROWS_AS((void)op().resolve({{"ngram_range", {2, 1}}}), std::invalid_argument);
  CHECK_THROWS_AS((void)op().resolve({{"ngram_range", {1, 1.5}}}), std::invalid_argument);
  CHECK_THROWS_AS((void)op().resolve({{"ngram_range", {1}}}), std::invalid_argument);
  CHECK_THROWS_AS((void)op().resolve({{"ngram_range", {0, 1}}}), std::invalid_argument);
  CHECK_THROWS_AS((void)op().resolve({{"mode", "tf"}}), std::invalid_argument);
  CHECK_NOTHROW((void)op().resolve({{"min_df", 0.25}, {"max_df", 10}, {"ngram_range", {1, 3}}}));
  CHECK(op().input == augment::Kind::tokens);
  CHECK(op().output == augment::Kind::features);
  CHECK(op().fittable);
}
