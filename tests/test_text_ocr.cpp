// ocr_error: only table entries (checked against the corpora file), longest match first, whole
// clusters (NFD matches), never across words, digits policy.
#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "augment/core/registry.hpp"
#include "augment/text/char_edits.hpp"
#include "augment/text/graphemes.hpp"
#include "augment/text/ocr_error.hpp"
#include "augment/text/register_transforms.hpp"
#include "augment/text/text.hpp"
#include "text_test_helpers.hpp"

using namespace augment::text;
using nlohmann::json;

namespace {

std::string table_file() {
  std::ifstream in(std::string(AUGMENT_SOURCE_DIR) + "/corpora/text/ocr/confusions.tsv", std::ios::binary);
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// (source, target) pairs read straight from the file.
std::set<std::pair<std::string, std::string>> file_pairs() {
  std::set<std::pair<std::string, std::string>> out;
  std::istringstream in(table_file());
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    out.emplace(line.substr(0, tab), line.substr(tab + 1));
  }
  return out;
}

std::unique_ptr<augment::Transform> make_op(const json& params) {
  return text_test::make_op("ocr_error", augment::Kind::text, params);
}

json draw(const augment::Transform& op, const std::string& text, std::uint64_t seed) {
  augment::Sample s = make_sample(Text{text, "es"});
  augment::Rng rng(seed);
  return op.draw(rng, s);
}

}  // namespace

TEST_CASE("the compiled-in OCR table is the corpora file byte for byte") {
  CHECK(ocr_table_source() == table_file());
  const auto& rn = ocr_table().by_first.at("r");
  REQUIRE(!rn.empty());
  CHECK(rn.front().source == std::vector<std::string>{"r", "n"});
  CHECK(rn.front().targets == std::vector<std::string>{"m"});
  // Longest first: "cl" is tried before "c".
  const auto& c = ocr_table().by_first.at("c");
  CHECK(c.front().source.size() == 2);
  CHECK(c.back().source.size() == 1);
}

TEST_CASE("every OCR edit is an entry of the table") {
  const auto pairs = file_pairs();
  const auto op = make_op({{"unit_p", 0.5}, {"max", 100}, {"min_word_length", 1}});
  const std::string text =
      "El modern clima de 2005: vivir en la villa, 1 libro, 5 SOS, niño, canción, pingüino, CAMIÓN, Ñandú e "
      "IIlinois clinic, vvater";
  const auto clusters = grapheme_clusters(text);
  std::size_t seen = 0;
  std::set<std::string> sources;
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    const json params = draw(*op, text, seed);
    for (const auto& e : params["edits"]) {
      const auto i = e[0].get<std::size_t>();
      const std::size_t len = e.size() == 4 ? e[3].get<std::size_t>() : 1;
      std::string source;
      for (std::size_t k = i; k < i + len; ++k) source += to_nfc(clusters[k]);
      CAPTURE(source);
      CAPTURE(e.dump());
      CHECK(e[1] == "substitute");
      CHECK(pairs.contains({source, e[2].get<std::string>()}));
      sources.insert(source);
      ++seen;
    }
  }
  CHECK(seen > 1000);
  for (const std::string source : {"rn", "cl", "vv", "0", "1", "5", "S", "ñ", "ó", "Ó", "Ñ", "ü"}) {
    CAPTURE(source);
    CHECK(sources.contains(source));
  }
}

TEST_CASE("the longest source wins and matches whole clusters, within one word") {
  const auto op = make_op({{"unit_p", 1.0}, {"max", 100}, {"min_word_length", 1}});
  for (std::uint64_t seed = 0; seed < 30; ++seed) {
    // At the c of "cl" the match is "cl" (-> d), never c alone (-> e / o).
    const json cl = draw(*op, "clcl", seed), an = draw(*op, "an\u0303o", seed), rn = draw(*op, "r n", seed);
    for (const auto& e : cl["edits"]) {
      if (e[0] == 0 || e[0] == 2) {
        CHECK(e[2] == "d");
        CHECK(e[3] == 2);
      }
    }
    // "n" + U+0303 is ñ: replaced whole, never its n alone.
    for (const auto& e : an["edits"]) {
      if (e[0] == 1) CHECK(e[2] == "n");
      CHECK(e.size() == 3);
    }
    // "r n" is two words: no "rn" match across the space.
    for (const auto& e : rn["edits"]) CHECK(e.size() == 3);
  }
  // Applied: "modern" with only the rn edit.
  augment::Sample s = make_sample(Text{"modern", "en"});
  op->apply(s, json{{"edits", {{4, "substitute", "m", 2}}}});
  CHECK(text_of(s).utf8 == "modem");
}

TEST_CASE("digits are eligible by default and can be turned off") {
  const auto with = make_op({{"unit_p", 1.0}, {"max", 100}});
  const auto without = make_op({{"unit_p", 1.0}, {"max", 100}, {"digits", false}});
  CHECK(draw(*with, "2005", 1)["edits"].size() == 4);  // 2 -> Z, 0 -> O / o, 5 -> S
  CHECK(draw(*without, "2005", 1)["edits"].empty());
}

TEST_CASE("a malformed table line is rejected with its line number") {
  try {
    (void)parse_ocr_table("# comment\nrn\tm\nrn m\n");
    FAIL("no error");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("line 3") != std::string::npos);
  }
  CHECK_THROWS_AS(parse_ocr_table("a\tb\tc\n"), std::invalid_argument);
  CHECK_THROWS_AS(parse_ocr_table("\tb\n"), std::invalid_argument);
}
