#include "augment/image/warp_params.hpp"

#include <opencv2/imgproc.hpp>

namespace augment::image {

std::vector<ParamSpec> warp_params() {
  return {{.name = "interpolation", .type = ParamType::string, .default_value = "linear",
           .choices = {"nearest", "linear", "cubic", "area"}, .doc = "how pixels are resampled"},
          {.name = "border", .type = ParamType::string, .default_value = "constant",
           .choices = {"constant", "reflect", "reflect_edge", "replicate", "wrap"},
           .doc = "what fills pixels from outside the image; reflect is OpenCV's BORDER_REFLECT_101 (the edge pixel "
                  "not repeated: numpy's and torchvision's reflect), reflect_edge is BORDER_REFLECT (repeated: "
                  "numpy's symmetric)"},
          {.name = "border_value", .default_value = 0.0, .doc = "the fill value of a constant border, all channels"}};
}

int border_code(const std::string& name) {
  // "reflect" is the mirror that does not repeat the edge pixel, as numpy, torchvision and
  // Albumentations' default mean it; "reflect_edge" repeats it, for cv2.BORDER_REFLECT users.
  if (name == "reflect") return cv::BORDER_REFLECT_101;
  if (name == "reflect_edge") return cv::BORDER_REFLECT;
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
