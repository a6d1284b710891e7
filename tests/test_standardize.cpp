// standardize against scikit-learn's StandardScaler (tests/fixtures/features, see make_fixtures.py),
// and fitting through Pipeline::fit: in blocks, in threads, and over several fitted stages.
#include <doctest/doctest.h>

#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/error.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/core/rng.hpp"
#include "fixture_table.hpp"

using augment_test::blocks_of;
using augment_test::check_matrix_close;
using augment_test::check_vector_close;
using augment_test::fixture_matrix;
using augment_test::make_pipeline;
using augment_test::Matrix;
using augment_test::run_rows;
using nlohmann::json;

namespace {

json sklearn_standard_scaler() { return augment_test::fitted_state_fixture()["standard_scaler"]; }

std::vector<double> numbers(const json& list) { return list.get<std::vector<double>>(); }

/// Values equal to a relative 1e-12 (absolute near zero).
void check_state_close(const json& expected, const json& actual) {
  REQUIRE(expected.type() == actual.type());
  if (expected.is_number_float() || actual.is_number_float()) {
    const double e = expected.get<double>(), a = actual.get<double>();
    INFO("expected " << e << ", got " << a);
    CHECK(std::abs(e - a) <= 1e-12 * std::max(1.0, std::abs(e)));
  } else if (expected.is_array() || expected.is_object()) {
    REQUIRE(expected.size() == actual.size());
    for (auto it = expected.begin(); it != expected.end(); ++it) {
      if (expected.is_object()) {
        INFO("key " << it.key());
        REQUIRE(actual.contains(it.key()));
        check_state_close(*it, actual[it.key()]);
      } else {
        check_state_close(*it, actual[static_cast<std::size_t>(it - expected.begin())]);
      }
    }
  } else {
    CHECK(expected == actual);
  }
}

}  // namespace

TEST_CASE("standardize: fitted through Pipeline::fit matches StandardScaler") {
  const Matrix input = fixture_matrix("input.csv");
  auto pipeline = make_pipeline(json::array({{{"op", "standardize"}}}));
  pipeline.fit(blocks_of(input, 5));

  const Matrix out = run_rows(pipeline, input);
  check_matrix_close(fixture_matrix("standardize.csv"), out, 1e-12);

  SUBCASE("the constant column maps to 0") {
    for (const auto& row : out) CHECK(row[2] == 0.0);
  }
  SUBCASE("mean and std are StandardScaler's mean_ and sqrt(var_)") {
    const json expected = sklearn_standard_scaler();
    const json state = pipeline.to_json()["stages"][0]["state"];
    const auto mean = numbers(state["mean"]);
    const auto std_dev = numbers(state["std"]);
    const auto sk_mean = numbers(expected["mean"]);
    const auto sk_var = numbers(expected["var"]);
    REQUIRE(mean.size() == 4);
    REQUIRE(std_dev.size() == 4);
    for (std::size_t j = 0; j < 4; ++j) {
      INFO("column " << j);
      CHECK(std::abs(mean[j] - sk_mean[j]) <= 1e-12 * std::max(1.0, std::abs(sk_mean[j])));
      CHECK(std::abs(std_dev[j] - std::sqrt(sk_var[j])) <= 1e-12 * std::max(1.0, std::sqrt(sk_var[j])));
    }
    CHECK(std_dev[2] == 0.0);
    CHECK(state["count"] == 12);
  }
}

TEST_CASE("standardize: with_mean = false and with_std = false") {
  const Matrix input = fixture_matrix("input.csv");
  const auto sk_mean = numbers(sklearn_standard_scaler()["mean"]);
  const auto sk_scale = numbers(sklearn_standard_scaler()["scale"]);  // 1 for the constant column

  SUBCASE("with_mean = false divides by std only") {
    auto pipeline = make_pipeline(json::array({{{"op", "standardize"}, {"with_mean", false}}}));
    pipeline.fit(blocks_of(input, 3));
    Matrix expected = input;
    for (auto& row : expected)
      for (std::size_t j = 0; j < 4; ++j) row[j] /= sk_scale[j];
    check_matrix_close(expected, run_rows(pipeline, input), 1e-12);
  }
  SUBCASE("with_std = false subtracts the mean only") {
    auto pipeline = make_pipeline(json::array({{{"op", "standardize"}, {"with_std", false}}}));
    pipeline.fit(blocks_of(input, 3));
    Matrix expected = input;
    for (auto& row : expected)
      for (std::size_t j = 0; j < 4; ++j) row[j] -= sk_mean[j];
    check_matrix_close(expected, run_rows(pipeline, input), 1e-12);
  }
  SUBCASE("both off leaves the data as it is") {
    auto pipeline = make_pipeline(json::array({{{"op", "standardize"}, {"with_mean", false}, {"with_std", false}}}));
    pipeline.fit(blocks_of(input, 3));
    CHECK(run_rows(pipeline, input) == input);
  }
}

