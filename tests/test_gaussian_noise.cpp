// gaussian_noise: the distribution of the noise, determinism by key, and replay of records.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/error.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/core/rng.hpp"
#include "augment/features/feature_vector.hpp"
#include "fixture_table.hpp"

using augment::Rng;
using augment::Sample;
using augment::features::make_sample;
using augment::features::values_of;
using augment_test::make_pipeline;
using nlohmann::json;

namespace {

struct Moments {
  double mean = 0, stddev = 0;
  std::size_t n = 0;
};

/// Runs `pipeline` on `samples` zero rows of width `width`, each with its own key, and returns
/// the mean and (population) standard deviation of every value produced.
Moments noise_moments(const augment::Pipeline& pipeline, std::size_t samples, std::size_t width) {
  double sum = 0, squares = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < samples; ++i) {
    Sample sample = make_sample(augment::features::FeatureVector(width, 0.0));
    pipeline.run(sample, Rng::derive(11, "row" + std::to_string(i), 0, 0));
    for (double x : values_of(sample)) {
      sum += x;
      squares += x * x;
      ++n;
    }
  }
  Moments m;
  m.n = n;
  m.mean = sum / static_cast<double>(n);
  m.stddev = std::sqrt(squares / static_cast<double>(n) - m.mean * m.mean);
  return m;
}

}  // namespace

TEST_CASE("gaussian_noise: 200k draws have mean 0 and standard deviation sigma") {
  for (const double sigma : {1.0, 0.25}) {
    INFO("sigma " << sigma);
    const auto pipeline = make_pipeline(json::array({{{"op", "gaussian_noise"}, {"sigma", sigma}}}));
    const Moments m = noise_moments(pipeline, 50000, 4);
    REQUIRE(m.n == 200000);
    CHECK(std::abs(m.mean) < 0.01);
    CHECK(std::abs(m.stddev - sigma) < 0.01 * sigma);
  }
}

TEST_CASE("gaussian_noise: the mean parameter shifts the noise") {
  const auto pipeline = make_pipeline(json::array({{{"op", "gaussian_noise"}, {"sigma", 1.0}, {"mean", 3.0}}}));
  const Moments m = noise_moments(pipeline, 50000, 4);
  CHECK(std::abs(m.mean - 3.0) < 0.01);
  CHECK(std::abs(m.stddev - 1.0) < 0.01);
}

TEST_CASE("gaussian_noise: records replay to identical output") {
  const auto pipeline = make_pipeline(json::array({{{"op", "gaussian_noise"}, {"sigma", {0.1, 2.0}}}}));
  const auto rebuilt = augment::Pipeline::from_json(pipeline.to_json(), augment_test::features_registry());
  const std::vector<double> input = {1.5, -2.0, 1e6, 0.0, 3.25};
  for (int i = 0; i < 100; ++i) {
    Sample drawn = make_sample(input);
    const json record = pipeline.run(drawn, Rng::derive(5, "key" + std::to_string(i), 0, 0));
    REQUIRE(record.is_array());
    REQUIRE(record.size() == 1);
    CHECK(record[0]["op"] == "gaussian_noise");

    Sample replayed = make_sample(input);
    pipeline.replay(replayed, record);
    CHECK(values_of(replayed) == values_of(drawn));  // bitwise

    // Through JSON text and a pipeline rebuilt from the saved spec, too.
    Sample again = make_sample(input);
    rebuilt.replay(again, json::parse(record.dump()));
    CHECK(values_of(again) == values_of(drawn));
    CHECK(values_of(drawn) != input);
  }
}

TEST_CASE("gaussian_noise: same seed and key give the same noise, another copy or key does not") {
  const auto pipeline = make_pipeline(json::array({{{"op", "gaussian_noise"}, {"sigma", 0.5}}}));
  const std::vector<double> input = {1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0};
  auto run = [&](std::uint64_t seed, const std::string& key, std::uint64_t copy) {
    Sample sample = make_sample(input);
    pipeline.run(sample, Rng::derive(seed, key, copy, 0));
    return values_of(sample);
  };
  const auto base = run(42, "r01", 0);
  CHECK(run(42, "r01", 0) == base);

  // A separately built pipeline from the same spec draws the same numbers.
  const auto twin = make_pipeline(json::array({{{"op", "gaussian_noise"}, {"sigma", 0.5}}}));
  Sample sample = make_sample(input);
  twin.run(sample, Rng::derive(42, "r01", 0, 0));
  CHECK(values_of(sample) == base);

  for (const auto& other : {run(42, "r01", 1), run(42, "r02", 0), run(43, "r01", 0)}) {
    REQUIRE(other.size() == base.size());
    for (std::size_t j = 0; j < base.size(); ++j) CHECK(other[j] != base[j]);
  }
}

TEST_CASE("gaussian_noise: sigma as a range is drawn per sample within lo..hi") {
  const auto pipeline = make_pipeline(json::array({{{"op", "gaussian_noise"}, {"sigma", {0.2, 0.5}}}}));
  double lowest = 1.0, highest = 0.0;
  for (int i = 0; i < 5000; ++i) {
    Sample sample = make_sample({0.0});
    const json record = pipeline.run(sample, Rng::derive(3, std::to_string(i), 0, 0));
    const double sigma = record[0]["params"]["sigma"].get<double>();
    CHECK(sigma >= 0.2);
    CHECK(sigma < 0.5);
    lowest = std::min(lowest, sigma);
    highest = std::max(highest, sigma);
  }
  // 5000 uniform draws come within 1% of either end of the range.
  CHECK(lowest < 0.203);
  CHECK(highest > 0.497);

  SUBCASE("a range with lo == hi always gives that sigma") {
    const auto fixed = make_pipeline(json::array({{{"op", "gaussian_noise"}, {"sigma", {0.3, 0.3}}}}));
    Sample sample = make_sample({0.0});
    CHECK(fixed.run(sample, Rng(9))[0]["params"]["sigma"] == 0.3);
  }
  SUBCASE("bad sigmas are SpecErrors") {
    CHECK_THROWS_AS(make_pipeline(json::array({{{"op", "gaussian_noise"}, {"sigma", {0.5, 0.2}}}})), augment::SpecError);
    CHECK_THROWS_AS(make_pipeline(json::array({{{"op", "gaussian_noise"}, {"sigma", -0.1}}})), augment::SpecError);
    CHECK_THROWS_AS(make_pipeline(json::array({{{"op", "gaussian_noise"}, {"sigma", {0.1}}}})), augment::SpecError);
  }
}

TEST_CASE("gaussian_noise: sigma 0 leaves the row unchanged") {
  const auto pipeline = make_pipeline(json::array({{{"op", "gaussian_noise"}, {"sigma", 0.0}}}));
  const std::vector<double> input = {1.5, -2.0, 1e300, -0.0, 3.25e-300};
  for (int i = 0; i < 100; ++i) {
    Sample sample = make_sample(input);
    pipeline.run(sample, Rng::derive(1, std::to_string(i), 0, 0));
    CHECK(values_of(sample) == input);
  }
}

TEST_CASE("gaussian_noise: a record without sigma or seed is refused") {
  const auto pipeline = make_pipeline(json::array({{{"op", "gaussian_noise"}}}));
  Sample sample = make_sample({1.0});
  CHECK_THROWS_AS(pipeline.replay(sample, json::array({{{"op", "gaussian_noise"}, {"params", {{"sigma", 1.0}}}}})),
                  augment::UsageError);
  CHECK_THROWS_AS(pipeline.replay(sample, json::array({{{"op", "rescale"}}})), augment::UsageError);
}
