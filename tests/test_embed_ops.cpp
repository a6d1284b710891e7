// embed and synonym_embedding on a hand-made vectors file: pooled values worked out by hand,
// out-of-vocabulary words, tf-idf fitting, neighbours and threshold, case, determinism, replay,
// errors that name the file.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "augment/core/error.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/embed/embed_op.hpp"
#include "augment/text/normalize.hpp"
#include "augment/embed/register_transforms.hpp"
#include "augment/embed/synonym_embedding.hpp"
#include "augment/features/feature_vector.hpp"
#include "augment/text/register_transforms.hpp"
#include "augment/text/tokenize.hpp"

using augment::Rng;
using augment::Sample;
using nlohmann::json;
namespace fs = std::filesystem;
namespace text = augment::text;

namespace {

// Values exact in float32, so sums and means below are exact too. Cosines with gato (1, 0):
// 2024 1, Gato 0.992, felino 0.949, perro 0.707, árbol 0.447, casa 0, este 0, coche -1.
const char* const kVectors =
    "9 2\ngato 1 0\nperro 0.5 0.5\nfelino 0.75 0.25\ncasa 0 1\ncoche -1 0\n\xC3\xA1rbol 0.25 -0.5\n"
    "Gato 1 0.125\n2024 1 0\neste 0 -1\n";

// Written once per test process (ctest runs each case in its own), removed at exit.
const std::string& vectors_file() {
  struct File {
    std::string path = (fs::temp_directory_path() / ("augment-embed-ops-" + std::to_string(::getpid()) + ".vec")).string();
    File() { std::ofstream(path, std::ios::binary) << kVectors; }
    ~File() { std::error_code ignored; fs::remove(path, ignored); }
  };
  static const File file;
  return file.path;
}

const augment::Registry& registry() {
  static const augment::Registry r =
      augment::make_registry({augment::text::register_transforms, augment::embed::register_transforms});
  return r;
}

std::unique_ptr<augment::Transform> make_op(const std::string& name, json params) {
  if (!params.contains("vectors")) params["vectors"] = vectors_file();
  const augment::OpInfo* info = registry().find(name, augment::Kind::tokens);
  REQUIRE(info != nullptr);
  return info->create(*info, info->resolve(params));
}

Sample tokens(const std::string& utf8, const std::string& language = "es") {
  return text::make_sample(text::tokenize(utf8, "", language));
}

std::vector<double> embed(const json& params, const std::string& utf8) {
  Sample s = tokens(utf8);
  make_op("embed", params)->apply(s, json::object());
  return augment::features::values_of(s);
}

using V = std::vector<double>;

json draw_and_apply(const augment::Transform& op, Sample& s, std::uint64_t seed) {
  Rng rng(seed);
  json params = op.draw(rng, s);
  op.apply(s, params);
  return params;
}

}  // namespace

TEST_CASE("embed pools mean, max and sequence, values by hand") {
  const std::string doc = "El gato y el perro.";  // el, y: out of vocabulary
  CHECK(embed({{"pool", "mean"}}, doc) == V{0.75, 0.25});
  CHECK(embed({{"pool", "max"}}, doc) == V{1.0, 0.5});
  CHECK(embed({{"pool", "sequence"}}, doc) == V{1, 0, 0.5, 0.5});
  CHECK(embed({{"pool", "sequence"}, {"max_words", 3}}, doc) == V{1, 0, 0.5, 0.5, 0, 0});
  CHECK(embed({{"pool", "sequence"}, {"max_words", 1}}, doc) == V{1, 0});
  CHECK(embed({{"pool", "max"}}, "coche casa") == V{0, 1});
  CHECK(embed({}, "perro perro gato") == V{2.0 / 3.0, 1.0 / 3.0});  // repeats count
  // Lower-cased with ICU by default: Gato, GATO and gato are gato; ÁRBOL is árbol.
  CHECK(embed({}, "Gato GATO gato") == V{1, 0});
  CHECK(embed({{"lowercase", false}}, "Gato GATO gato") == V{1, 0.0625});  // Gato (1, 0.125), gato; GATO unknown
  CHECK(embed({{"pool", "sequence"}}, "\xC3\x81RBOL") == V{0.25, -0.5});
  CHECK_THROWS_AS(make_op("embed", {{"pool", "mean"}, {"max_words", 2}}), std::invalid_argument);
  CHECK_FALSE(make_op("embed", {})->needs_fit());
}

