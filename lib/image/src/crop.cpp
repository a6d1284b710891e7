#include "augment/image/crop.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include <opencv2/imgproc.hpp>

#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"
#include "augment/image/resize.hpp"
#include "output_size.hpp"
#include "warp_param.hpp"

namespace augment::image {
namespace {

using detail::warp_param;

constexpr double kMaxSide = 65536;

std::string size_text(cv::Size s) { return std::to_string(s.width) + "x" + std::to_string(s.height); }

bool fits(const cv::Rect& r, cv::Size size) {
  return r.x >= 0 && r.y >= 0 && r.width > 0 && r.height > 0 && r.x + r.width <= size.width &&
         r.y + r.height <= size.height;
}

std::string rect_text(const cv::Rect& r) {
  return size_text(r.size()) + " at (" + std::to_string(r.x) + ", " + std::to_string(r.y) + ")";
}

ParamSpec side_param(std::string name, std::string doc) {
  return {.name = std::move(name), .type = ParamType::integer, .required = true, .minimum = 1.0,
          .maximum = kMaxSide, .doc = std::move(doc)};
}

int int_param(const nlohmann::json& params, const char* key) {
  if (!params.is_object() || !params.contains(key) || !params[key].is_number_integer())
    throw UsageError(std::string("params need an integer \"") + key + "\", got " + params.dump());
  const auto value = params[key].get<std::int64_t>();
  if (value < -(std::int64_t{1} << 30) || value > (std::int64_t{1} << 30))
    throw UsageError(std::string("params \"") + key + "\" is out of range: " + params.dump());
  return static_cast<int>(value);
}

class Crop final : public Transform {
 public:
  Crop(const OpInfo& info, const nlohmann::json& settings)
      : Transform(info, settings),
        size_(settings["width"].get<int>(), settings["height"].get<int>()),
        random_(settings["position"].get<std::string>() == "random") {}

  bool is_random() const override { return random_; }  // a centred crop is preprocessing

  nlohmann::json draw(Rng& rng, const Sample& sample) const override {
    const cv::Size image = image_of(sample).size();
    if (!random_ || image.width < size_.width || image.height < size_.height) return nlohmann::json::object();
    return {{"x", rng.integer(0, image.width - size_.width)}, {"y", rng.integer(0, image.height - size_.height)}};
  }

  void apply(Sample& sample, const nlohmann::json& params) const override {
    Image& image = image_of(sample);
    const cv::Size from = image.size();
    if (from.width < size_.width || from.height < size_.height)
      throw DataError("the image is " + size_text(from) + ", smaller than the " + size_text(size_) +
                      " crop; pad or resize first");
    const cv::Point at = random_ ? cv::Point(int_param(params, "x"), int_param(params, "y"))
                                 : cv::Point((from.width - size_.width) / 2, (from.height - size_.height) / 2);
    crop_image(image, cv::Rect(at, size_));
  }

 private:
  cv::Size size_;
  bool random_;
};

class RandomResizedCrop final : public Transform {
 public:
  RandomResizedCrop(const OpInfo& info, const nlohmann::json& settings)
      : Transform(info, settings),
        size_(settings["width"].get<int>(), settings["height"].get<int>()),
        scale_{settings["scale"][0].get<double>(), settings["scale"][1].get<double>()},
        ratio_{settings["ratio"][0].get<double>(), settings["ratio"][1].get<double>()},
        interpolation_(resize_interpolation(settings["interpolation"].get<std::string>())) {}

  nlohmann::json draw(Rng& rng, const Sample& sample) const override {
    const cv::Rect r =
        random_resized_crop_window(image_of(sample).size(), scale_[0], scale_[1], ratio_[0], ratio_[1], rng);
    return {{"x", r.x}, {"y", r.y}, {"width", r.width}, {"height", r.height}};
  }

  void apply(Sample& sample, const nlohmann::json& params) const override {
    const cv::Rect window(int_param(params, "x"), int_param(params, "y"), int_param(params, "width"),
                          int_param(params, "height"));
    Image& image = image_of(sample);
    const cv::Mat& pixels = image.pixels();  // applies pending geometry (and moves targets) first
    if (!fits(window, pixels.size()))
      throw UsageError("the crop window " + rect_text(window) + " does not fit in the " + size_text(pixels.size()) +
                       " image");
    cv::Mat out;
    detail::check_output_size(size_, "random_resized_crop");
    cv::resize(pixels(window), out, size_, 0, 0, interpolation_);
    if (image.mask) {
      cv::Mat mask;
      cv::resize((*image.mask)(window), mask, size_, 0, 0, cv::INTER_NEAREST_EXACT);
      image.mask = std::move(mask);
    }
    const double sx = static_cast<double>(size_.width) / window.width;
    const double sy = static_cast<double>(size_.height) / window.height;
    transform_targets(image, cv::Matx33d(sx, 0, -sx * window.x, 0, sy, -sy * window.y, 0, 0, 1), size_);
    image.set_pixels(std::move(out));
  }

