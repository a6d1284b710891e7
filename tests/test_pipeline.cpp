// Pipeline behaviour: composition frequencies, replay, stream independence, round trip, fit.
#include <doctest/doctest.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "augment/core/error.hpp"
#include "augment/core/pipeline.hpp"
#include "test_ops.hpp"

using nlohmann::json;
using test_ops::Row;

namespace {

augment::Pipeline build(const json& stages) {
  static const auto registry = test_ops::registry();
  return augment::Pipeline::from_json({{"kind", "features"}, {"stages", stages}}, registry);
}

Row run_once(const augment::Pipeline& p, Row input, std::uint64_t seed, const std::string& key, json* record = nullptr) {
  augment::Sample s = test_ops::row(std::move(input));
  json r = p.run(s, augment::Rng::derive(seed, key, 0, 0));
  if (record) *record = r;
  return s.as<Row>();
}

}  // namespace

TEST_CASE("a sequence applies its stages in order") {
  const auto p = build({{{"op", "add"}, {"value", 2}}, {{"op", "add"}, {"value", -0.5}}});
  CHECK(run_once(p, {1, 2}, 0, "k") == Row{2.5, 3.5});
  CHECK(p.input_kind() == augment::Kind::features);
  CHECK(p.output_kind() == augment::Kind::features);
}

TEST_CASE("p, one_of weights and some_of counts have the asked frequencies") {
  const int n = 20000;
  SUBCASE("p = 0.3") {
    const auto p = build({{{"op", "add"}, {"p", 0.3}}});
    int applied = 0;
    for (int i = 0; i < n; ++i) applied += run_once(p, {0}, 1, std::to_string(i))[0] == 1.0;
    CHECK(applied / double(n) == doctest::Approx(0.3).epsilon(0.04));  // σ ≈ 0.0032 → 4σ margin
  }
  SUBCASE("one_of with weights 3:1:0") {
    const auto p = build({{{"one_of", json::array({{{"op", "add"}, {"value", 1}},
                                                   {{"op", "add"}, {"value", 10}},
                                                   {{"op", "add"}, {"value", 100}}})},
                           {"weights", json::array({3, 1, 0})}}});
    int first = 0, second = 0, third = 0;
    for (int i = 0; i < n; ++i) {
      const double v = run_once(p, {0}, 2, std::to_string(i))[0];
      first += v == 1;
      second += v == 10;
      third += v == 100;
    }
    CHECK(first + second == n);
    CHECK(third == 0);
    CHECK(first / double(n) == doctest::Approx(0.75).epsilon(0.02));
  }
  SUBCASE("some_of n = 2 of 3 picks distinct stages, in listed order") {
    const auto p = build({{{"some_of", json::array({{{"op", "add"}, {"value", 1}},
                                                    {{"op", "add"}, {"value", 10}},
                                                    {{"op", "add"}, {"value", 100}}})},
                           {"n", 2}}});
    std::map<double, int> sums;
    for (int i = 0; i < 3000; ++i) {
      json record;
      const double v = run_once(p, {0}, 3, std::to_string(i), &record)[0];
      ++sums[v];
      const auto chosen = record[0]["some_of"].get<std::vector<int>>();
      REQUIRE(chosen.size() == 2);
      CHECK(chosen[0] < chosen[1]);
    }
    CHECK(sums.size() == 3);  // {11, 101, 110}, each about a third
    for (const auto& [sum, count] : sums) CHECK(count / 3000.0 == doctest::Approx(1.0 / 3).epsilon(0.12));
  }
  SUBCASE("some_of n drawn from [0, 2]") {
    const auto p = build({{{"some_of", json::array({{{"op", "add"}}, {{"op", "add"}}})}, {"n", json::array({0, 2})}}});
    std::map<double, int> counts;
    for (int i = 0; i < 3000; ++i) ++counts[run_once(p, {0}, 4, std::to_string(i))[0]];
    CHECK(counts.size() == 3);
  }
}

TEST_CASE("replay of a record gives the same output without drawing") {
  const auto p = build({{{"op", "jitter"}, {"amount", json::array({0.5, 2.0})}},
                        {{"one_of", json::array({{{"op", "jitter"}}, {{"op", "add"}}})}, {"p", 0.5}},
                        {{"some_of", json::array({{{"op", "jitter"}}, {{"op", "add"}}, {{"op", "jitter"}}})},
                         {"n", json::array({1, 3})}, {"random_order", true}}});
  for (int i = 0; i < 200; ++i) {
    json record;
    const Row out = run_once(p, {1, 2, 3}, 9, std::to_string(i), &record);
    augment::Sample again = test_ops::row({1, 2, 3});
    p.replay(again, record);
    CHECK(again.as<Row>() == out);
  }
  augment::Sample s = test_ops::row({1});
  CHECK_THROWS_AS(p.replay(s, json::array({json::object()})), augment::UsageError);
}

TEST_CASE("each stage draws from its own stream: changing one stage leaves the others' draws alone") {
  const auto a = build({{{"op", "jitter"}}, {{"op", "add"}, {"value", 3}}, {{"op", "jitter"}, {"amount", 5}}});
  const auto b = build({{{"op", "jitter"}, {"p", 0.0}}, {{"op", "add"}, {"value", 3}}, {{"op", "jitter"}, {"amount", 5}}});
  json ra, rb;
  run_once(a, {0}, 5, "x", &ra);
  run_once(b, {0}, 5, "x", &rb);
  CHECK(rb[0].is_null());
  CHECK(ra[2] == rb[2]);
}