TEST_CASE("embed skips out-of-vocabulary words and gives zeros when none is known") {
  const std::string none = "¡Hola, mundo! 42";
  CHECK(embed({{"pool", "mean"}}, none) == V{0, 0});
  CHECK(embed({{"pool", "max"}}, none) == V{0, 0});
  CHECK(embed({{"pool", "sequence"}}, none).empty());
  CHECK(embed({{"pool", "sequence"}, {"max_words", 2}}, none) == V{0, 0, 0, 0});
  CHECK(embed({{"pool", "mean"}}, "hola gato mundo") == V{1, 0});
  CHECK(embed({{"pool", "max"}}, "hola coche") == V{-1, 0});  // the max of one vector, not of it and 0
  CHECK(embed({{"pool", "mean"}}, "") == V{0, 0});
}

TEST_CASE("embed tfidf_mean fits document frequencies with smooth idf") {
  const auto op = make_op("embed", {{"pool", "tfidf_mean"}});
  CHECK(op->needs_fit());
  CHECK_FALSE(op->is_fitted());
  Sample unfitted = tokens("gato");
  CHECK_THROWS_AS(op->apply(unfitted, json::object()), augment::UsageError);
  // Two fitters over parts of the data, merged: the state of one pass over all four documents.
  auto first = op->make_fitter(), second = op->make_fitter();
  first->add(tokens("Gato perro gato"));
  first->add(tokens("gato casa"));
  second->add(tokens("gato"));
  second->add(tokens("nada conocido"));
  first->merge(*second);
  const json state = first->state();
  const double idf_gato = std::log(5.0 / 4.0) + 1, idf_rare = std::log(5.0 / 2.0) + 1, idf_unseen = std::log(5.0) + 1;
  CHECK(state["documents"] == 4);
  CHECK(state["vocabulary"] == json{"gato", "perro", "casa"});  // the vectors' order; df > 0 only
  CHECK(state["idf"][0].get<double>() == doctest::Approx(idf_gato).epsilon(1e-15));
  CHECK(state["idf"][1].get<double>() == doctest::Approx(idf_rare).epsilon(1e-15));
  op->set_state(state);
  CHECK(op->is_fitted());
  CHECK(op->state() == state);

  Sample s = tokens("gato perro perro xyz");
  op->apply(s, json::object());
  const double w = idf_gato + 2 * idf_rare;  // tf × idf: perro twice
  const V& got = augment::features::values_of(s);
  REQUIRE(got.size() == 2);
  CHECK(got[0] == doctest::Approx((idf_gato * 1 + 2 * idf_rare * 0.5) / w).epsilon(1e-14));
  CHECK(got[1] == doctest::Approx((2 * idf_rare * 0.5) / w).epsilon(1e-14));
  Sample unseen = tokens("felino gato");  // felino: in the vectors, in no fitted document (df 0)
  op->apply(unseen, json::object());
  CHECK(augment::features::values_of(unseen)[0] ==
        doctest::Approx((idf_unseen * 0.75 + idf_gato) / (idf_unseen + idf_gato)).epsilon(1e-14));
  Sample empty = tokens("nada");
  op->apply(empty, json::object());
  CHECK(augment::features::values_of(empty) == V{0, 0});

  CHECK_THROWS_AS(op->set_state({{"vocabulary", {"gato"}}, {"idf", {1.0}}}), std::invalid_argument);  // no documents
  CHECK_THROWS_AS(op->set_state({{"vocabulary", {"gato"}}, {"idf", {0.0}}, {"documents", 3}}), std::invalid_argument);
  CHECK_THROWS_AS(make_op("embed", {})->set_state(state), std::invalid_argument);  // mean has no state
}