TEST_CASE("standardize: a state given by hand") {
  auto pipeline = make_pipeline(
      json::array({{{"op", "standardize"}, {"state", {{"mean", {1.0, 2.0, -3.0}}, {"std", {2.0, 0.0, 0.5}}}}}}));
  CHECK(pipeline.unfitted_stages().empty());
  // (5 - 1) / 2 = 2; std 0: only centred, 7 - 2 = 5; (-2 + 3) / 0.5 = 2.
  CHECK(run_rows(pipeline, {{5.0, 7.0, -2.0}}) == Matrix{{2.0, 5.0, 2.0}});

  SUBCASE("bad states name the stage") {
    for (const json& bad : {json{{"mean", {0.0}}, {"std", {-1.0}}}, json{{"mean", {0.0, 1.0}}, {"std", {1.0}}},
                            json{{"mean", {"0"}}, {"std", {1.0}}}, json{{"std", {1.0}}}}) {
      INFO(bad.dump());
      try {
        (void)make_pipeline(json::array({{{"op", "standardize"}, {"state", bad}}}));
        FAIL("expected a SpecError");
      } catch (const augment::SpecError& e) {
        CHECK(std::string(e.what()).rfind("stage 0 (standardize): ", 0) == 0);
      }
    }
  }
}

TEST_CASE("standardize: fitting on zero rows is a DataError") {
  auto pipeline = make_pipeline(json::array({{{"op", "standardize"}}}));
  const Matrix none;
  try {
    pipeline.fit(blocks_of(none, 4));
    FAIL("expected a DataError");
  } catch (const augment::DataError& e) {
    CHECK(std::string(e.what()).find("stage 0 (standardize)") != std::string::npos);
  }
  CHECK_FALSE(pipeline.unfitted_stages().empty());
}

TEST_CASE("standardize: a row of another width at apply is a UsageError naming the stage") {
  auto pipeline = make_pipeline(json::array({{{"op", "standardize"}}}));
  pipeline.fit(blocks_of(fixture_matrix("input.csv"), 4));
  augment::Sample sample = augment::features::make_sample({1.0, 2.0, 3.0});
  try {
    pipeline.run(sample, augment::Rng(7));
    FAIL("expected a UsageError");
  } catch (const augment::UsageError& e) {
    const std::string message = e.what();
    INFO(message);
    CHECK(message.rfind("stage 0 (standardize): ", 0) == 0);
    CHECK(message.find('3') != std::string::npos);
    CHECK(message.find('4') != std::string::npos);
  }
}

TEST_CASE("fit in chunks and threads: same state whatever the block size and thread count") {
  // 2500 rows with a large offset in one column (where a naive sum of squares would lose digits).
  Matrix rows;
  augment::Rng rng(2024);
  for (int i = 0; i < 2500; ++i)
    rows.push_back({rng.normal(3.0, 2.0), 1e6 + rng.normal(0.0, 0.5), rng.uniform(-5.0, 5.0)});

  const json stages = json::array({{{"op", "rescale"}},
                                   {{"op", "standardize"}},
                                   {{"op", "unit_norm"}, {"over", "feature"}, {"norm", "l2"}},
                                   {{"op", "unit_norm"}, {"over", "feature"}, {"norm", "l1"}}});
  auto fitted_state = [&](std::size_t block_size, int threads) {
    auto pipeline = make_pipeline(stages);
    tbb::task_arena arena(threads);
    arena.execute([&] { pipeline.fit(blocks_of(rows, block_size)); });
    REQUIRE(pipeline.unfitted_stages().empty());
    return pipeline.to_json();
  };

  std::vector<json> by_block_size;
  for (std::size_t block_size : {std::size_t{1}, std::size_t{7}, std::size_t{1000}}) {
    INFO("block size " << block_size);
    const json one_thread = fitted_state(block_size, 1);
    const json two_threads = fitted_state(block_size, 2);
    CHECK(one_thread == two_threads);  // bitwise: json compares doubles exactly
    CHECK(fitted_state(block_size, 2) == two_threads);
    by_block_size.push_back(one_thread);
  }
  check_state_close(by_block_size[2], by_block_size[0]);
  check_state_close(by_block_size[2], by_block_size[1]);

  // And the fitted standardize stage (stage 1) against a two-pass computation on rescaled data.
  const json state = by_block_size[0]["stages"][1]["state"];
  auto rescale_only = make_pipeline(json::array({by_block_size[0]["stages"][0]}));
  const Matrix scaled = run_rows(rescale_only, rows);
  for (std::size_t j = 0; j < 3; ++j) {
    double sum = 0;
    for (const auto& r : scaled) sum += r[j];
    const double mean = sum / static_cast<double>(scaled.size());
    double squares = 0;
    for (const auto& r : scaled) squares += (r[j] - mean) * (r[j] - mean);
    const double sd = std::sqrt(squares / static_cast<double>(scaled.size()));
    INFO("column " << j);
    CHECK(std::abs(state["mean"][j].get<double>() - mean) <= 1e-12);
    CHECK(std::abs(state["std"][j].get<double>() - sd) <= 1e-12);
  }
}

