#include "augment/image/channel_order.hpp"

#include <string>

namespace augment::image {

ParamSpec channel_order_param(const char* what) {
  return {.name = "order", .type = ParamType::string, .default_value = "rgb", .choices = {"rgb", "bgr"},
          .doc = std::string("channel order of ") + what + " for colour images: rgb (R, G, B, A) or OpenCV's bgr"};
}

ChannelOrder channel_order_of(const nlohmann::json& settings) {
  return settings.at("order").get<std::string>() == "bgr" ? ChannelOrder::bgr : ChannelOrder::rgb;
}

}  // namespace augment::image
