#include "augment/image/resize.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include <opencv2/imgproc.hpp>

#include "augment/image/pad.hpp"
#include "augment/image/warp_params.hpp"
#include "output_size.hpp"
#include "warp_param.hpp"

namespace augment::image {
namespace {

using detail::warp_param;

constexpr double kMaxSide = 65536;

// round-half-up(a · b / c) for positive integers, exactly.
int scaled_side(std::int64_t a, std::int64_t b, std::int64_t c) {
  return static_cast<int>(std::max<std::int64_t>(1, (2 * a * b + c) / (2 * c)));
}

ParamSpec side_param(std::string name, std::string doc) {
  return {.name = std::move(name), .type = ParamType::integer, .required = true, .minimum = 1.0,
          .maximum = kMaxSide, .doc = std::move(doc)};
}

// resize_longest and resize_shortest: one side to `size`, aspect kept.
class ResizeSide final : public Transform {
 public:
  ResizeSide(const OpInfo& info, const nlohmann::json& settings, bool longest)
      : Transform(info, settings),
        longest_(longest),
        size_(settings["size"].get<int>()),
        interpolation_(resize_interpolation(settings["interpolation"].get<std::string>())) {}

  void apply(Sample& sample, const nlohmann::json&) const override {
    Image& image = image_of(sample);
    const cv::Size from = image.reduced_from().value_or(image.size());  // a reduced decode: its full size
    resize_image(image, longest_ ? longest_side_size(from, size_) : shortest_side_size(from, size_), interpolation_);
  }

 private:
  bool longest_;
  int size_;
  int interpolation_;
};

class Resize final : public Transform {
 public:
  Resize(const OpInfo& info, const nlohmann::json& settings)
      : Transform(info, settings),
        target_(settings["width"].get<int>(), settings["height"].get<int>()),
        letterbox_(settings["letterbox"].get<bool>()),
        interpolation_(resize_interpolation(settings["interpolation"].get<std::string>())),
        border_value_(cv::Scalar::all(settings["border_value"].get<double>())) {}

  void apply(Sample& sample, const nlohmann::json&) const override {
    Image& image = image_of(sample);
    if (!letterbox_) {
      resize_image(image, target_, interpolation_);
      return;
    }
    const LetterboxLayout layout = letterbox_layout(image.reduced_from().value_or(image.size()), target_);
    resize_image(image, layout.scaled, interpolation_);
    const Padding padding{.top = layout.top,
                          .bottom = target_.height - layout.scaled.height - layout.top,
                          .left = layout.left,
                          .right = target_.width - layout.scaled.width - layout.left};
    pad_image(image, padding, cv::BORDER_CONSTANT, border_value_);
  }

 private:
  cv::Size target_;
  bool letterbox_;
  int interpolation_;
  cv::Scalar border_value_;
};

OpInfo resize_side_op(bool longest) {
  const std::string side = longest ? "longest" : "shortest";
  OpInfo info{
      .name = "resize_" + side,
      .input = Kind::image,
      .output = Kind::image,
      .doc = "Resize so the " + side + " side is `size`, keeping the aspect ratio (other side rounded half up).",
      .params = {side_param("size", "the " + side + " side's length after resizing"), warp_param("interpolation")},
  };
  info.create = [longest](const OpInfo& i, const nlohmann::json& s) -> std::unique_ptr<Transform> {
    return std::make_unique<ResizeSide>(i, s, longest);
  };
  return info;
}

}  // namespace

cv::Size longest_side_size(cv::Size size, int target) {
  if (size.width >= size.height) return {target, scaled_side(size.height, target, size.width)};
  return {scaled_side(size.width, target, size.height), target};
}

cv::Size shortest_side_size(cv::Size size, int target) {
  if (size.width <= size.height) return {target, scaled_side(size.height, target, size.width)};
  return {scaled_side(size.width, target, size.height), target};
}

LetterboxLayout letterbox_layout(cv::Size size, cv::Size target) {
  LetterboxLayout out;
  // W/w <= H/h  <=>  W·h <= H·w: the width limits.
  if (std::int64_t{target.width} * size.height <= std::int64_t{target.height} * size.width)
    out.scaled = {target.width, std::min(target.height, scaled_side(size.height, target.width, size.width))};
  else
    out.scaled = {std::min(target.width, scaled_side(size.width, target.height, size.height)), target.height};
  out.left = (target.width - out.scaled.width) / 2;
  out.top = (target.height - out.scaled.height) / 2;
  return out;
}

int resize_interpolation(const std::string& name) {
  if (name == "nearest") return cv::INTER_NEAREST_EXACT;
  if (name == "cubic") return cv::INTER_CUBIC;
  if (name == "area") return cv::INTER_AREA;
  return cv::INTER_LINEAR;
}

void resize_image(Image& image, cv::Size new_size, int interpolation) {
  const cv::Mat& pixels = image.pixels();  // applies pending geometry (and moves targets) first
  const cv::Size from = pixels.size();
  // A reduced decode (image.hpp) ends here: from now on the pixels' size is the image's.
  image.set_reduced_from(std::nullopt);
  if (from == new_size) return;
  detail::check_output_size(new_size, "resize");
  cv::Mat resized;
  cv::resize(pixels, resized, new_size, 0, 0, interpolation);
  if (image.mask) {
    cv::Mat mask;
    cv::resize(*image.mask, mask, new_size, 0, 0, cv::INTER_NEAREST_EXACT);
    image.mask = std::move(mask);
  }
  const double sx = static_cast<double>(new_size.width) / from.width;
  const double sy = static_cast<double>(new_size.height) / from.height;
  transform_targets(image, cv::Matx33d(sx, 0, 0, 0, sy, 0, 0, 0, 1), new_size);
  image.set_pixels(std::move(resized));
}

OpInfo resize_longest_op() { return resize_side_op(true); }
OpInfo resize_shortest_op() { return resize_side_op(false); }

OpInfo resize_op() {
  return {
      .name = "resize",
      .input = Kind::image,
      .output = Kind::image,
      .doc = "Resize to width x height: stretched, or letterboxed (aspect kept, centred, padded with border_value).",
      .params = {side_param("width", "output width"), side_param("height", "output height"),
                 {.name = "letterbox", .type = ParamType::boolean, .default_value = false,
                  .doc = "keep the aspect ratio: scale to fit inside, centre, pad the rest with border_value"},
                 warp_param("interpolation"),
                 {.name = "border_value", .default_value = 0.0,
                  .doc = "the letterbox padding's value, all channels"}},
      .check = [](const nlohmann::json& s) {
        detail::check_requested_size({s["width"].get<int>(), s["height"].get<int>()}, "resize");
      },
      .create = make_transform<Resize>,
  };
}

}  // namespace augment::image