TEST_CASE("pipeline fit: the second fitted stage learns from the output of the first") {
  const Matrix input = fixture_matrix("input.csv");
  auto pipeline = make_pipeline(json::array({{{"op", "rescale"}}, {{"op", "standardize"}}}));
  CHECK(pipeline.unfitted_stages() ==
        std::vector<std::string>{"stage 0 (rescale)", "stage 1 (standardize)"});
  pipeline.fit(blocks_of(input, 5));

  // Standardizing is invariant under a per-column increasing affine map (min-max scaling), so
  // the result must equal StandardScaler on the raw data; a constant column gives 0 either way.
  check_matrix_close(fixture_matrix("standardize.csv"), run_rows(pipeline, input), 1e-12);

  // The standardize stage saw rescaled data: its mean is the column mean of rescale_0_1.csv.
  const Matrix scaled = fixture_matrix("rescale_0_1.csv");
  const json state = pipeline.to_json()["stages"][1]["state"];
  for (std::size_t j = 0; j < 4; ++j) {
    double sum = 0;
    for (const auto& r : scaled) sum += r[j];
    CHECK(std::abs(state["mean"][j].get<double>() - sum / 12.0) <= 1e-12);
  }
}

TEST_CASE("pipeline fit: deterministic stages run while fitting, augmenting ones are skipped") {
  const Matrix input = fixture_matrix("input.csv");
  const json sk_min = augment_test::fitted_state_fixture()["min_max_scaler"]["data_min"];

  SUBCASE("gaussian_noise before a fitted stage does not reach the fit") {
    auto pipeline = make_pipeline(
        json::array({{{"op", "gaussian_noise"}, {"sigma", 5.0}}, {{"op", "standardize"}}, {{"op", "rescale"}}}));
    pipeline.fit(blocks_of(input, 5));
    const json state = pipeline.to_json()["stages"][1]["state"];
    const auto sk_mean = numbers(sklearn_standard_scaler()["mean"]);
    for (std::size_t j = 0; j < 4; ++j)
      CHECK(std::abs(state["mean"][j].get<double>() - sk_mean[j]) <= 1e-12 * std::max(1.0, std::abs(sk_mean[j])));
    // rescale (stage 2) was fitted on standardized, noise-free data: its minimum per column is
    // the minimum of standardize.csv.
    const Matrix standardized = fixture_matrix("standardize.csv");
    const json rescale_state = pipeline.to_json()["stages"][2]["state"];
    for (std::size_t j = 0; j < 4; ++j) {
      double lo = standardized[0][j];
      for (const auto& r : standardized) lo = std::min(lo, r[j]);
      CHECK(std::abs(rescale_state["data_min"][j].get<double>() - lo) <= 1e-12);
    }
  }
  SUBCASE("a stage with p < 1 is skipped while fitting") {
    auto pipeline = make_pipeline(
        json::array({{{"op", "unit_norm"}, {"p", 0.5}}, {{"op", "rescale"}}}));
    pipeline.fit(blocks_of(input, 5));
    CHECK(numbers(pipeline.to_json()["stages"][1]["state"]["data_min"]) == numbers(sk_min));
  }
  SUBCASE("a deterministic stage before a fitted one is applied while fitting") {
    auto pipeline = make_pipeline(json::array({{{"op", "unit_norm"}, {"norm", "l2"}}, {{"op", "rescale"}}}));
    pipeline.fit(blocks_of(input, 5));
    const Matrix normed = fixture_matrix("unit_norm_l2.csv");  // normalize(x, norm="l2")
    const json state = pipeline.to_json()["stages"][1]["state"];
    for (std::size_t j = 0; j < 4; ++j) {
      double lo = normed[0][j], hi = normed[0][j];
      for (const auto& r : normed) lo = std::min(lo, r[j]), hi = std::max(hi, r[j]);
      CHECK(std::abs(state["data_min"][j].get<double>() - lo) <= 1e-12);
      CHECK(std::abs(state["data_max"][j].get<double>() - hi) <= 1e-12);
    }
  }
  SUBCASE("a fitted stage inside a choice is refused") {
    auto pipeline = make_pipeline(json::array({{{"one_of", {{{"op", "standardize"}}, {{"op", "rescale"}}}}}}));
    CHECK_THROWS_AS(pipeline.fit(blocks_of(input, 5)), augment::SpecError);
  }
}

TEST_CASE("standardize: a near-constant column is only centred, as scikit-learn's _is_constant_feature") {
  // 0.1 + {0, 1e-17·k}: the computed σ is rounding noise; scikit-learn leaves the scale at 1.
  auto pipeline = make_pipeline(json::array({{{"op", "standardize"}}}));
  const Matrix rows = {{0.1, 1.0}, {0.1 + 1.4e-17, 2.0}, {0.1, 3.0}, {0.1 + 1.4e-17, 4.0}};
  pipeline.fit(blocks_of(rows, 4));
  const auto state = pipeline.to_json()["stages"][0]["state"];
  const double mean0 = state["mean"][0].get<double>();
  const Matrix out = run_rows(pipeline, rows);
  for (std::size_t i = 0; i < rows.size(); ++i) CHECK(out[i][0] == rows[i][0] - mean0);
  CHECK(out[0][1] == doctest::Approx(-1.3416407864998738));  // (1 − 2.5)/√1.25
}
