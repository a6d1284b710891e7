#include "augment/image/warp_params.hpp"

#include <opencv2/imgproc.hpp>

namespace augment::image {

std::vector<ParamSpec> warp_params() {
  return {{.name = "interpolation", .type = ParamType::string, .default_value = "linear",
           .choices = {"nearest", "linear", "cubic", "area"}, .doc = "how pixels are resampled"},
          {.name = "border", .type = ParamType::string, .default_value = "constant",
           .choices = {"constant", "reflect", "replicate", "wrap"}, .doc = "what fills pixels from outside the image"},
          {.name = "border_value", .default_value = 0.0, .doc = "the fill value of a constant border, all channels"}};
}

int border_code(const std::string& name) {
  if (name == "reflect") return cv::BORDER_REFLECT_101;
  if (name == "replicate") return cv::BORDER_REPLICATE;
  if (name == "wrap") return cv::BORDER_WRAP;
  return cv::BORDER_CONSTANT;
}

WarpSettings warp_settings(const nlohmann::json& settings) {
  const std::string interpolation = settings["interpolation"].get<std::string>();
  WarpSettings w;
  w.interpolation = interpolation == "nearest" ? cv::INTER_NEAREST
                    : interpolation == "cubic" ? cv::INTER_CUBIC
                    : interpolation == "area"  ? cv::INTER_AREA
                                               : cv::INTER_LINEAR;
  w.border_mode = border_code(settings["border"].get<std::string>());
  w.border_value = cv::Scalar::all(settings["border_value"].get<double>());
  return w;
}

}  // namespace augment::image
