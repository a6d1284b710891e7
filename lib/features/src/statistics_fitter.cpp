#include "augment/features/statistics_fitter.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "augment/core/error.hpp"
#include "augment/features/feature_vector.hpp"

namespace augment::features {

void StatisticsFitter::add(const Sample& sample) {
  const FeatureVector& row = values_of(sample);
  if (!stats_) stats_.emplace(row.size());
  if (row.size() != stats_->columns())
    throw DataError("row has " + std::to_string(row.size()) + " features, earlier rows had " +
                    std::to_string(stats_->columns()));
  stats_->add(row);
}

void StatisticsFitter::merge(const Fitter& other) {
  const auto& theirs = dynamic_cast<const StatisticsFitter&>(other);
  if (!theirs.stats_) return;
  if (!stats_) {
    stats_ = theirs.stats_;
    return;
  }
  if (stats_->columns() != theirs.stats_->columns())
    throw DataError("rows have " + std::to_string(theirs.stats_->columns()) +
                    " features, earlier rows had " + std::to_string(stats_->columns()));
  stats_->merge(*theirs.stats_);
}

nlohmann::json StatisticsFitter::state() const {
  if (!stats_ || stats_->count() == 0) throw std::invalid_argument("no rows to fit on");
  return to_state_(*stats_);
}

std::vector<double> state_column(const nlohmann::json& state, const char* key, std::size_t columns) {
  if (!state.is_object() || !state.contains(key) || !state[key].is_array())
    throw std::invalid_argument(std::string("state needs a list \"") + key + "\"");
  std::vector<double> out;
  for (const auto& v : state[key]) {
    if (!v.is_number() || !std::isfinite(v.get<double>()))
      throw std::invalid_argument(std::string("state \"") + key + "\" must hold finite numbers, got " + v.dump());
    out.push_back(v.get<double>());
  }
  if (out.empty()) throw std::invalid_argument(std::string("state \"") + key + "\" is empty");
  if (columns != 0 && out.size() != columns)
    throw std::invalid_argument(std::string("state \"") + key + "\" has " + std::to_string(out.size()) +
                                " values, expected " + std::to_string(columns));
  return out;
}

std::uint64_t fitted_count(const nlohmann::json& state) {
  if (!state.contains("count")) return 0;
  if (!state["count"].is_number_unsigned())
    throw std::invalid_argument("state \"count\" must be a whole number, got " + state["count"].dump());
  return state["count"].get<std::uint64_t>();
}

void check_width(const FeatureVector& row, std::size_t fitted_columns) {
  if (row.size() != fitted_columns)
    throw UsageError("row has " + std::to_string(row.size()) + " features, but the stage was fitted on " +
                     std::to_string(fitted_columns));
}

}  // namespace augment::features
