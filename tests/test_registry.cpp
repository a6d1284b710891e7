#include <doctest/doctest.h>

#include "augment/core/closest_names.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/core/registry.hpp"
#include "test_ops.hpp"

using nlohmann::json;

TEST_CASE("the registry lists ops by name and kind, and describes their parameters") {
  const auto r = test_ops::registry();
  std::vector<std::string> names;
  for (const auto* op : r.ops()) names.push_back(op->name);
  CHECK(names == std::vector<std::string>{"add", "center", "count", "jitter", "to_text"});
  CHECK(r.ops(augment::Kind::text).empty());
  CHECK(r.find("jitter")->random);
  CHECK(r.find("nothing") == nullptr);
  const json d = r.find("count")->describe();
  CHECK(d["input"] == "features");
  CHECK(d["params"][0] == json{{"name", "times"}, {"type", "integer"}, {"default", 2}, {"required", false},
                                {"drawable", true}, {"minimum", 0.0}, {"maximum", 10.0}, {"doc", "how many"}});
  CHECK(d["params"][1]["choices"] == json::array({"fast", "slow"}));
}

TEST_CASE("duplicate registration is a programming error") {
  auto r = test_ops::registry();
  CHECK_THROWS_AS(r.add({.name = "add", .create = augment::make_transform<test_ops::Add>}), std::logic_error);
}

TEST_CASE("suggestions are the nearest names within edit distance 2") {
  const auto r = test_ops::registry();
  CHECK(r.suggest("jiter") == std::vector<std::string>{"jitter"});
  CHECK(r.suggest("ad") == std::vector<std::string>{"add"});
  CHECK(r.suggest("xyzzy").empty());
  // Only the nearest: "mell" is one edit from "mel", two from "spell" and "hello".
  CHECK(augment::closest_names("mell", {"hello", "spell", "mel", "mfcc"}) == std::vector<std::string>{"mel"});
  CHECK(augment::closest_names("mel", {"mel"}).empty());  // the name itself is no suggestion
  CHECK(augment::closest_names("ab", {"xy", "cd"}).empty());  // two edits rewrite a two-letter name
  CHECK(augment::did_you_mean("sigmaa", {"mean", "sigma"}) == "did you mean 'sigma'?");
  CHECK(augment::did_you_mean("rotat", {"rotate", "rotato"}) == "did you mean 'rotate' or 'rotato'?");
  CHECK(augment::did_you_mean("zzzz", {"rotate"}).empty());
  CHECK(augment::edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("draw_number and draw_integer read scalars and ranges") {
  augment::Rng rng(3);
  CHECK(augment::draw_number(2.5, rng) == 2.5);
  for (int i = 0; i < 100; ++i) {
    const double x = augment::draw_number(json::array({1.0, 2.0}), rng);
    CHECK((x >= 1.0 && x < 2.0));
    const auto k = augment::draw_integer(json::array({3, 5}), rng);
    CHECK((k >= 3 && k <= 5));
  }
}

TEST_CASE("ops of different kinds may share a name, and a spec picks the one its kind chain reaches") {
  auto r = test_ops::registry();
  r.add({.name = "add", .input = augment::Kind::text, .output = augment::Kind::text, .doc = "text add",
         .create = augment::make_transform<test_ops::Identity>});
  CHECK(r.find("add", augment::Kind::text)->doc == "text add");
  CHECK(r.find("add", augment::Kind::features)->doc == "add a constant");
  CHECK(r.find("add", augment::Kind::image) == nullptr);
  CHECK(r.ops(augment::Kind::text).size() == 1);
  CHECK(r.suggest("ad") == std::vector<std::string>{"add"});
  const auto p = augment::Pipeline::from_json(
      {{"kind", "features"}, {"stages", json::array({{{"op", "add"}}, {{"op", "to_text"}}, {{"op", "add"}}})}}, r);
  CHECK(p.output_kind() == augment::Kind::text);
}
