#include "augment/features/column_statistics.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

using augment::features::ColumnStatistics;

namespace {

using Matrix = std::vector<std::vector<double>>;

bool close_relative(double expected, double actual, double tolerance) {
  return std::fabs(expected - actual) <= tolerance * std::max(std::fabs(expected), std::fabs(actual));
}

void check_close_relative(const std::vector<double>& expected, const std::vector<double>& actual,
                          double tolerance) {
  REQUIRE(expected.size() == actual.size());
  for (std::size_t j = 0; j < expected.size(); ++j) {
    INFO("column " << j << ": expected " << expected[j] << ", got " << actual[j]);
    CHECK(close_relative(expected[j], actual[j], tolerance));
  }
}

ColumnStatistics one_pass(const Matrix& rows, std::size_t columns) {
  ColumnStatistics stats(columns);
  for (const auto& row : rows) stats.add(row);
  return stats;
}

std::string fixture_path(const std::string& name) { return std::string(AUGMENT_FIXTURES) + "/features/" + name; }

/// The a,b,c,d columns of a fixture CSV (id,a,b,c,d,label; no quoting in our fixtures).
Matrix read_feature_columns(const std::string& name) {
  std::ifstream in(fixture_path(name));
  REQUIRE(in.good());
  std::string line;
  std::getline(in, line);
  REQUIRE(line == "id,a,b,c,d,label");
  Matrix rows;
  while (std::getline(in, line)) {
    std::istringstream cells(line);
    std::string cell;
    std::getline(cells, cell, ',');  // id
    std::vector<double> row;
    for (int j = 0; j < 4; ++j) {
      std::getline(cells, cell, ',');
      row.push_back(std::stod(cell));
    }
    rows.push_back(row);
  }
  return rows;
}

std::vector<double> json_doubles(const nlohmann::json& list) { return list.get<std::vector<double>>(); }

/// Numerical Recipes' 32-bit LCG: fixed, portable pseudo-random numbers for the merge tests.
class Lcg {
 public:
  double next_unit() {
    state_ = state_ * 1664525u + 1013904223u;
    return static_cast<double>(state_) / 4294967296.0;  // [0, 1)
  }

 private:
  std::uint32_t state_ = 12345u;
};

/// 1,000 rows whose columns differ in offset and spread, so no mean sits near zero. The offset
/// of column 2 is kept at 1e3: at 1e6 the data itself is too ill-conditioned (mean/std ~ 3e5)
/// for any two summation orders to agree to 1e-12 — that case is the cancellation test below.
Matrix pseudo_random_rows() {
  Lcg lcg;
  Matrix rows;
  for (int i = 0; i < 1000; ++i)
    rows.push_back({lcg.next_unit(), -50.0 + 200.0 * lcg.next_unit(), 1e3 + 10.0 * lcg.next_unit(),
                    -3e-3 * (1.0 + lcg.next_unit())});
  return rows;
}

/// Splits rows into consecutive chunks of sizes 1, 7, 333, 1, 7, 333, ... (the last one cut short).
std::vector<ColumnStatistics> chunked(const Matrix& rows, std::size_t columns) {
  const std::size_t pattern[] = {1, 7, 333};
  std::vector<ColumnStatistics> chunks;
  std::size_t begin = 0;
  for (std::size_t k = 0; begin < rows.size(); ++k) {
    const std::size_t end = std::min(rows.size(), begin + pattern[k % 3]);
    ColumnStatistics chunk(columns);
    for (std::size_t i = begin; i < end; ++i) chunk.add(rows[i]);
    chunks.push_back(chunk);
    begin = end;
  }
  return chunks;
}

/// Pairwise reduction, as a parallel reduce would do it.
ColumnStatistics merge_as_tree(std::vector<ColumnStatistics> level) {
  while (level.size() > 1) {
    std::vector<ColumnStatistics> next;
    for (std::size_t i = 0; i + 1 < level.size(); i += 2) {
      next.push_back(level[i]);
      next.back().merge(level[i + 1]);
    }
    if (level.size() % 2 == 1) next.push_back(level.back());
    level = std::move(next);
  }
  return level.front();
}

void check_same_statistics(const ColumnStatistics& expected, const ColumnStatistics& actual) {
  CHECK(actual.count() == expected.count());
  check_close_relative(expected.mean(), actual.mean(), 1e-12);
  check_close_relative(expected.variance(), actual.variance(), 1e-12);
  CHECK(actual.min() == expected.min());  // min and max are exact whatever the order
  CHECK(actual.max() == expected.max());
}

}  // namespace

