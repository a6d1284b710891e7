#pragma once
// rescale: min-max scaling of each feature column to [min, max] (the course's
// x' = (x − min x) / (max x − min x), then stretched to the target range). Fitted: learns each
// column's data minimum and maximum. A constant column maps to `min`, as scikit-learn's
// MinMaxScaler does.
#include "augment/core/registry.hpp"

namespace augment::features {

class Rescale final : public Transform {
 public:
  Rescale(const OpInfo& info, const nlohmann::json& settings);
  void apply(Sample& sample, const nlohmann::json& params) const override;
  bool needs_fit() const override { return true; }
  bool is_fitted() const override { return !scale_.empty(); }
  std::unique_ptr<Fitter> make_fitter() const override;
  nlohmann::json state() const override;
  void set_state(const nlohmann::json& state) override;

 private:
  double lo_, hi_;
  bool clip_;
  std::vector<double> data_min_, data_max_;
  std::uint64_t count_ = 0;  // rows fitted on (0 when the state was given by hand)
  std::vector<double> scale_, offset_;  // x' = x·scale + offset, as scikit-learn computes it
};

OpInfo rescale_op();

/// The target-range parameters (min, max, clip) and their check (min < max), shared with the
/// image module's per-channel rescale.
std::vector<ParamSpec> rescale_range_params();
void check_rescale_range(const nlohmann::json& settings);

}  // namespace augment::features
