#include "augment/video/register_transforms.hpp"

#include <memory>

#include "augment/video/to_tensor.hpp"
#include "register_groups.hpp"

namespace augment::video {

void register_transforms(Registry& registry) {
  registry.add_codec(std::make_shared<VideoCodec>());
  detail::register_samplers(registry);
  detail::register_flow(registry);
  detail::register_lifted_image_ops(registry);
  registry.add(video_to_tensor_op());
}

}  // namespace augment::video