TEST_CASE("column statistics of a tiny matrix match hand computation") {
  // Column 0: 1, 2, 3, 6 -> mean 3, squared deviations 4+1+0+9 = 14, variance 3.5.
  // Column 1: -2, -2, -2, -2 -> constant: mean -2, variance 0.
  // Column 2: 0.5, -1.5, 2.5, 0.5 -> mean 0.5, squared deviations 0+4+4+0 = 8, variance 2.
  const Matrix rows = {{1, -2, 0.5}, {2, -2, -1.5}, {3, -2, 2.5}, {6, -2, 0.5}};
  const ColumnStatistics stats = one_pass(rows, 3);

  CHECK(stats.count() == 4);
  CHECK(stats.columns() == 3);
  CHECK(stats.mean() == std::vector<double>{3.0, -2.0, 0.5});
  CHECK(stats.variance() == std::vector<double>{3.5, 0.0, 2.0});
  check_close_relative({std::sqrt(3.5), 0.0, std::sqrt(2.0)}, stats.stddev(), 1e-15);
  CHECK(stats.min() == std::vector<double>{1.0, -2.0, -1.5});
  CHECK(stats.max() == std::vector<double>{6.0, -2.0, 2.5});
}

TEST_CASE("empty column statistics") {
  const ColumnStatistics stats(2);
  CHECK(stats.count() == 0);
  CHECK(stats.columns() == 2);
  CHECK(stats.mean() == std::vector<double>{0.0, 0.0});
  CHECK(stats.variance() == std::vector<double>{0.0, 0.0});
  CHECK(stats.min() == std::vector<double>(2, INFINITY));
  CHECK(stats.max() == std::vector<double>(2, -INFINITY));
}

TEST_CASE("a row of the wrong length is rejected") {
  ColumnStatistics stats(3);
  const std::vector<double> short_row = {1.0, 2.0};
  CHECK_THROWS_AS(stats.add(short_row), std::invalid_argument);
  CHECK(stats.count() == 0);
}

TEST_CASE("column statistics agree with scikit-learn's fitted state on the fixture") {
  const Matrix rows = read_feature_columns("input.csv");
  std::ifstream state_file(fixture_path("fitted_state.json"));
  REQUIRE(state_file.good());
  const nlohmann::json state = nlohmann::json::parse(state_file);

  const ColumnStatistics stats = one_pass(rows, 4);
  CHECK(stats.count() == state["n_samples"].get<std::uint64_t>());
  check_close_relative(json_doubles(state["standard_scaler"]["mean"]), stats.mean(), 1e-12);
  check_close_relative(json_doubles(state["standard_scaler"]["var"]), stats.variance(), 1e-12);
  CHECK(stats.min() == json_doubles(state["min_max_scaler"]["data_min"]));
  CHECK(stats.max() == json_doubles(state["min_max_scaler"]["data_max"]));
  CHECK(stats.variance()[2] == 0.0);  // constant column c: exactly zero, not rounding noise
}

TEST_CASE("chunked merges equal one pass, in any order and tree shape") {
  const Matrix rows = pseudo_random_rows();
  const ColumnStatistics expected = one_pass(rows, 4);
  const std::vector<ColumnStatistics> chunks = chunked(rows, 4);
  REQUIRE(chunks.size() > 3);

  SUBCASE("left to right") {
    ColumnStatistics merged(4);
    for (const auto& chunk : chunks) merged.merge(chunk);
    check_same_statistics(expected, merged);
  }
  SUBCASE("right to left") {
    ColumnStatistics merged(4);
    for (auto it = chunks.rbegin(); it != chunks.rend(); ++it) merged.merge(*it);
    check_same_statistics(expected, merged);
  }
  SUBCASE("interleaved: odd chunks first, then even") {
    ColumnStatistics odd(4), even(4);
    for (std::size_t i = 0; i < chunks.size(); ++i) (i % 2 == 1 ? odd : even).merge(chunks[i]);
    odd.merge(even);
    check_same_statistics(expected, odd);
  }
  SUBCASE("pairwise tree") { check_same_statistics(expected, merge_as_tree(chunks)); }
}

TEST_CASE("merging with empty statistics") {
  const Matrix rows = {{1.0, 10.0}, {4.0, -2.0}, {7.5, 3.25}};
  const ColumnStatistics full = one_pass(rows, 2);

  SUBCASE("empty into full changes nothing") {
    ColumnStatistics merged = full;
    merged.merge(ColumnStatistics(2));
    CHECK(merged.count() == full.count());
    CHECK(merged.mean() == full.mean());
    CHECK(merged.variance() == full.variance());
    CHECK(merged.min() == full.min());
    CHECK(merged.max() == full.max());
  }
  SUBCASE("full into empty copies") {
    ColumnStatistics merged(2);
    merged.merge(full);
    CHECK(merged.count() == full.count());
    CHECK(merged.mean() == full.mean());
    CHECK(merged.variance() == full.variance());
    CHECK(merged.min() == full.min());
    CHECK(merged.max() == full.max());
  }
  SUBCASE("empty into empty stays empty") {
    ColumnStatistics merged(2);
    merged.merge(ColumnStatistics(2));
    CHECK(merged.count() == 0);
  }
  SUBCASE("into itself doubles the count and keeps mean and variance") {
    ColumnStatistics merged = full;
    merged.merge(merged);
    CHECK(merged.count() == 2 * full.count());
    check_close_relative(full.mean(), merged.mean(), 1e-15);
    check_close_relative(full.variance(), merged.variance(), 1e-15);
  }
}