 private:
  cv::Size size_;
  double scale_[2];
  double ratio_[2];
  int interpolation_;
};

// A [lo, hi] pair of a number list parameter, checked.
void check_range(const nlohmann::json& s, const char* name, bool positive) {
  const nlohmann::json& v = s[name];
  if (v.size() != 2) throw std::invalid_argument(std::string(name) + " must be [lo, hi], got " + v.dump());
  const double lo = v[0].get<double>(), hi = v[1].get<double>();
  if (positive && !(lo > 0))
    throw std::invalid_argument(std::string(name) + " low must be above 0, got " + format_number(lo));
  if (lo > hi) throw std::invalid_argument(std::string(name) + " must have lo <= hi, got " + v.dump());
}

}  // namespace

void crop_image(Image& image, const cv::Rect& rect) {
  const cv::Mat& pixels = image.pixels();  // applies pending geometry (and moves targets) first
  if (!fits(rect, pixels.size()))
    throw UsageError("the crop window " + rect_text(rect) + " does not fit in the " + size_text(pixels.size()) +
                     " image");
  if (rect == cv::Rect(cv::Point(0, 0), pixels.size())) return;
  cv::Mat out = pixels(rect).clone();  // a copy: the view would pin the whole source buffer
  if (image.mask) image.mask = (*image.mask)(rect).clone();
  transform_targets(image, cv::Matx33d(1, 0, -rect.x, 0, 1, -rect.y, 0, 0, 1), rect.size());
  image.set_pixels(std::move(out));
}

cv::Rect random_resized_crop_window(cv::Size size, double scale_lo, double scale_hi, double ratio_lo,
                                    double ratio_hi, Rng& rng) {
  const int width = size.width, height = size.height;
  const double area = static_cast<double>(width) * height;
  const double log_lo = std::log(ratio_lo), log_hi = std::log(ratio_hi);
  // Python's round() is half to even, as std::nearbyint in the default rounding mode.
  auto round_even = [](double x) { return static_cast<int>(std::min(std::nearbyint(x), 1e9)); };
  for (int attempt = 0; attempt < 10; ++attempt) {
    const double target_area = area * rng.uniform(scale_lo, scale_hi);
    const double aspect = std::exp(rng.uniform(log_lo, log_hi));
    const int w = round_even(std::sqrt(target_area * aspect));
    const int h = round_even(std::sqrt(target_area / aspect));
    if (0 < w && w <= width && 0 < h && h <= height) {
      const auto y = static_cast<int>(rng.integer(0, height - h));
      const auto x = static_cast<int>(rng.integer(0, width - w));
      return {x, y, w, h};
    }
  }
  // Fallback: a central crop of the whole image at the nearest aspect ratio in range.
  const double in_ratio = static_cast<double>(width) / height;
  int w = width, h = height;
  if (in_ratio < ratio_lo) h = std::clamp(round_even(w / ratio_lo), 1, height);
  else if (in_ratio > ratio_hi) w = std::clamp(round_even(h * ratio_hi), 1, width);
  return {(width - w) / 2, (height - h) / 2, w, h};
}

OpInfo crop_op() {
  return {
      .name = "crop",
      .input = Kind::image,
      .output = Kind::image,
      .doc = "Cut a width x height window out of the image, centred or at a random offset.",
      .params = {side_param("width", "window width"), side_param("height", "window height"),
                 {.name = "position", .type = ParamType::string, .default_value = "center",
                  .choices = {"center", "random"},
                  .doc = "centre: offset floor((w - W) / 2); random: offset drawn uniformly per sample"}},
      // Not flagged random although position "random" draws: OpInfo::random is per op, and the
      // centred crop is preprocessing that fitting must apply (see crop.hpp).
      .random = false,
      .create = make_transform<Crop>,
  };
}

OpInfo random_resized_crop_op() {
  return {
      .name = "random_resized_crop",
      .input = Kind::image,
      .output = Kind::image,
      .doc = "torchvision's RandomResizedCrop: a window of random area and aspect ratio, resized to width x height.",
      .params = {side_param("width", "output width"), side_param("height", "output height"),
                 {.name = "scale", .type = ParamType::number_list, .default_value = {0.08, 1.0}, .minimum = 0.0,
                  .maximum = 1.0, .doc = "[lo, hi] range of the window's area as a fraction of the image's"},
                 {.name = "ratio", .type = ParamType::number_list, .default_value = {3.0 / 4.0, 4.0 / 3.0},
                  .minimum = 0.0, .doc = "[lo, hi] range of the window's aspect ratio w/h (drawn log-uniformly)"},
                 warp_param("interpolation")},
      .random = true,
      .check =
          [](const nlohmann::json& s) {
            check_range(s, "scale", true);
            check_range(s, "ratio", true);
            detail::check_requested_size({s["width"].get<int>(), s["height"].get<int>()}, "random_resized_crop");
          },
      .create = make_transform<RandomResizedCrop>,
  };
}

}  // namespace augment::image
