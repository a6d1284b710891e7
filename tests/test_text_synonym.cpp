// synonym: the bundled tables (format, and entries checked by hand against WordNet 3.0 and
// mythes-es th_es_ES_v2.dat), and the op: eligibility, case, determinism, replay, errors.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/error.hpp"
#include "augment/text/synonym.hpp"
#include "augment/text/tokenize.hpp"

using namespace augment::text;
using augment::Rng;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const augment::OpInfo& op_info() {
  static const augment::OpInfo info = synonym_op();
  return info;
}

std::unique_ptr<augment::Transform> make_op(const json& params) {
  return op_info().create(op_info(), op_info().resolve(params));
}

bool has(std::string_view word, std::string_view language, std::string_view synonym) {
  const auto* list = SynonymTable::bundled(language).find(word);
  return list != nullptr && std::find(list->begin(), list->end(), synonym) != list->end();
}

struct Run {
  json params;
  Tokens before;
  Tokens after;
};

Run run(const augment::Transform& op, const std::string& text, const std::string& lang, std::uint64_t seed) {
  Run r;
  r.before = tokenize(text, "", lang);
  augment::Sample s = make_sample(r.before);
  Rng rng(seed);
  r.params = op.draw(rng, s);
  op.apply(s, r.params);
  r.after = tokens_of(s);
  return r;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("synonym tables: sorted, deduplicated, single lower-case words, within the size budget") {
  for (const std::string code : {"en", "es"}) {
    CAPTURE(code);
    const std::string text = read_file(fs::path(AUGMENT_SOURCE_DIR) / "corpora/text/synonyms" / (code + ".tsv"));
    CHECK(text.size() <= 1'500'000);
    const SynonymTable table = SynonymTable::parse(text, code);
    CHECK(table.size() == SynonymTable::bundled(code).size());  // the compiled copy is this file
    CHECK(table.size() > 20'000);
    std::string previous;
    std::size_t start = 0;
    while (start < text.size()) {
      const std::size_t end = text.find('\n', start);
      REQUIRE(end != std::string::npos);
      const std::string line = text.substr(start, end - start);
      start = end + 1;
      const std::size_t tab = line.find('\t');
      REQUIRE(tab != std::string::npos);
      const std::string head = line.substr(0, tab);
      CHECK(previous < head);
      previous = head;
      std::set<std::string> seen;
      std::size_t from = tab + 1;
      for (;;) {
        const std::size_t bar = std::min(line.find('|', from), line.size());
        const std::string syn = line.substr(from, bar - from);
        CHECK(seen.insert(syn).second);
        CHECK(syn != head);
        CHECK(syn.find_first_of(" -'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos);
        if (bar == line.size()) break;
        from = bar + 1;
      }
      CHECK(seen.size() <= 8);
    }
  }
}

TEST_CASE("synonym tables: entries agree with WordNet and the Spanish thesaurus") {
  // WordNet 3.0 synset 02958343 (car, auto, automobile, machine, motorcar).
  CHECK(has("car", "en", "automobile"));
  CHECK(has("car", "en", "motorcar"));
  CHECK(has("automobile", "en", "car"));
  CHECK(has("happy", "en", "glad"));
  CHECK(SynonymTable::bundled("en").find("new york") == nullptr);  // multi-word lemmas skipped
  // th_es_ES_v2.dat: coche|5 / -|auto|automóvil|utilitario; canción|3 / -|aire|son|tonada|melodía|música.
  CHECK(has("coche", "es", "automóvil"));
  CHECK(has("canción", "es", "melodía"));
  CHECK(has("Canción", "es-ES", "melodía"));  // looked up case folded
  CHECK(SynonymTable::bundled("es").find("cancion") == nullptr);  // accents matter
  // "gastador (Antónimo)" is an antonym of ahorrador in the thesaurus: annotated entries are dropped.
  CHECK_FALSE(has("ahorrador", "es", "gastador"));
  CHECK(SynonymTable::bundled("EN").size() == SynonymTable::bundled("en").size());
  CHECK_THROWS_AS(SynonymTable::bundled("fr"), augment::UsageError);
}

TEST_CASE("synonym tables: parsing is quick and once") {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string text = read_file(fs::path(AUGMENT_SOURCE_DIR) / "corpora/text/synonyms/en.tsv");
  const SynonymTable table = SynonymTable::parse(text, "en.tsv");
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  MESSAGE("parsing en.tsv (" << table.size() << " headwords) took " << ms << " ms");
  CHECK(ms < 2000);
  CHECK(&SynonymTable::bundled("en") == &SynonymTable::bundled("en-GB"));
  CHECK_THROWS_AS(SynonymTable::parse("car\n", "bad.tsv"), augment::DataError);
  CHECK_THROWS_AS(SynonymTable::parse("car\tauto||x\n", "bad.tsv"), augment::DataError);
}

TEST_CASE("match_case keeps lower, Capitalised and UPPER words") {
  CHECK(match_case("car", "automobile") == "automobile");
  CHECK(match_case("Car", "automobile") == "Automobile");
  CHECK(match_case("CAR", "automobile") == "AUTOMOBILE");
  CHECK(match_case("Canción", "ñandú") == "Ñandú");
  CHECK(match_case("CANCIÓN", "melodía") == "MELODÍA");
  CHECK(match_case("A", "one") == "One");
}

TEST_CASE("synonym replaces words by synonyms from their list, in their case, spacing kept") {
  const auto op = make_op({{"unit_p", 1.0}, {"max", 100}});
  const std::string en = "The Car and the HAPPY dog ran  fast, car after car.";
  const std::string es = "La Canción del coche: ¡QUÉ FELIZ casa, este coche!";
  for (std::uint64_t seed = 0; seed < 30; ++seed) {
    for (const auto& [text, lang] : {std::pair{en, std::string("en")}, std::pair{es, std::string("es")}}) {
      CAPTURE(seed);
      CAPTURE(text);
      const Run r = run(*op, text, lang, seed);
      REQUIRE(r.after.pieces.size() == r.before.pieces.size());
      CHECK(r.params["edits"].size() >= 3);
      for (const auto& e : r.params["edits"]) {
        const auto i = e[0].get<std::size_t>();
        const std::string& was = r.before.pieces[i].text;
        const std::string& now = r.after.pieces[i].text;
        CHECK(now == e[1].get<std::string>());
        CHECK(r.before.pieces[i].is_word);
        const auto* list = SynonymTable::bundled(lang).find(was);
        REQUIRE(list != nullptr);
        const bool listed = std::any_of(list->begin(), list->end(),
                                        [&](std::string_view s) { return match_case(was, s) == now; });
        CHECK(listed);
        CHECK(now == match_case(was, now));  // the case pattern is the original word's
      }
      for (std::size_t i = 0; i < r.before.pieces.size(); ++i)
        if (!r.before.pieces[i].is_word) CHECK(r.after.pieces[i].text == r.before.pieces[i].text);
      // A single-word synonym adds no spaces: the only double space is the one in the input.
      const std::string joined = r.after.join();
      CHECK(joined.find("  ") == joined.rfind("  "));
      CHECK(joined.find(' ') != std::string::npos);
    }
  }
}

TEST_CASE("synonym eligibility: no synonyms, stop words, short words, skip_words") {
  // "este" (es stop word) has synonyms (levante, oriente); "xyzzy" has none.
  const std::string text = "este xyzzy";
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    CHECK(run(*make_op({{"unit_p", 1.0}}), text, "es", seed).params["edits"].empty());
    const Run all = run(*make_op({{"unit_p", 1.0}, {"skip_stopwords", false}}), text, "es", seed);
    REQUIRE(all.params["edits"].size() == 1);
    CHECK(all.params["edits"][0][0] == 0);
    CHECK(run(*make_op({{"unit_p", 1.0}, {"skip_words", "CAR"}}), "car", "en", seed).params["edits"].empty());
    CHECK(run(*make_op({{"unit_p", 1.0}, {"min_word_length", 4}}), "car", "en", seed).params["edits"].empty());
    CHECK(run(*make_op({{"unit_p", 0.0}, {"min", 0}}), "car auto", "en", seed).params["edits"].empty());
  }
  const Run one = run(*make_op({{"unit_p", 0.0}, {"min", 1}}), "car auto", "en", 3);
  CHECK(one.params["edits"].size() == 1);
}

TEST_CASE("synonym is deterministic and replays from its params") {
  const auto op = make_op({{"unit_p", 0.5}});
  const std::string text = "Mi coche nuevo tiene una canción alegre y una casa bonita.";
  const Run a = run(*op, text, "es", 42), b = run(*op, text, "es", 42);
  CHECK(a.params == b.params);
  CHECK(a.after.join() == b.after.join());
  augment::Sample replay = make_sample(tokenize(text, "", ""));  // apply needs no language
  op->apply(replay, json::parse(a.params.dump()));
  CHECK(tokens_of(replay).join() == a.after.join());
  bool differs = false;
  for (std::uint64_t seed = 0; seed < 20 && !differs; ++seed) differs = run(*op, text, "es", seed).params != a.params;
  CHECK(differs);
}

TEST_CASE("synonym language: the op's, else the sample's, else a clear error") {
  Rng rng(1);
  const augment::Sample none = make_sample(tokenize("car", "", ""));
  try {
    (void)make_op({{"unit_p", 1.0}})->draw(rng, none);
    FAIL("expected a UsageError");
  } catch (const augment::UsageError& e) {
    CHECK(std::string(e.what()).find("no language") != std::string::npos);
  }
  const json edits = make_op({{"unit_p", 1.0}, {"language", "en"}})->draw(rng, none)["edits"];
  REQUIRE(edits.size() == 1);
  CHECK(has("car", "en", edits[0][1].get<std::string>()));
  const augment::Sample french = make_sample(tokenize("voiture", "", "fr"));
  CHECK_THROWS_AS((void)make_op({})->draw(rng, french), augment::UsageError);
  CHECK_THROWS_AS(make_op({{"language", "fr"}}), std::invalid_argument);
  CHECK_THROWS_AS(make_op({{"min", 5}, {"max", 2}}), std::invalid_argument);
}

TEST_CASE("synonym apply rejects malformed edits") {
  const auto op = make_op({});
  augment::Sample s = make_sample(tokenize("el coche", "", "es"));
  CHECK_THROWS_AS(op->apply(s, json{{"edits", json::array({json::array({1, "auto"})})}}), augment::UsageError);  // a space
  CHECK_THROWS_AS(op->apply(s, json{{"edits", json::array({json::array({9, "auto"})})}}), augment::UsageError);
  CHECK_THROWS_AS(op->apply(s, json{{"edits", json::array({json::array({2, ""})})}}), augment::UsageError);
  CHECK_THROWS_AS(op->apply(s, json::object()), augment::UsageError);
  op->apply(s, json{{"edits", json::array({json::array({2, "auto"})})}});
  CHECK(tokens_of(s).join() == "el auto");
}
