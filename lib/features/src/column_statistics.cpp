#include "augment/features/column_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace augment::features {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

std::string column_count_text(std::size_t n) { return std::to_string(n) + (n == 1 ? " column" : " columns"); }

/// A list of `columns` finite numbers under `key`; throws std::invalid_argument naming the key.
std::vector<double> finite_list(const nlohmann::json& json, const char* key, std::size_t columns) {
  if (!json.contains(key) || !json[key].is_array())
    throw std::invalid_argument(std::string("column statistics need a list \"") + key + "\"");
  const nlohmann::json& list = json[key];
  if (list.size() != columns)
    throw std::invalid_argument(std::string("column statistics \"") + key + "\" has " +
                                std::to_string(list.size()) + " values, \"mean\" has " + std::to_string(columns));
  std::vector<double> out;
  out.reserve(columns);
  for (const auto& value : list) {
    if (!value.is_number() || !std::isfinite(value.get<double>()))
      throw std::invalid_argument(std::string("column statistics \"") + key + "\" must hold finite numbers, got " +
                                  value.dump());
    out.push_back(value.get<double>());
  }
  return out;
}

}  // namespace

ColumnStatistics::ColumnStatistics(std::size_t columns)
    : mean_(columns, 0.0), m2_(columns, 0.0), min_(columns, kInfinity), max_(columns, -kInfinity) {}

void ColumnStatistics::add(std::span<const double> row) {
  if (row.size() != columns())
    throw std::invalid_argument("row has " + column_count_text(row.size()) + ", statistics have " +
                                column_count_text(columns()));
  ++count_;
  const double n = static_cast<double>(count_);
  for (std::size_t j = 0; j < row.size(); ++j) {
    const double x = row[j];
    const double delta = x - mean_[j];
    mean_[j] += delta / n;
    m2_[j] += delta * (x - mean_[j]);  // old and new deviation share a sign, so m2 never decreases
    min_[j] = std::min(min_[j], x);
    max_[j] = std::max(max_[j], x);
  }
}

void ColumnStatistics::merge(const ColumnStatistics& other) {
  if (other.columns() != columns())
    throw std::invalid_argument("cannot merge statistics over " + column_count_text(other.columns()) +
                                " into statistics over " + column_count_text(columns()));
  if (other.count_ == 0) return;
  if (count_ == 0) {
    *this = other;  // exact copy, not a rounded combination
    return;
  }
  // Read both counts before writing, so merging an instance into itself also works.
  const double ours = static_cast<double>(count_);
  const double theirs = static_cast<double>(other.count_);
  const double total = ours + theirs;
  for (std::size_t j = 0; j < columns(); ++j) {
    const double delta = other.mean_[j] - mean_[j];
    mean_[j] += delta * (theirs / total);
    m2_[j] += other.m2_[j] + delta * delta * (ours * theirs / total);
    min_[j] = std::min(min_[j], other.min_[j]);
    max_[j] = std::max(max_[j], other.max_[j]);
  }
  count_ += other.count_;
}

std::vector<double> ColumnStatistics::variance() const {
  std::vector<double> out(columns(), 0.0);
  if (count_ == 0) return out;
  const double n = static_cast<double>(count_);
  for (std::size_t j = 0; j < columns(); ++j) out[j] = m2_[j] / n;
  return out;
}

std::vector<double> ColumnStatistics::stddev() const {
  std::vector<double> out = variance();
  for (double& v : out) v = std::sqrt(v);
  return out;
}

nlohmann::json ColumnStatistics::to_json() const {
  nlohmann::json out = {{"count", count_}, {"mean", mean_}, {"m2", m2_}};
  if (count_ == 0) {
    nlohmann::json nulls = nlohmann::json::array();
    for (std::size_t j = 0; j < columns(); ++j) nulls.push_back(nullptr);
    out["min"] = nulls;
    out["max"] = nulls;
  } else {
    out["min"] = min_;
    out["max"] = max_;
  }
  return out;
}

ColumnStatistics ColumnStatistics::from_json(const nlohmann::json& json) {
  if (!json.is_object()) throw std::invalid_argument("column statistics must be an object, got " + json.dump());
  if (!json.contains("count") || !json["count"].is_number_unsigned())
    throw std::invalid_argument("column statistics need a whole \"count\" >= 0");
  if (!json.contains("mean") || !json["mean"].is_array())
    throw std::invalid_argument("column statistics need a list \"mean\"");

  const std::size_t columns = json["mean"].size();
  ColumnStatistics stats(columns);
  const auto count = json["count"].get<std::uint64_t>();
  if (count == 0) {
    // Empty: the lists carry no information (min and max are nulls); only check their shape.
    for (const char* key : {"m2", "min", "max"})
      if (!json.contains(key) || !json[key].is_array() || json[key].size() != columns)
        throw std::invalid_argument(std::string("column statistics need a list \"") + key + "\" of " +
                                    column_count_text(columns));
    return stats;
  }

  stats.count_ = count;
  stats.mean_ = finite_list(json, "mean", columns);
  stats.m2_ = finite_list(json, "m2", columns);
  stats.min_ = finite_list(json, "min", columns);
  stats.max_ = finite_list(json, "max", columns);
  for (std::size_t j = 0; j < columns; ++j) {
    if (stats.m2_[j] < 0)
      throw std::invalid_argument("column statistics \"m2\" must be >= 0, column " + std::to_string(j) + " has " +
                                  std::to_string(stats.m2_[j]));
    if (stats.min_[j] > stats.max_[j])
      throw std::invalid_argument("column statistics \"min\" is above \"max\" in column " + std::to_string(j));
  }
  return stats;
}

bool is_constant_feature(double mean, double stddev, std::uint64_t n) {
  const double var = stddev * stddev, eps = std::numeric_limits<double>::epsilon(), nd = static_cast<double>(n);
  return var <= nd * eps * var + (nd * mean * eps) * (nd * mean * eps);
}

}  // namespace augment::features
