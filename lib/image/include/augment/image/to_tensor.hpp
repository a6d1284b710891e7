#pragma once
// to_tensor on images: float32 C×H×W, what a convolutional layer takes (PyTorch's layout).
//   order  "rgb" (default): colour images, decoded by OpenCV as B, G, R (, A), are given as
//          R, G, B (, A) — what torchvision's ToTensor gives from PIL; "bgr" keeps OpenCV's
//          order (channel_order.hpp). Gray stays one channel.
//   scale  "unit" (default): 8-bit levels / 255 and 16-bit / 65535 (ToTensor's [0, 1]); float
//          pixels (after standardize) are kept. "none": the levels as they are.
#include "augment/core/registry.hpp"
#include "augment/core/tensor.hpp"
#include "augment/image/channel_order.hpp"
#include "augment/image/image.hpp"

namespace augment::image {

/// The pixels of `image` (pending geometry applied) as a C×H×W tensor.
Tensor image_to_tensor(Image& image, ChannelOrder order, bool unit_scale);

OpInfo to_tensor_op();

}  // namespace augment::image