TEST_CASE("merging statistics over different column counts is rejected") {
  ColumnStatistics two(2);
  CHECK_THROWS_AS(two.merge(ColumnStatistics(3)), std::invalid_argument);
}

TEST_CASE("large offset: Welford keeps the variance that sum of squares loses") {
  const std::vector<double> values = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};  // variance 22.5 exactly

  // The case is only meaningful if the naive formula really fails on it.
  double sum = 0, sum_of_squares = 0;
  for (double v : values) {
    sum += v;
    sum_of_squares += v * v;
  }
  const double naive = sum_of_squares / 4 - (sum / 4) * (sum / 4);
  CHECK(std::fabs(naive - 22.5) > 1.0);

  ColumnStatistics stats(1);
  for (double v : values) stats.add(std::vector<double>{v});
  CHECK(stats.mean()[0] == 1e9 + 10);
  CHECK(std::fabs(stats.variance()[0] - 22.5) <= 1e-9);

  ColumnStatistics first_half(1), second_half(1);
  first_half.add(std::vector<double>{values[0]});
  first_half.add(std::vector<double>{values[1]});
  second_half.add(std::vector<double>{values[2]});
  second_half.add(std::vector<double>{values[3]});
  first_half.merge(second_half);
  CHECK(std::fabs(first_half.variance()[0] - 22.5) <= 1e-9);
}

TEST_CASE("column statistics round-trip through JSON") {
  const ColumnStatistics stats = one_pass(pseudo_random_rows(), 4);
  const nlohmann::json json = stats.to_json();
  CHECK(json["count"] == 1000);
  for (const char* key : {"mean", "m2", "min", "max"}) CHECK(json[key].size() == 4);

  // Through text, too: the state is meant to be saved and merged later.
  const ColumnStatistics restored = ColumnStatistics::from_json(nlohmann::json::parse(json.dump()));
  CHECK(restored.count() == stats.count());
  CHECK(restored.mean() == stats.mean());
  CHECK(restored.variance() == stats.variance());
  CHECK(restored.min() == stats.min());
  CHECK(restored.max() == stats.max());

  SUBCASE("empty statistics survive, with nulls for min and max") {
    const nlohmann::json empty_json = ColumnStatistics(3).to_json();
    CHECK(empty_json["min"] == nlohmann::json::array({nullptr, nullptr, nullptr}));
    const ColumnStatistics empty = ColumnStatistics::from_json(nlohmann::json::parse(empty_json.dump()));
    CHECK(empty.count() == 0);
    CHECK(empty.columns() == 3);
    CHECK(empty.min() == std::vector<double>(3, INFINITY));
  }
}

TEST_CASE("malformed column statistics JSON is rejected") {
  const nlohmann::json good = one_pass({{1.0, 2.0}, {3.0, 5.0}}, 2).to_json();
  CHECK_NOTHROW(ColumnStatistics::from_json(good));

  auto with = [&](const char* key, const nlohmann::json& value) {
    nlohmann::json changed = good;
    changed[key] = value;
    return changed;
  };
  CHECK_THROWS_AS(ColumnStatistics::from_json(nlohmann::json::array()), std::invalid_argument);
  CHECK_THROWS_AS(ColumnStatistics::from_json(with("count", -1)), std::invalid_argument);
  CHECK_THROWS_AS(ColumnStatistics::from_json(with("count", 1.5)), std::invalid_argument);
  CHECK_THROWS_AS(ColumnStatistics::from_json(with("m2", nlohmann::json::array({1.0}))), std::invalid_argument);
  CHECK_THROWS_AS(ColumnStatistics::from_json(with("m2", {1.0, -1.0})), std::invalid_argument);
  CHECK_THROWS_AS(ColumnStatistics::from_json(with("min", {1.0, "x"})), std::invalid_argument);
  CHECK_THROWS_AS(ColumnStatistics::from_json(with("min", {1.0, 9.0})), std::invalid_argument);
  CHECK_THROWS_AS(ColumnStatistics::from_json(with("max", {1.0, nullptr})), std::invalid_argument);
  nlohmann::json missing = good;
  missing.erase("m2");
  CHECK_THROWS_AS(ColumnStatistics::from_json(missing), std::invalid_argument);
}
