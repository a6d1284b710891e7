// The image file codec and the preprocessing ops: resize, pad, crop, channel norms, to_tensor.
#include <memory>

#include "augment/image/channel_norm.hpp"
#include "augment/image/crop.hpp"
#include "augment/image/image_codec.hpp"
#include "augment/image/pad.hpp"
#include "augment/image/resize.hpp"
#include "augment/image/to_tensor.hpp"
#include "register_groups.hpp"

namespace augment::image::detail {

void register_io_and_preprocessing(Registry& registry) {
  registry.add_codec(std::make_shared<ImageCodec>());
  registry.add(resize_longest_op());
  registry.add(resize_shortest_op());
  registry.add(resize_op());
  registry.add(pad_op());
  registry.add(crop_op());
  registry.add(random_resized_crop_op());
  registry.add(rescale_op());
  registry.add(standardize_op());
  registry.add(unit_norm_op());
  registry.add(to_tensor_op());
}

}  // namespace augment::image::detail
