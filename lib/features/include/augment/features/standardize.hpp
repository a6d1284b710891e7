#pragma once
// standardize: x' = (x − mean) / σ per feature column (the course's estandarización), with the
// population σ as scikit-learn's StandardScaler. Fitted, or given mean and std as its state.
// A constant column (σ = 0, or within the rounding error of computing σ: scikit-learn's
// _is_constant_feature) is only centred (x' = 0 on the fitted data), as scikit-learn does.
#include "augment/core/registry.hpp"

namespace augment::features {

class Standardize final : public Transform {
 public:
  Standardize(const OpInfo& info, const nlohmann::json& settings);
  void apply(Sample& sample, const nlohmann::json& params) const override;
  bool needs_fit() const override { return true; }
  bool is_fitted() const override { return !mean_.empty(); }
  std::unique_ptr<Fitter> make_fitter() const override;
  nlohmann::json state() const override;
  void set_state(const nlohmann::json& state) override;

 private:
  bool with_mean_, with_std_;
  std::vector<double> mean_, std_;
  std::uint64_t count_ = 0;        // rows fitted on (0 when the state was given by hand)
  std::vector<double> scale_;  // σ, or 1 where σ = 0 or with_std is off (divided, as scikit-learn)
};

OpInfo standardize_op();

}  // namespace augment::features
