#include "augment/features/register_transforms.hpp"

#include <memory>

#include "augment/features/gaussian_noise.hpp"
#include "augment/features/rescale.hpp"
#include "augment/features/standardize.hpp"
#include "augment/features/svmlight_codec.hpp"
#include "augment/features/tensor_codec.hpp"
#include "augment/features/to_tensor.hpp"
#include "augment/features/unit_norm.hpp"

namespace augment::features {

void register_transforms(Registry& registry) {
  registry.add(rescale_op());
  registry.add(standardize_op());
  registry.add(unit_norm_op());
  registry.add(gaussian_noise_op());
  registry.add(to_tensor_op());
  // For datasets of files whose pipelines end in features (a text's bag of words).
  registry.add_codec(std::make_shared<SvmlightCodec>());
  // For datasets whose pipelines end in to_tensor: .npy files, as numpy.load reads them.
  registry.add_codec(std::make_shared<TensorCodec>());
}

}  // namespace augment::features
