#pragma once
// Per-column count, mean, variance, min and max of a stream of numeric rows, in one pass and
// mergeable: each thread or file chunk keeps its own ColumnStatistics and the parts are merged
// at the end, giving the same result (to rounding) as one pass over all rows.
//
// Why Welford / Chan et al.: the naive sum-of-squares formula loses all precision when the mean
// is large against the spread (1e9 + {4, 7, 13, 16} has variance 22.5; naive gives garbage).
//
// Values must be finite: NaN and infinities are NOT checked here (that would cost a branch per
// value in the hot loop); callers reject non-finite input before calling add().
// Not thread-safe; use one instance per thread and merge().
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <nlohmann/json.hpp>

namespace augment::features {

class ColumnStatistics {
 public:
  /// Empty statistics over `columns` columns.
  explicit ColumnStatistics(std::size_t columns);

  /// Adds one row (Welford update). Throws std::invalid_argument unless row.size() == columns().
  void add(std::span<const double> row);

  /// Folds `other` in as if its rows had been added here (Chan et al. pairwise combination).
  /// Merging into an empty instance copies `other`; merging an empty one changes nothing.
  /// Throws std::invalid_argument when the column counts differ.
  void merge(const ColumnStatistics& other);

  std::uint64_t count() const noexcept { return count_; }
  std::size_t columns() const noexcept { return mean_.size(); }

  /// Per-column mean; 0 while count() == 0.
  const std::vector<double>& mean() const noexcept { return mean_; }
  /// Population variance (ddof 0, as scikit-learn's StandardScaler); 0 while count() == 0.
  std::vector<double> variance() const;
  /// Square root of variance().
  std::vector<double> stddev() const;
  /// Per-column minimum and maximum; +inf and -inf while count() == 0 (the merge identities).
  const std::vector<double>& min() const noexcept { return min_; }
  const std::vector<double>& max() const noexcept { return max_; }

  /// {"count": n, "mean": [...], "m2": [...], "min": [...], "max": [...]} — the full state, so
  /// partial statistics can be saved and merged later. m2 is the sum of squared deviations.
  /// With count 0, min and max hold nulls (JSON has no infinities).
  nlohmann::json to_json() const;
  /// Inverse of to_json(). Throws std::invalid_argument on a missing key, lists of different
  /// lengths, non-numbers, a negative m2, or min > max.
  static ColumnStatistics from_json(const nlohmann::json& json);

 private:
  std::uint64_t count_ = 0;
  std::vector<double> mean_;
  std::vector<double> m2_;  // sum of squared deviations from the mean
  std::vector<double> min_;
  std::vector<double> max_;
};

/// scikit-learn's test for a constant feature (_is_constant_feature): a variance within the
/// rounding error of computing it from `n` values counts as 0. With n = 0 (statistics given by
/// hand) only an exact 0 does. Standardizing leaves such a column unscaled.
bool is_constant_feature(double mean, double stddev, std::uint64_t n);

}  // namespace augment::features
