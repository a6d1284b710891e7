#include "augment/features/to_tensor.hpp"

#include "augment/core/tensor.hpp"
#include "augment/features/feature_vector.hpp"

namespace augment::features {
namespace {

class ToTensor final : public Transform {
 public:
  using Transform::Transform;

  void apply(Sample& sample, const nlohmann::json&) const override {
    const FeatureVector& values = values_of(sample);
    Tensor tensor;
    tensor.shape = {values.size()};
    tensor.values.assign(values.begin(), values.end());
    sample = make_sample(std::move(tensor));
  }
};

}  // namespace

OpInfo to_tensor_op() {
  return {
      .name = "to_tensor",
      .input = Kind::features,
      .output = Kind::tensor,
      .doc = "Features → 1-D float32 tensor of the row's N values.",
      .create = make_transform<ToTensor>,
  };
}

}  // namespace augment::features
