#pragma once
// Test helper: a CSV file (fixture or test output) read whole into header + rows with the
// library's own CsvReader, and numeric columns picked out with parse_number.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/csv.hpp"
#include "augment/core/number_text.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/core/registry.hpp"
#include "augment/features/feature_vector.hpp"
#include "augment/features/register_transforms.hpp"

namespace augment_test {

using Matrix = std::vector<std::vector<double>>;

/// The feature columns of every fixture under tests/fixtures/features.
inline const std::vector<std::string>& fixture_features() {
  static const std::vector<std::string> names = {"a", "b", "c", "d"};
  return names;
}

inline std::filesystem::path fixture_path(const std::string& name) {
  return std::filesystem::path(AUGMENT_FIXTURES) / "features" / name;
}

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> lines;  // physical line of each row

  std::size_t column(std::string_view name) const {
    for (std::size_t j = 0; j < header.size(); ++j)
      if (header[j] == name) return j;
    FAIL("no column '" << name << "'");
    return 0;
  }

  /// The named columns as numbers, row by row (each must parse).
  Matrix numbers(const std::vector<std::string>& columns) const {
    std::vector<std::size_t> index;
    for (const auto& c : columns) index.push_back(column(c));
    Matrix out;
    for (const auto& row : rows) {
      std::vector<double> values;
      for (std::size_t j : index) {
        const auto v = augment::parse_number(row[j]);
        REQUIRE_MESSAGE(v.has_value(), "not a number: '" << row[j] << "'");
        values.push_back(*v);
      }
      out.push_back(std::move(values));
    }
    return out;
  }

  /// One column's text, row by row.
  std::vector<std::string> text(std::string_view name) const {
    const std::size_t j = column(name);
    std::vector<std::string> out;
    for (const auto& row : rows) out.push_back(row[j]);
    return out;
  }
};

inline Table read_table(const std::filesystem::path& path) {
  augment::CsvReader reader(path);
  Table table;
  table.header = reader.header();
  augment::CsvRow row;
  while (reader.next(row)) {
    table.rows.push_back(row.fields);
    table.lines.push_back(row.line);
  }
  return table;
}

inline Table read_fixture(const std::string& name) { return read_table(fixture_path(name)); }

/// The a,b,c,d columns of a fixture.
inline Matrix fixture_matrix(const std::string& name) { return read_fixture(name).numbers(fixture_features()); }

inline nlohmann::json fitted_state_fixture() {
  std::ifstream in(fixture_path("fitted_state.json"));
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_bytes(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  REQUIRE(out.good());
}

/// |expected - actual| <= tolerance for every value, with the position in the message.
inline void check_matrix_close(const Matrix& expected, const Matrix& actual, double tolerance) {
  REQUIRE(expected.size() == actual.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    REQUIRE(expected[i].size() == actual[i].size());
    for (std::size_t j = 0; j < expected[i].size(); ++j) {
      INFO("row " << i << ", column " << j << ": expected " << expected[i][j] << ", got " << actual[i][j]);
      CHECK(std::abs(expected[i][j] - actual[i][j]) <= tolerance);
    }
  }
}

inline void check_vector_close(const std::vector<double>& expected, const std::vector<double>& actual,
                               double tolerance) {
  REQUIRE(expected.size() == actual.size());
  for (std::size_t j = 0; j < expected.size(); ++j) {
    INFO("column " << j << ": expected " << expected[j] << ", got " << actual[j]);
    CHECK(std::abs(expected[j] - actual[j]) <= tolerance);
  }
}

/// A registry holding the features transforms (static: pipelines keep pointers into it).
inline const augment::Registry& features_registry() {
  static const augment::Registry registry = [] {
    augment::Registry r;
    augment::features::register_transforms(r);
    return r;
  }();
  return registry;
}

/// A features pipeline built from its list of stages.
inline augment::Pipeline make_pipeline(const nlohmann::json& stages) {
  return augment::Pipeline::from_json({{"kind", "features"}, {"stages", stages}}, features_registry());
}

/// Opens `rows` as a dataset read in blocks of `block_size` samples.
inline augment::OpenSampleBlocks blocks_of(const Matrix& rows, std::size_t block_size) {
  return [&rows, block_size]() -> augment::SampleBlockReader {
    return [&rows, block_size, next = std::size_t{0}](std::vector<augment::Sample>& block) mutable {
      block.clear();
      while (next < rows.size() && block.size() < block_size)
        block.push_back(augment::features::make_sample(rows[next++]));
      return !block.empty();
    };
  };
}

/// Every row run through `pipeline` (deterministic stages: the Rng does not matter).
inline Matrix run_rows(const augment::Pipeline& pipeline, const Matrix& rows, std::uint64_t seed = 0) {
  Matrix out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    augment::Sample sample = augment::features::make_sample(rows[i]);
    pipeline.run(sample, augment::Rng::derive(seed, std::to_string(i), 0, 0));
    out.push_back(augment::features::values_of(sample));
  }
  return out;
}

/// A fresh empty folder under the system temp folder, removed with the object.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("augment_test_" + tag + "_" + std::to_string(::getpid()) + "_" + std::to_string(++counter));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace augment_test
