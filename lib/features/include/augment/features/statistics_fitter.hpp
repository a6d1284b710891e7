#pragma once
// The fitter shared by rescale and standardize: streams rows into mergeable column statistics
// and turns them into the transform's state at the end.
#include <functional>
#include <optional>

#include "augment/core/transform.hpp"
#include "augment/features/column_statistics.hpp"
#include "augment/features/feature_vector.hpp"

namespace augment::features {

class StatisticsFitter final : public Fitter {
 public:
  using ToState = std::function<nlohmann::json(const ColumnStatistics&)>;
  explicit StatisticsFitter(ToState to_state) : to_state_(std::move(to_state)) {}

  void add(const Sample& sample) override;
  void merge(const Fitter& other) override;
  /// Throws std::invalid_argument when no row was seen.
  nlohmann::json state() const override;

 private:
  ToState to_state_;
  std::optional<ColumnStatistics> stats_;  // sized by the first row
};

/// Checks a fitted per-column list in a state object: present, numbers, finite, `columns` long
/// (when `columns` > 0). Throws std::invalid_argument naming the key.
std::vector<double> state_column(const nlohmann::json& state, const char* key, std::size_t columns = 0);

/// The optional "count" of rows a state was fitted on (0 when absent).
std::uint64_t fitted_count(const nlohmann::json& state);

/// Throws UsageError when a row's length differs from what the transform was fitted on.
void check_width(const FeatureVector& row, std::size_t fitted_columns);

}  // namespace augment::features
