// rescale against scikit-learn's MinMaxScaler (tests/fixtures/features, see make_fixtures.py).
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

namespace {

/// The SpecError message of building `stages`; fails the test when it builds.
std::string spec_error(const json& stages) {
  try {
    (void)make_pipeline(stages);
  } catch (const augment::SpecError& e) {
    return e.what();
  }
  FAIL("expected a SpecError for " << stages.dump());
  return {};
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

}  // namespace

TEST_CASE("rescale: fitted through Pipeline::fit matches MinMaxScaler (0, 1)") {
  const Matrix input = fixture_matrix("input.csv");
  auto pipeline = make_pipeline(json::array({{{"op", "rescale"}}}));
  CHECK(pipeline.unfitted_stages() == std::vector<std::string>{"stage 0 (rescale)"});
  pipeline.fit(blocks_of(input, 5));  // blocks of 5, 5 and 2 rows
  CHECK(pipeline.unfitted_stages().empty());

  check_matrix_close(fixture_matrix("rescale_0_1.csv"), run_rows(pipeline, input), 1e-12);

  SUBCASE("the constant column c maps to min") {
    for (const auto& row : run_rows(pipeline, input)) CHECK(row[2] == 0.0);
  }
  SUBCASE("fitted data_min and data_max are MinMaxScaler's") {
    const json expected = augment_test::fitted_state_fixture()["min_max_scaler"];
    const json state = pipeline.to_json()["stages"][0]["state"];
    CHECK(state["data_min"].get<std::vector<double>>() == expected["data_min"].get<std::vector<double>>());
    CHECK(state["data_max"].get<std::vector<double>>() == expected["data_max"].get<std::vector<double>>());
    CHECK(state["count"] == 12);
  }
  SUBCASE("the saved spec rebuilds the same fitted pipeline") {
    const auto again = augment::Pipeline::from_json(pipeline.to_json(), augment_test::features_registry());
    CHECK(again.unfitted_stages().empty());
    CHECK(again.to_json() == pipeline.to_json());
    check_matrix_close(fixture_matrix("rescale_0_1.csv"), run_rows(again, input), 1e-12);
  }
}

TEST_CASE("rescale: min -1, max 1 matches MinMaxScaler(feature_range=(-1, 1))") {
  const Matrix input = fixture_matrix("input.csv");
  auto pipeline = make_pipeline(json::array({{{"op", "rescale"}, {"min", -1}, {"max", 1}}}));
  pipeline.fit(blocks_of(input, 1000));
  const Matrix out = run_rows(pipeline, input);
  check_matrix_close(fixture_matrix("rescale_m1_1.csv"), out, 1e-12);
  for (const auto& row : out) CHECK(row[2] == -1.0);  // constant column -> min
}

TEST_CASE("rescale: clip holds out-of-range values to min..max") {
  const Matrix input = fixture_matrix("input.csv");
  // Column a spans [-11.6, 12.125] (range 23.725); the other columns stay in range.
  const std::vector<double> outside_high = {20.0, 0.0, 4.0, 0.0};
  const std::vector<double> outside_low = {-100.0, 0.0, 4.0, 0.0};

  auto plain = make_pipeline(json::array({{{"op", "rescale"}}}));
  plain.fit(blocks_of(input, 4));
  const Matrix unclipped = run_rows(plain, {outside_high, outside_low});
  CHECK(unclipped[0][0] == doctest::Approx((20.0 + 11.6) / 23.725).epsilon(1e-14));
  CHECK(unclipped[1][0] == doctest::Approx((-100.0 + 11.6) / 23.725).epsilon(1e-14));

  auto clipped = make_pipeline(json::array({{{"op", "rescale"}, {"clip", true}}}));
  clipped.fit(blocks_of(input, 4));
  const Matrix out = run_rows(clipped, {outside_high, outside_low});
  CHECK(out[0][0] == 1.0);
  CHECK(out[1][0] == 0.0);
  // In-range values are not touched by clip.
  CHECK(out[0][1] == doctest::Approx((0.0 + 25.5) / (2210.125 + 25.5)).epsilon(1e-14));
  check_matrix_close(fixture_matrix("rescale_0_1.csv"), run_rows(clipped, input), 1e-12);
}

TEST_CASE("rescale: a state given in the spec works without fit") {
  auto pipeline = make_pipeline(json::array(
      {{{"op", "rescale"}, {"min", -1}, {"max", 1}, {"state", {{"data_min", {0, 10}}, {"data_max", {4, 10}}}}}}));
  CHECK(pipeline.unfitted_stages().empty());
  const Matrix out = run_rows(pipeline, {{1.0, 10.0}, {3.0, 12.0}, {4.0, 7.0}});
  // (x - 0) / 4 * 2 - 1; the constant column maps to min whatever x is: x·2 + (-1 - 10·2).
  check_matrix_close({{-0.5, -1.0}, {0.5, 3.0}, {1.0, -7.0}}, out, 1e-15);
  // A state given by hand has no row count.
  CHECK_FALSE(pipeline.to_json()["stages"][0]["state"].contains("count"));
}

TEST_CASE("rescale: an unfitted stage refuses to run") {
  auto pipeline = make_pipeline(json::array({{{"op", "rescale"}}}));
  augment::Sample sample = augment::features::make_sample({1.0, 2.0});
  CHECK_THROWS_AS(pipeline.run(sample, augment::Rng(1)), augment::UsageError);
}

TEST_CASE("rescale: bad states are SpecErrors naming the stage") {
  SUBCASE("data_max below data_min") {
    const std::string message = spec_error(json::array(
        {{{"op", "rescale"}, {"state", {{"data_min", {0, 5}}, {"data_max", {1, 4}}}}}}));
    INFO(message);
    CHECK(starts_with(message, "stage 0 (rescale): "));
    CHECK(message.find("column 1") != std::string::npos);
  }
  SUBCASE("lists of different lengths") {
    const std::string message = spec_error(json::array(
        {{{"op", "standardize"}, {"state", {{"mean", {0}}, {"std", {1}}}}},
         {{"op", "rescale"}, {"state", {{"data_min", {0, 5}}, {"data_max", {1}}}}}}));
    INFO(message);
    CHECK(starts_with(message, "stage 1 (rescale): "));
    CHECK(message.find("data_max") != std::string::npos);
  }
  SUBCASE("non-numbers") {
    for (const json& bad : {json{{"data_min", {0, "x"}}, {"data_max", {1, 2}}},
                            json{{"data_min", {0, 1}}, {"data_max", {1, nullptr}}},
                            json{{"data_min", "0"}, {"data_max", {1}}},
                            json{{"data_max", {1}}}, json::array({0, 1})}) {
      const std::string message = spec_error(json::array({{{"op", "rescale"}, {"state", bad}}}));
      INFO(bad.dump() << " -> " << message);
      CHECK(starts_with(message, "stage 0 (rescale): "));
    }
  }
  SUBCASE("an empty state list") {
    const std::string message =
        spec_error(json::array({{{"op", "rescale"}, {"state", {{"data_min", json::array()}, {"data_max", json::array()}}}}}));
    CHECK(starts_with(message, "stage 0 (rescale): "));
  }
}

TEST_CASE("rescale: min must be below max") {
  for (const json& stage : {json{{"op", "rescale"}, {"min", 1}, {"max", 1}},
                            json{{"op", "rescale"}, {"min", 2}, {"max", -2}},
                            json{{"op", "rescale"}, {"min", 1.5}}}) {
    const std::string message = spec_error(json::array({stage}));
    INFO(stage.dump() << " -> " << message);
    CHECK(starts_with(message, "stage 0 (rescale): min must be below max"));
  }
}

TEST_CASE("rescale: a near-constant column (range below 10 eps) maps to min, as scikit-learn") {
  // scikit-learn 1.2 MinMaxScaler on [[0, 1], [1e-16, 2], [5e-17, 3]] gives column 0 as its
  // values shifted, unscaled (_handle_zeros_in_scale: range < 10·eps → scale 1): 0, 1e-16, 5e-17.
  auto pipeline = make_pipeline(json::array({{{"op", "rescale"}}}));
  const Matrix rows = {{0.0, 1.0}, {1e-16, 2.0}, {5e-17, 3.0}};
  pipeline.fit(blocks_of(rows, 2));
  check_matrix_close({{0.0, 0.0}, {1e-16, 0.5}, {5e-17, 1.0}}, run_rows(pipeline, rows), 1e-30);
}
