// unit_norm over each sample against scikit-learn's normalize() (tests/fixtures/features), and
// over each feature column (fitted) against column norms worked out by hand.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/error.hpp"
#include "augment/core/pipeline.hpp"
#include "fixture_table.hpp"

using augment_test::blocks_of;
using augment_test::check_matrix_close;
using augment_test::fixture_matrix;
using augment_test::make_pipeline;
using augment_test::Matrix;
using augment_test::run_rows;
using nlohmann::json;

TEST_CASE("unit_norm over sample matches normalize() for l2, l1 and max") {
  const Matrix input = fixture_matrix("input.csv");
  for (const std::string norm : {"l2", "l1", "max"}) {
    INFO("norm " << norm);
    const auto pipeline = make_pipeline(json::array({{{"op", "unit_norm"}, {"norm", norm}}}));
    CHECK(pipeline.unfitted_stages().empty());  // needs no fit
    check_matrix_close(fixture_matrix("unit_norm_" + norm + ".csv"), run_rows(pipeline, input), 1e-12);
  }
}

TEST_CASE("unit_norm: the default is l2 over each sample") {
  const auto pipeline = make_pipeline(json::array({{{"op", "unit_norm"}}}));
  check_matrix_close(fixture_matrix("unit_norm_l2.csv"), run_rows(pipeline, fixture_matrix("input.csv")), 1e-12);
  const json stage = pipeline.to_json()["stages"][0];
  CHECK(stage["norm"] == "l2");
  CHECK(stage["over"] == "sample");
}

TEST_CASE("unit_norm: a zero row stays zero") {
  const Matrix input = fixture_matrix("input_zero_row.csv");
  REQUIRE(input[2] == std::vector<double>{0.0, 0.0, 0.0, 0.0});
  const auto pipeline = make_pipeline(json::array({{{"op", "unit_norm"}, {"norm", "l2"}}}));
  const Matrix out = run_rows(pipeline, input);
  check_matrix_close(fixture_matrix("unit_norm_l2_zero_row.csv"), out, 1e-12);
  CHECK(out[2] == std::vector<double>{0.0, 0.0, 0.0, 0.0});
  for (const std::string norm : {"l1", "max"}) {
    const auto other = make_pipeline(json::array({{{"op", "unit_norm"}, {"norm", norm}}}));
    CHECK(run_rows(other, {{0.0, 0.0, 0.0}}) == Matrix{{0.0, 0.0, 0.0}});
  }
}

TEST_CASE("unit_norm over feature: fitted column norms") {
  // Column 0: 3, -4, 0 -> l2 5, l1 7, max 4.   Column 1: -1, 2, -2 -> l2 3, l1 5, max 2.
  // Column 2: all zero -> every norm 0, and the column stays zero.
  const Matrix rows = {{3.0, -1.0, 0.0}, {-4.0, 2.0, 0.0}, {0.0, -2.0, 0.0}};
  struct Case {
    std::string norm;
    std::vector<double> norms;
  };
  for (const Case& c : {Case{"l2", {5.0, 3.0, 0.0}}, Case{"l1", {7.0, 5.0, 0.0}}, Case{"max", {4.0, 2.0, 0.0}}}) {
    INFO("norm " << c.norm);
    auto pipeline = make_pipeline(json::array({{{"op", "unit_norm"}, {"norm", c.norm}, {"over", "feature"}}}));
    CHECK(pipeline.unfitted_stages() == std::vector<std::string>{"stage 0 (unit_norm)"});
    pipeline.fit(blocks_of(rows, 2));
    const json state = pipeline.to_json()["stages"][0]["state"];
    CHECK(state["norm"].get<std::vector<double>>() == c.norms);
    CHECK(state["count"] == 3);

    Matrix expected = rows;
    for (auto& r : expected)
      for (std::size_t j = 0; j < 2; ++j) r[j] /= c.norms[j];
    check_matrix_close(expected, run_rows(pipeline, rows), 1e-15);
    // Rows that were not fitted on are divided by the same column norms.
    check_matrix_close({{c.norms[0], -c.norms[1], 7.0}}, run_rows(pipeline, {{c.norms[0] * c.norms[0], -c.norms[1] * c.norms[1], 7.0}}), 1e-15);
  }
}

TEST_CASE("unit_norm over feature: state by hand, and errors") {
  auto pipeline = make_pipeline(
      json::array({{{"op", "unit_norm"}, {"over", "feature"}, {"state", {{"norm", {2.0, 0.0}}}}}}));
  CHECK(pipeline.unfitted_stages().empty());
  CHECK(run_rows(pipeline, {{3.0, 5.0}}) == Matrix{{1.5, 5.0}});

  augment::Sample wide = augment::features::make_sample({1.0, 2.0, 3.0});
  CHECK_THROWS_AS(pipeline.run(wide, augment::Rng(1)), augment::UsageError);

  // Over each sample there is no state to give.
  CHECK_THROWS_AS(make_pipeline(json::array({{{"op", "unit_norm"}, {"state", {{"norm", {1.0}}}}}})), augment::SpecError);
  CHECK_THROWS_AS(make_pipeline(json::array({{{"op", "unit_norm"}, {"over", "feature"}, {"state", {{"norm", {-1.0}}}}}})),
                  augment::SpecError);
  CHECK_THROWS_AS(make_pipeline(json::array({{{"op", "unit_norm"}, {"norm", "l3"}}})), augment::SpecError);
}