TEST_CASE("synonym_embedding candidates: k nearest, at or above the threshold, no case twins or numbers") {
  const auto candidates = [](const json& params, const std::string& word) {
    const auto op = make_op("synonym_embedding", params);
    return dynamic_cast<const augment::embed::SynonymEmbedding&>(*op).candidates(word);
  };
  using W = std::vector<std::string>;
  CHECK(candidates({{"threshold", 0.9}}, "gato") == W{"felino"});
  CHECK(candidates({{"threshold", 0.7}}, "GATO") == W{"felino", "perro"});
  CHECK(candidates({{"threshold", 0.0}}, "gato") == W{"felino", "perro", "\xC3\xA1rbol", "casa", "este"});
  CHECK(candidates({{"threshold", -1.0}, {"k", 3}}, "gato") == W{"felino"});  // 2024 and Gato take two of the 3
  CHECK(candidates({{"threshold", 0.99}}, "gato").empty());
  // perro (0.5, 0.5): felino 0.894, Gato 0.789 (not a case twin of perro), gato and casa 0.707 (tied:
  // the earlier word first); 2024 0.707 is a number.
  CHECK(candidates({}, "perro") == W{"felino", "Gato", "gato", "casa"});
  CHECK(candidates({}, "xyz").empty());
}

TEST_CASE("synonym_embedding replaces words by candidates in their case") {
  const auto op = make_op("synonym_embedding", {{"unit_p", 1.0}, {"max", 100}, {"threshold", 0.7}});
  const std::string doc = "El gato, GATO y Gato: la casa.";
  std::set<std::string> seen;
  for (std::uint64_t seed = 0; seed < 40; ++seed) {
    CAPTURE(seed);
    const Sample before = tokens(doc);
    Sample s = before;
    const json params = draw_and_apply(*op, s, seed);
    const auto& was = text::tokens_of(before).pieces;
    const auto& now = text::tokens_of(s).pieces;
    REQUIRE(params["edits"].size() == 4);  // the three gatos and casa; El, y, la are stop words
    for (const auto& e : params["edits"]) {
      const auto i = e[0].get<std::size_t>();
      const std::string lower = augment::text::lower_case(was[i].text);
      const std::string& to = now[i].text;
      seen.insert(to);
      if (lower == "casa") CHECK(to == "perro");
      else if (was[i].text == "gato") CHECK((to == "felino" || to == "perro"));
      else if (was[i].text == "GATO") CHECK((to == "FELINO" || to == "PERRO"));
      else CHECK((to == "Felino" || to == "Perro"));
    }
    for (std::size_t i = 0; i < was.size(); ++i)
      if (!was[i].is_word) CHECK(now[i].text == was[i].text);
  }
  CHECK(seen.size() == 6);  // both candidates drawn, in every case pattern
}

TEST_CASE("synonym_embedding eligibility: stop words, skip_words, min_word_length, language") {
  const json all = {{"unit_p", 1.0}, {"max", 100}};
  const auto edits = [&](json params, const std::string& doc, const std::string& language) {
    json p = all;
    if (!params.is_null()) p.update(params);
    Sample s = tokens(doc, language);
    return draw_and_apply(*make_op("synonym_embedding", p), s, 7)["edits"];
  };
  CHECK(edits({}, "este", "es").empty());  // a Spanish stop word
  CHECK(edits({{"skip_stopwords", false}}, "este", "es") == json{{0, "\xC3\xA1rbol"}});
  CHECK(edits({{"language", "en"}}, "este", "") == json{{0, "\xC3\xA1rbol"}});  // not an English stop word
  CHECK(edits({{"skip_words", "GATO"}}, "gato", "es").empty());
  CHECK(edits({{"min_word_length", 5}}, "gato", "es").empty());
  CHECK(edits({{"unit_p", 0.0}, {"min", 0}}, "gato", "es").empty());
  CHECK_THROWS_AS(edits({}, "gato", ""), augment::UsageError);  // skip_stopwords needs a language
  CHECK(edits({{"skip_stopwords", false}}, "gato", "").size() == 1);
  CHECK_THROWS_AS(make_op("synonym_embedding", {{"language", "fr"}}), std::invalid_argument);
}

