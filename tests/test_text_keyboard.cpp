// keyboard_typo: every typo is an adjacent key on the layout file (checked exhaustively, key by
// key, against neighbours computed here from the file), dead-key slips, layout choice.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "augment/core/registry.hpp"
#include "augment/text/char_edits.hpp"
#include "augment/text/edit_count.hpp"
#include "augment/text/keyboard_typo.hpp"
#include "augment/text/register_transforms.hpp"
#include "augment/text/text.hpp"
#include "text_test_helpers.hpp"

using namespace augment::text;
using nlohmann::json;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string layout_path(const std::string& name) {
  return std::string(AUGMENT_SOURCE_DIR) + "/corpora/text/keyboards/" + name + ".json";
}

// Neighbours straight from the file: same row +-1, adjacent rows with centres < 1 key apart.
std::map<std::string, std::set<std::string>> file_neighbours(const json& layout) {
  struct K {
    std::size_t row;
    double centre;
    json levels;
  };
  std::vector<K> keys;
  for (std::size_t r = 0; r < layout["rows"].size(); ++r)
    for (std::size_t j = 0; j < layout["rows"][r]["keys"].size(); ++j)
      keys.push_back({r, layout["rows"][r]["offset"].get<double>() + static_cast<double>(j) + 0.5,
                      layout["rows"][r]["keys"][j]});
  std::map<std::string, std::set<std::string>> out;
  for (const K& a : keys)
    for (std::size_t level = 0; level < a.levels.size(); ++level) {
      auto& set = out[a.levels[level].get<std::string>()];
      for (const K& b : keys) {
        const double dx = std::fabs(a.centre - b.centre);
        const bool adjacent = (a.row == b.row && std::fabs(dx - 1.0) < 1e-9) ||
                              ((a.row + 1 == b.row || b.row + 1 == a.row) && dx < 1.0 - 1e-9);
        if (adjacent) set.insert(b.levels[std::min<std::size_t>(level, b.levels.size() - 1)].get<std::string>());
      }
    }
  return out;
}

std::unique_ptr<augment::Transform> make_op(const json& params) {
  return text_test::make_op("keyboard_typo", augment::Kind::text, params);
}

// The replacements keyboard_typo draws for the clusters of `text` over many seeds.
std::map<std::size_t, std::set<std::string>> typos_drawn(const augment::Transform& op, const std::string& text,
                                                         const std::string& language, int seeds = 60) {
  std::map<std::size_t, std::set<std::string>> out;
  for (int seed = 0; seed < seeds; ++seed) {
    augment::Sample s = make_sample(Text{text, language});
    augment::Rng rng(static_cast<std::uint64_t>(seed));
    const json params = op.draw(rng, s);
    for (const auto& e : params["edits"]) {
      CHECK(e[1] == "substitute");
      out[e[0].get<std::size_t>()].insert(e[2].get<std::string>());
    }
    op.apply(s, params);
  }
  return out;
}

}  // namespace

TEST_CASE("the compiled-in layouts are the corpora files byte for byte") {
  for (const char* name : {"en-US", "es-ES"}) {
    CAPTURE(name);
    CHECK(keyboard_layout_source(name) == read_file(layout_path(name)));
    CHECK(keyboard_layout(name).name == name);
  }
  CHECK_THROWS_AS(keyboard_layout("fr-FR"), augment::UsageError);
}

TEST_CASE("every key's typos are exactly its physical neighbours on the layout file") {
  for (const char* name : {"en-US", "es-ES"}) {
    CAPTURE(name);
    const json file = json::parse(read_file(layout_path(name)));
    const KeyboardLayout& layout = keyboard_layout(name);
    const auto expected = file_neighbours(file);
    for (const auto& [ch, neighbours] : expected) {
      CAPTURE(ch);
      const Typos& t = keyboard_typos(layout, ch);
      CHECK(std::set<std::string>(t.neighbour.begin(), t.neighbour.end()) == neighbours);
      CHECK(t.dead_key_missed.empty());
      // Through the op, on a word of that key alone: only those neighbours come out.
      if (classify_cluster(ch) == ClusterClass::other) continue;
      const auto op = make_op({{"unit_p", 1.0}, {"max", 100}, {"layout", name}, {"digits", true}});
      for (const auto& [index, drawn] : typos_drawn(*op, ch + ch + ch, "", 15))
        for (const auto& d : drawn) {
          CAPTURE(d);
          CHECK(neighbours.contains(d));
        }
    }
  }
}

