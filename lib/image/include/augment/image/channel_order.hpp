#pragma once
// The channel order in which per-channel numbers are written: a tensor's planes (to_tensor), a
// standardize or rescale state (mean, std, data_min, data_max). Colour pixels are held as OpenCV
// decodes them, B, G, R (, A); published statistics (ImageNet's mean and std) and PyTorch's
// tensors are R, G, B (, A). "rgb" is the default everywhere, so such figures apply as printed;
// "bgr" writes OpenCV's order. Gray images have one channel, which no order changes.
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/param_spec.hpp"

namespace augment::image {

enum class ChannelOrder { rgb, bgr };

/// The `order` parameter: "rgb" (default) or "bgr"; `what` says what the order applies to.
ParamSpec channel_order_param(const char* what);

/// The order a resolved stage's settings give.
ChannelOrder channel_order_of(const nlohmann::json& settings);

/// Per-channel values between the image's B, G, R (, A) and `order`: swaps the first and third
/// of three or four values for rgb (its own inverse); one value, or bgr, is unchanged.
template <class T>
std::vector<T> in_channel_order(std::vector<T> values, ChannelOrder order) {
  if (order == ChannelOrder::rgb && values.size() >= 3) std::swap(values[0], values[2]);
  return values;
}

}  // namespace augment::image
