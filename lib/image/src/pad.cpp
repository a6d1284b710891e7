#include "augment/image/pad.hpp"

#include <algorithm>
#include <stdexcept>

#include <opencv2/core.hpp>

#include "augment/core/error.hpp"
#include "augment/image/warp_params.hpp"
#include "output_size.hpp"
#include "warp_param.hpp"

namespace augment::image {
namespace {

using detail::warp_param;

constexpr double kMaxSide = 65536;

int round_up(int value, int multiple) { return (value + multiple - 1) / multiple * multiple; }

class Pad final : public Transform {
 public:
  Pad(const OpInfo& info, const nlohmann::json& settings)
      : Transform(info, settings),
        at_least_(settings["width"].get<int>(), settings["height"].get<int>()),
        multiple_(settings["multiple"].get<int>()),
        centred_(settings["position"].get<std::string>() == "center"),
        border_mode_(border_code(settings["border"].get<std::string>())),
        value_(cv::Scalar::all(settings["border_value"].get<double>())) {}

  void apply(Sample& sample, const nlohmann::json&) const override {
    Image& image = image_of(sample);
    pad_image(image, padding_for(image.size(), at_least_, multiple_, centred_), border_mode_, value_);
  }

 private:
  cv::Size at_least_;
  int multiple_;
  bool centred_;
  int border_mode_;
  cv::Scalar value_;
};

}  // namespace

Padding padding_for(cv::Size size, cv::Size at_least, int multiple, bool centred) {
  const int width = round_up(std::max(size.width, at_least.width), multiple);
  const int height = round_up(std::max(size.height, at_least.height), multiple);
  const int extra_x = width - size.width, extra_y = height - size.height;
  if (!centred) return {.top = 0, .bottom = extra_y, .left = 0, .right = extra_x};
  return {.top = extra_y / 2, .bottom = extra_y - extra_y / 2, .left = extra_x / 2, .right = extra_x - extra_x / 2};
}

void pad_image(Image& image, const Padding& p, int border_mode, const cv::Scalar& value) {
  if (p.top < 0 || p.bottom < 0 || p.left < 0 || p.right < 0) throw UsageError("padding must be >= 0");
  const cv::Mat& pixels = image.pixels();  // applies pending geometry (and moves targets) first
  if (p == Padding{}) return;
  detail::check_output_size({pixels.cols + p.left + p.right, pixels.rows + p.top + p.bottom}, "pad");
  cv::Mat padded;
  cv::copyMakeBorder(pixels, padded, p.top, p.bottom, p.left, p.right, border_mode, value);
  if (image.mask) {
    cv::Mat mask;
    cv::copyMakeBorder(*image.mask, mask, p.top, p.bottom, p.left, p.right, border_mode, cv::Scalar::all(0));
    image.mask = std::move(mask);
  }
  transform_targets(image, cv::Matx33d(1, 0, p.left, 0, 1, p.top, 0, 0, 1), padded.size());
  image.set_pixels(std::move(padded));
}

OpInfo pad_op() {
  return {
      .name = "pad",
      .input = Kind::image,
      .output = Kind::image,
      .doc = "Pad to at least width x height and/or to a multiple of `multiple`, centred or at the top left.",
      .params = {{.name = "width", .type = ParamType::integer, .default_value = 0, .minimum = 0.0,
                  .maximum = kMaxSide, .doc = "pad to at least this width (0: any)"},
                 {.name = "height", .type = ParamType::integer, .default_value = 0, .minimum = 0.0,
                  .maximum = kMaxSide, .doc = "pad to at least this height (0: any)"},
                 {.name = "multiple", .type = ParamType::integer, .default_value = 1, .minimum = 1.0,
                  .maximum = kMaxSide, .doc = "then pad each side's length up to a multiple of this"},
                 {.name = "position", .type = ParamType::string, .default_value = "center",
                  .choices = {"center", "top_left"},
                  .doc = "where the image sits: centred (odd pixel right/bottom) or at the top left"},
                 warp_param("border"), warp_param("border_value")},
      .check =
          [](const nlohmann::json& s) {
            if (s["width"].get<int>() == 0 && s["height"].get<int>() == 0 && s["multiple"].get<int>() == 1)
              throw std::invalid_argument("pad needs width and/or height to pad to, or a multiple above 1");
            detail::check_requested_size({s["width"].get<int>(), s["height"].get<int>()}, "pad");
          },
      .create = make_transform<Pad>,
  };
}

}  // namespace augment::image
