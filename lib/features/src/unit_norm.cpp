#include "augment/features/unit_norm.hpp"

#include <cmath>
#include <optional>
#include <stdexcept>

#include "augment/core/error.hpp"
#include "augment/features/feature_vector.hpp"
#include "augment/features/statistics_fitter.hpp"

namespace augment::features {
namespace {

Norm parse_norm(const std::string& name) {
  if (name == "l1") return Norm::l1;
  if (name == "max") return Norm::max;
  return Norm::l2;
}

// Running per-column Σ|x|, Σx² and max|x|; sums merge by addition, in block order.
class ColumnNormFitter final : public Fitter {
 public:
  explicit ColumnNormFitter(Norm norm) : norm_(norm) {}

  void add(const Sample& sample) override {
    const FeatureVector& row = values_of(sample);
    if (acc_.empty()) acc_.assign(row.size(), 0.0);
    if (row.size() != acc_.size())
      throw DataError("row has " + std::to_string(row.size()) + " features, earlier rows had " +
                      std::to_string(acc_.size()));
    for (std::size_t j = 0; j < row.size(); ++j) acc_[j] = accumulate(acc_[j], row[j]);
    ++count_;
  }

  void merge(const Fitter& other) override {
    const auto& theirs = dynamic_cast<const ColumnNormFitter&>(other);
    if (theirs.count_ == 0) return;
    if (count_ == 0) {
      *this = theirs;
      return;
    }
    if (theirs.acc_.size() != acc_.size())
      throw DataError("rows have " + std::to_string(theirs.acc_.size()) + " features, earlier rows had " +
                      std::to_string(acc_.size()));
    for (std::size_t j = 0; j < acc_.size(); ++j)
      acc_[j] = norm_ == Norm::max ? std::max(acc_[j], theirs.acc_[j]) : acc_[j] + theirs.acc_[j];
    count_ += theirs.count_;
  }

  nlohmann::json state() const override {
    if (count_ == 0) throw std::invalid_argument("no rows to fit on");
    std::vector<double> norms = acc_;
    if (norm_ == Norm::l2)
      for (double& n : norms) n = std::sqrt(n);
    return {{"norm", norms}, {"count", count_}};
  }

 private:
  double accumulate(double acc, double x) const {
    switch (norm_) {
      case Norm::l1: return acc + std::fabs(x);
      case Norm::l2: return acc + x * x;
      case Norm::max: return std::max(acc, std::fabs(x));
    }
    return acc;
  }

  Norm norm_;
  std::vector<double> acc_;
  std::uint64_t count_ = 0;
};

double norm_of(const FeatureVector& row, Norm norm) {
  double acc = 0.0;
  for (double x : row) {
    if (norm == Norm::l1) acc += std::fabs(x);
    else if (norm == Norm::l2) acc += x * x;
    else acc = std::max(acc, std::fabs(x));
  }
  return norm == Norm::l2 ? std::sqrt(acc) : acc;
}

}  // namespace

UnitNorm::UnitNorm(const OpInfo& info, const nlohmann::json& settings)
    : Transform(info, settings),
      norm_(parse_norm(settings["norm"].get<std::string>())),
      per_feature_(settings["over"].get<std::string>() == "feature") {}

void UnitNorm::apply(Sample& sample, const nlohmann::json&) const {
  FeatureVector& row = values_of(sample);
  if (per_feature_) {
    check_width(row, column_norms_.size());
    for (std::size_t j = 0; j < row.size(); ++j)
      if (column_norms_[j] > 0) row[j] /= column_norms_[j];
    return;
  }
  const double n = norm_of(row, norm_);
  if (n > 0)
    for (double& x : row) x /= n;
}

std::unique_ptr<Fitter> UnitNorm::make_fitter() const {
  return per_feature_ ? std::make_unique<ColumnNormFitter>(norm_) : nullptr;
}

nlohmann::json UnitNorm::state() const {
  if (!per_feature_ || column_norms_.empty()) return nullptr;
  nlohmann::json out = {{"norm", column_norms_}};
  if (count_ > 0) out["count"] = count_;
  return out;
}

void UnitNorm::set_state(const nlohmann::json& state) {
  if (!per_feature_) throw std::invalid_argument("only over \"feature\" has a fitted state");
  std::vector<double> norms = state_column(state, "norm");
  for (double n : norms)
    if (n < 0) throw std::invalid_argument("norms must be >= 0");
  count_ = fitted_count(state);
  column_norms_ = std::move(norms);
}

OpInfo unit_norm_op() {
  return {
      .name = "unit_norm",
      .input = Kind::features,
      .output = Kind::features,
      .doc = "Scale to unit norm (L2, L1 or max) over each sample row, or over each feature column (fitted).",
      .params = {{.name = "norm", .type = ParamType::string, .default_value = "l2",
                  .choices = {"l2", "l1", "max"}, .doc = "which norm"},
                 {.name = "over", .type = ParamType::string, .default_value = "sample",
                  .choices = {"sample", "feature"},
                  .doc = "sample: each row by its own norm; feature: each column by its norm over the fitted data"}},
      .fittable = true,
      .create = make_transform<UnitNorm>,
  };
}

}  // namespace augment::features
