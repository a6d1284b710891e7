#pragma once
// unit_norm: x' = x / ‖x‖ (the course's magnitud unitaria), with the L2 (default), L1 or max
// norm. Over each sample (row, as scikit-learn's normalize; needs no fit) or over each feature
// column (fitted: each column's norm across the dataset). A zero vector stays zero.
#include "augment/core/registry.hpp"

namespace augment::features {

enum class Norm { l1, l2, max };

class UnitNorm final : public Transform {
 public:
  UnitNorm(const OpInfo& info, const nlohmann::json& settings);
  void apply(Sample& sample, const nlohmann::json& params) const override;
  bool needs_fit() const override { return per_feature_; }
  bool is_fitted() const override { return !per_feature_ || !column_norms_.empty(); }
  std::unique_ptr<Fitter> make_fitter() const override;
  nlohmann::json state() const override;
  void set_state(const nlohmann::json& state) override;

 private:
  Norm norm_;
  bool per_feature_;
  std::uint64_t count_ = 0;
  std::vector<double> column_norms_;
};

OpInfo unit_norm_op();

}  // namespace augment::features
