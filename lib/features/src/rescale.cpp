#include "augment/features/rescale.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "augment/core/number_text.hpp"
#include "augment/features/feature_vector.hpp"
#include "augment/features/statistics_fitter.hpp"

namespace augment::features {

Rescale::Rescale(const OpInfo& info, const nlohmann::json& settings)
    : Transform(info, settings),
      lo_(settings["min"].get<double>()),
      hi_(settings["max"].get<double>()),
      clip_(settings["clip"].get<bool>()) {}

void Rescale::apply(Sample& sample, const nlohmann::json&) const {
  FeatureVector& row = values_of(sample);
  check_width(row, scale_.size());
  for (std::size_t j = 0; j < row.size(); ++j) {
    row[j] = row[j] * scale_[j] + offset_[j];
    if (clip_) row[j] = std::clamp(row[j], lo_, hi_);
  }
}

std::unique_ptr<Fitter> Rescale::make_fitter() const {
  return std::make_unique<StatisticsFitter>([](const ColumnStatistics& stats) {
    return nlohmann::json{{"data_min", stats.min()}, {"data_max", stats.max()}, {"count", stats.count()}};
  });
}

nlohmann::json Rescale::state() const {
  if (!is_fitted()) return nullptr;
  nlohmann::json out = {{"data_min", data_min_}, {"data_max", data_max_}};
  if (count_ > 0) out["count"] = count_;
  return out;
}

void Rescale::set_state(const nlohmann::json& state) {
  std::vector<double> data_min = state_column(state, "data_min");
  std::vector<double> data_max = state_column(state, "data_max", data_min.size());
  std::vector<double> scale(data_min.size()), offset(data_min.size());
  for (std::size_t j = 0; j < data_min.size(); ++j) {
    const double range = data_max[j] - data_min[j];
    if (range < 0) throw std::invalid_argument("data_max is below data_min in column " + std::to_string(j));
    // A (near-)constant column maps to lo; "near" is scikit-learn's rule (range < 10·ε), so
    // rounding noise in a constant column is not stretched to the full range.
    const bool constant = range < 10 * std::numeric_limits<double>::epsilon();
    scale[j] = (hi_ - lo_) / (constant ? 1.0 : range);
    offset[j] = lo_ - data_min[j] * scale[j];
  }
  data_min_ = std::move(data_min);
  data_max_ = std::move(data_max);
  scale_ = std::move(scale);
  offset_ = std::move(offset);
  count_ = fitted_count(state);
}

std::vector<ParamSpec> rescale_range_params() {
  return {{.name = "min", .default_value = 0.0, .doc = "lower end of the target range"},
          {.name = "max", .default_value = 1.0, .doc = "upper end of the target range"},
          {.name = "clip", .type = ParamType::boolean, .default_value = false,
           .doc = "clip values outside the fitted range to [min, max]"}};
}

void check_rescale_range(const nlohmann::json& s) {
  if (!(s["min"].get<double>() < s["max"].get<double>()))
    throw std::invalid_argument("min must be below max, got min " + format_number(s["min"].get<double>()) +
                                ", max " + format_number(s["max"].get<double>()));
}

OpInfo rescale_op() {
  return {
      .name = "rescale",
      .input = Kind::features,
      .output = Kind::features,
      .doc = "Min-max scale each feature column to [min, max]; fitted (data min and max per column).",
      .params = rescale_range_params(),
      .fittable = true,
      .check = check_rescale_range,
      .create = make_transform<Rescale>,
  };
}

}  // namespace augment::features