TEST_CASE("synonym_embedding is deterministic for a seed and replays from its params") {
  const auto op = make_op("synonym_embedding", {{"unit_p", 0.5}, {"threshold", 0.0}});
  const std::string doc = "Un gato, un perro y una casa con un coche.";
  Sample a = tokens(doc), b = tokens(doc);
  const json pa = draw_and_apply(*op, a, 42), pb = draw_and_apply(*op, b, 42);
  CHECK(pa == pb);
  CHECK(text::tokens_of(a).join() == text::tokens_of(b).join());
  bool differs = false;
  for (std::uint64_t seed = 0; seed < 20 && !differs; ++seed) {
    Sample c = tokens(doc);
    differs = draw_and_apply(*op, c, seed) != pa;
  }
  CHECK(differs);
  // apply only writes the recorded words: another stage, a text without a language.
  const auto other = make_op("synonym_embedding", {{"threshold", 0.99}});
  Sample replay = tokens(doc, "");
  other->apply(replay, json::parse(pa.dump()));
  CHECK(text::tokens_of(replay).join() == text::tokens_of(a).join());
  Sample bad = tokens(doc);
  CHECK_THROWS_AS(op->apply(bad, {{"edits", {{1, "x"}}}}), augment::UsageError);  // piece 1 is a space
  CHECK_THROWS_AS(op->apply(bad, {{"edits", {{0}}}}), augment::UsageError);
}

TEST_CASE("synonym_embedding draws the same from several threads as from one") {
  const json params = {{"unit_p", 0.7}, {"threshold", 0.0}, {"skip_stopwords", false}};
  const auto op = make_op("synonym_embedding", params);
  const std::string doc = "gato perro casa coche felino este gato";
  std::vector<json> serial(64), parallel(64);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (std::size_t i = t; i < parallel.size(); i += 4) {
        Sample s = tokens(doc);
        parallel[i] = draw_and_apply(*op, s, i);
      }
    });
  for (auto& t : threads) t.join();
  for (std::size_t i = 0; i < serial.size(); ++i) {
    Sample s = tokens(doc);
    serial[i] = draw_and_apply(*make_op("synonym_embedding", params), s, i);  // a fresh cache each time
  }
  CHECK(serial == parallel);
}

TEST_CASE("a bad vectors path is an error naming the file and the stage") {
  const std::string missing = (fs::temp_directory_path() / "no-such-dir" / "missing.vec").string();
  for (const char* op : {"embed", "synonym_embedding"}) {
    CAPTURE(op);
    CHECK_THROWS_WITH_AS(make_op(op, {{"vectors", missing}}), doctest::Contains("missing.vec"), std::invalid_argument);
    const json spec = {{"kind", "tokens"}, {"stages", {{{"op", op}, {"vectors", missing}}}}};
    const std::string message = "stage 0 (" + std::string(op) + "): vectors: no such file '" + missing + "'";
    CHECK_THROWS_WITH_AS(augment::Pipeline::from_json(spec, registry()), doctest::Contains(message.c_str()),
                         augment::SpecError);
  }
  const fs::path bad = fs::temp_directory_path() / ("augment-embed-ops-bad-" + std::to_string(::getpid()) + ".vec");
  std::ofstream(bad) << "not a header\n";
  CHECK_THROWS_WITH_AS(make_op("embed", {{"vectors", bad.string()}}), doctest::Contains(bad.c_str()),
                       std::invalid_argument);
  fs::remove(bad);
  CHECK_THROWS_WITH_AS(registry().find("embed")->resolve(json::object()), "vectors is required", std::invalid_argument);
}

TEST_CASE("stages naming one vectors file share one copy") {
  const auto a = augment::embed::shared_vectors(vectors_file());
  const auto b = augment::embed::shared_vectors(fs::path(vectors_file()).parent_path() / "." /
                                                fs::path(vectors_file()).filename());
  CHECK(a.get() == b.get());
  CHECK(a->size() == 9);
  const auto op = make_op("embed", {});
  CHECK(&dynamic_cast<const augment::embed::Embed&>(*op).vectors() == a.get());
}