TEST_CASE("same seed and key give the same output on 1 or 2 threads, other keys differ") {
  const auto p = build({{{"op", "jitter"}}, {{"some_of", json::array({{{"op", "jitter"}}, {{"op", "add"}}})}}});
  auto all = [&](int threads) {
    std::vector<Row> out(2000);
    tbb::task_arena arena(threads);
    arena.execute([&] {
      tbb::parallel_for(std::size_t{0}, out.size(), [&](std::size_t i) { out[i] = run_once(p, {1, 2}, 77, std::to_string(i)); });
    });
    return out;
  };
  const auto one = all(1);
  CHECK(one == all(2));
  CHECK(one[0] != one[1]);
}

TEST_CASE("spec -> pipeline -> spec round-trips, with defaults made explicit") {
  const json spec = {{"kind", "features"},
                     {"name", "demo"},
                     {"stages", json::array({{{"op", "add"}, {"value", 2}},
                                             {{"op", "jitter"}, {"amount", json::array({0.1, 0.2})}, {"p", 0.25}},
                                             {{"one_of", json::array({{{"op", "add"}}, {{"op", "jitter"}}})},
                                              {"weights", json::array({2, 1})}},
                                             {{"some_of", json::array({{{"op", "add"}}, {{"op", "count"}, {"times", 3.0}}})},
                                              {"n", json::array({1, 2})}},
                                             {{"sequence", json::array({{{"op", "add"}}})}, {"p", 0.5}},
                                             {{"op", "center"}, {"state", {{"mean", json::array({1.5})}}}}})}};
  const auto registry = test_ops::registry();
  const json once = augment::Pipeline::from_json(spec, registry).to_json();
  CHECK(augment::Pipeline::from_json(once, registry).to_json() == once);
  CHECK(once["name"] == "demo");
  CHECK(once["stages"][0] == json{{"op", "add"}, {"value", 2.0}});
  CHECK(once["stages"][1]["p"] == 0.25);
  CHECK(once["stages"][3]["some_of"][1] ==
        json{{"op", "count"}, {"times", 3}, {"mode", "fast"}, {"flag", false}});  // 3.0 → 3, defaults filled
  CHECK(once["stages"][5]["state"]["mean"] == json::array({1.5}));
}

TEST_CASE("fit: each fitted stage learns from what the stages before it give, random stages are skipped") {
  auto p = build({{{"op", "jitter"}, {"amount", 50}}, {{"op", "add"}, {"value", 10}}, {{"op", "center"}}});
  CHECK(p.unfitted_stages() == std::vector<std::string>{"stage 2 (center)"});
  augment::Sample s = test_ops::row({1});
  CHECK_THROWS_WITH_AS(p.run(s, augment::Rng(0)), "stage 2 (center): not fitted; run `augment fit` first or give its state",
                       augment::UsageError);
  // rows 0..99 in blocks of 7: mean 49.5, plus the deterministic add → 59.5
  auto open = [] {
    auto next = std::make_shared<int>(0);
    return augment::SampleBlockReader([next](std::vector<augment::Sample>& block) {
      block.clear();
      while (block.size() < 7 && *next < 100) block.push_back(test_ops::row({double((*next)++)}));
      return !block.empty();
    });
  };
  tbb::task_arena arena(2);
  arena.execute([&] { p.fit(open); });
  CHECK(p.to_json()["stages"][2]["state"]["mean"] == json::array({59.5}));
  CHECK(p.unfitted_stages().empty());
}

TEST_CASE("fit rejects fitted stages that would see part of the data, and empty data") {
  auto open_empty = [] { return augment::SampleBlockReader([](std::vector<augment::Sample>&) { return false; }); };
  auto inside = build({{{"one_of", json::array({{{"op", "center"}}, {{"op", "add"}}})}}});
  CHECK_THROWS_WITH_AS(inside.fit(open_empty),
                       "stage 0.0 (center): a fitted stage cannot sit inside stage 0 (one_of); put it in the main sequence",
                       augment::SpecError);
  auto skippable = build({{{"op", "center"}, {"p", 0.5}}});
  CHECK_THROWS_WITH_AS(skippable.fit(open_empty), "stage 0 (center): a fitted stage cannot have p < 1", augment::SpecError);
  auto empty = build({{{"op", "center"}}});
  CHECK_THROWS_WITH_AS(empty.fit(open_empty), "stage 0 (center): cannot fit: no rows to fit on", augment::DataError);
}

TEST_CASE("preprocess applies only the deterministic stages, and its record replays") {
  auto p = build({{{"op", "add"}, {"value", 2}},
                  {{"op", "jitter"}},
                  {{"op", "add"}, {"value", 5}, {"p", 0.5}},
                  {{"sequence", json::array({{{"op", "add"}, {"value", 10}}, {{"op", "jitter"}}})}},
                  {{"one_of", json::array({{{"op", "add"}}, {{"op", "add"}}})}}});
  augment::Sample s = test_ops::row({1});
  const json record = p.preprocess(s);
  CHECK(s.as<Row>() == Row{13});  // 1 + 2 + 10: jitter, p < 1 and the choice are augmentation
  CHECK(record == json::array({{{"op", "add"}}, nullptr, nullptr, {{"sequence", json::array({{{"op", "add"}}, nullptr})}}, nullptr}));
  augment::Sample again = test_ops::row({1});
  p.replay(again, record);
  CHECK(again.as<Row>() == Row{13});
}
