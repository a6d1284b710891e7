#include "augment/features/standardize.hpp"

#include <stdexcept>

#include "augment/features/column_statistics.hpp"
#include "augment/features/feature_vector.hpp"
#include "augment/features/statistics_fitter.hpp"

namespace augment::features {

Standardize::Standardize(const OpInfo& info, const nlohmann::json& settings)
    : Transform(info, settings),
      with_mean_(settings["with_mean"].get<bool>()),
      with_std_(settings["with_std"].get<bool>()) {}

void Standardize::apply(Sample& sample, const nlohmann::json&) const {
  FeatureVector& row = values_of(sample);
  check_width(row, mean_.size());
  for (std::size_t j = 0; j < row.size(); ++j)
    row[j] = (with_mean_ ? row[j] - mean_[j] : row[j]) / scale_[j];
}

std::unique_ptr<Fitter> Standardize::make_fitter() const {
  return std::make_unique<StatisticsFitter>([](const ColumnStatistics& stats) {
    return nlohmann::json{{"mean", stats.mean()}, {"std", stats.stddev()}, {"count", stats.count()}};
  });
}

nlohmann::json Standardize::state() const {
  if (!is_fitted()) return nullptr;
  nlohmann::json out = {{"mean", mean_}, {"std", std_}};
  if (count_ > 0) out["count"] = count_;
  return out;
}

void Standardize::set_state(const nlohmann::json& state) {
  std::vector<double> mean = state_column(state, "mean");
  std::vector<double> stddev = state_column(state, "std", mean.size());
  std::vector<double> scale(mean.size(), 1.0);
  const std::uint64_t count = fitted_count(state);
  for (std::size_t j = 0; j < mean.size(); ++j) {
    if (stddev[j] < 0) throw std::invalid_argument("std must be >= 0, got a negative value in column " + std::to_string(j));
    if (with_std_ && !is_constant_feature(mean[j], stddev[j], count)) scale[j] = stddev[j];
  }
  count_ = count;
  mean_ = std::move(mean);
  std_ = std::move(stddev);
  scale_ = std::move(scale);
}

OpInfo standardize_op() {
  return {
      .name = "standardize",
      .input = Kind::features,
      .output = Kind::features,
      .doc = "Zero mean, unit variance per feature column (population std); fitted, or give state {mean, std}.",
      .params = {{.name = "with_mean", .type = ParamType::boolean, .default_value = true,
                  .doc = "subtract the column mean"},
                 {.name = "with_std", .type = ParamType::boolean, .default_value = true,
                  .doc = "divide by the column's population standard deviation"}},
      .fittable = true,
      .create = make_transform<Standardize>,
  };
}

}  // namespace augment::features