TEST_CASE("known neighbours, shifted characters and ñ") {
  const auto set_of = [](const char* layout, const char* ch) {
    const Typos& t = keyboard_typos(keyboard_layout(layout), ch);
    return std::set<std::string>(t.neighbour.begin(), t.neighbour.end());
  };
  CHECK(set_of("en-US", "q") == std::set<std::string>{"1", "2", "w", "a"});
  CHECK(set_of("en-US", "s") == std::set<std::string>{"w", "e", "a", "d", "z", "x"});
  CHECK(set_of("en-US", "Q") == std::set<std::string>{"!", "@", "W", "A"});
  CHECK(set_of("en-US", "m") == std::set<std::string>{"n", ",", "j", "k"});
  CHECK(set_of("es-ES", "ñ") == std::set<std::string>{"l", "´", "p", "`", ".", "-"});
  CHECK(set_of("es-ES", "Ñ") == std::set<std::string>{"L", "¨", "P", "^", ":", "_"});
  CHECK(set_of("es-ES", "z") == std::set<std::string>{"<", "x", "a", "s"});
  CHECK(keyboard_typos(keyboard_layout("en-US"), "ñ").neighbour.empty());
}

TEST_CASE("dead-key letters slip three ways: missed, not joined, neighbour after the dead key") {
  const Typos& a = keyboard_typos(keyboard_layout("es-ES"), "á");
  CHECK(a.dead_key_missed == std::vector<std::string>{"a"});
  CHECK(a.dead_key_unjoined == std::vector<std::string>{"´a"});
  CHECK(std::set<std::string>(a.neighbour.begin(), a.neighbour.end()) ==
        std::set<std::string>{"´q", "´w", "´s", "´z", "´<"});  // ISO: a sits above < and z
  const Typos& o = keyboard_typos(keyboard_layout("es-ES"), "ó");
  CHECK(std::set<std::string>(o.neighbour.begin(), o.neighbour.end()) ==
        std::set<std::string>{"í", "´p", "´k", "´l", "´9", "´0"});
  const Typos& upper = keyboard_typos(keyboard_layout("es-ES"), "Ú");
  CHECK(upper.dead_key_missed == std::vector<std::string>{"U"});
  CHECK(upper.dead_key_unjoined == std::vector<std::string>{"´U"});
  const Typos& u = keyboard_typos(keyboard_layout("es-ES"), "ü");
  CHECK(u.dead_key_unjoined == std::vector<std::string>{"¨u"});
  // Through the op every kind turns up, for á written precomposed or as a + U+0301.
  const auto op = make_op({{"unit_p", 1.0}, {"max", 100}});
  for (const std::string word : {"ááá", "a\u0301a\u0301a\u0301"}) {
    std::set<std::string> all;
    for (const auto& [index, drawn] : typos_drawn(*op, word, "es", 80)) all.insert(drawn.begin(), drawn.end());
    CHECK(all.contains("a"));
    CHECK(all.contains("´a"));
    CHECK(all.contains("´s"));
    for (const auto& d : all)
      CHECK((d == "a" || d == "´a" || d == "´q" || d == "´w" || d == "´s" || d == "´z" || d == "´<"));
  }
}

TEST_CASE("the layout follows the text's language unless the layout param says") {
  const auto by_language = make_op({{"unit_p", 1.0}, {"max", 100}});
  CHECK(typos_drawn(*by_language, "ñññ", "es").size() == 3);
  CHECK(typos_drawn(*by_language, "ñññ", "en").empty());  // no ñ key on en-US
  CHECK(typos_drawn(*by_language, "ñññ", "").empty());
  const auto spanish = make_op({{"unit_p", 1.0}, {"max", 100}, {"layout", "es-ES"}});
  CHECK(typos_drawn(*spanish, "ñññ", "en").size() == 3);
  CHECK(layout_for_language("es-MX") == "es-ES");
  CHECK(layout_for_language("en") == "en-US");
}

TEST_CASE("a layout file with a key on two places or an unknown dead key is rejected") {
  CHECK_THROWS_AS(parse_keyboard_layout(json::parse(R"({"rows": [{"offset": 0, "keys": [["a"], ["a"]]}]})")),
                  std::invalid_argument);
  CHECK_THROWS_AS(parse_keyboard_layout(json::parse(R"({"rows": [{"offset": 0, "keys": [["a"]]}], "dead_keys": {"´": {"a": "á"}}})")),
                  std::invalid_argument);
  CHECK_THROWS_AS(parse_keyboard_layout(json::parse(R"({"rows": [{"keys": [["a"]]}]})")), std::invalid_argument);
}
