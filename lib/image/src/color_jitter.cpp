#include "augment/image/color_jitter.hpp"

#include <cmath>

#include <opencv2/imgproc.hpp>

#include "augment/core/number_text.hpp"
#include "augment/image/image.hpp"
#include "pixel_values.hpp"

namespace augment::image {
namespace {

void clip01(cv::Mat& f) {
  cv::max(f, 0.0, f);
  cv::min(f, 1.0, f);
}

void check_factor(const char* name, double v) {
  if (!(v >= 0) || !std::isfinite(v)) throw UsageError(std::string(name) + " must be a factor >= 0, got " + format_number(v));
}

}  // namespace

cv::Mat color_jitter(const cv::Mat& pixels, const ColorJitterParams& p) {
  detail::check_pixels(pixels);
  check_factor("brightness", p.brightness);
  check_factor("contrast", p.contrast);
  check_factor("saturation", p.saturation);
  if (!std::isfinite(p.hue)) throw UsageError("hue must be finite, got " + format_number(p.hue));
  const double max = detail::max_value(pixels.depth());
  cv::Mat f;
  detail::colour_part(pixels).convertTo(f, CV_32F, 1.0 / max);  // always a new buffer
  if (pixels.depth() == CV_32F) clip01(f);
  if (p.brightness != 1.0) {
    f *= p.brightness;
    clip01(f);
  }
  if (p.contrast != 1.0) {
    double mean = 0;
    if (f.channels() == 3) {
      cv::Mat gray;
      cv::cvtColor(f, gray, cv::COLOR_BGR2GRAY);
      mean = cv::mean(gray)[0];
    } else {
      mean = cv::mean(f)[0];
    }
    f.convertTo(f, CV_32F, p.contrast, (1.0 - p.contrast) * mean);
    clip01(f);
  }
  const double hue = std::fmod(p.hue, 360.0);
  if (f.channels() == 3 && (p.saturation != 1.0 || hue != 0.0)) {
    cv::Mat hsv;
    cv::cvtColor(f, hsv, cv::COLOR_BGR2HSV);  // float: H in [0, 360), S and V in [0, 1]
    const auto shift = static_cast<float>(hue), factor = static_cast<float>(p.saturation);
    for (int y = 0; y < hsv.rows; ++y) {
      auto* px = hsv.ptr<cv::Vec3f>(y);
      for (int x = 0; x < hsv.cols; ++x) {
        float h = px[x][0] + shift;
        if (h >= 360.0f) h -= 360.0f;
        if (h < 0.0f) h += 360.0f;
        px[x][0] = h;
        px[x][1] = std::min(px[x][1] * factor, 1.0f);
      }
    }
    cv::cvtColor(hsv, f, cv::COLOR_HSV2BGR);
    clip01(f);
  }
  cv::Mat out;
  f.convertTo(out, pixels.depth(), max);  // rounds and saturates
  return detail::with_alpha_of(pixels, out);
}

nlohmann::json ColorJitter::draw(Rng& rng, const Sample&) const {
  nlohmann::json out = nlohmann::json::object();
  for (const char* name : {"brightness", "contrast", "saturation", "hue"}) out[name] = draw_number(settings()[name], rng);
  return out;
}

void ColorJitter::apply(Sample& sample, const nlohmann::json& params) const {
  ColorJitterParams p;
  p.brightness = detail::param_number(params, "brightness");
  p.contrast = detail::param_number(params, "contrast");
  p.saturation = detail::param_number(params, "saturation");
  p.hue = detail::param_number(params, "hue");
  cv::Mat& pixels = image_of(sample).mutable_pixels();
  pixels = color_jitter(pixels, p);
}

OpInfo color_jitter_op() {
  return {
      .name = "color_jitter",
      .input = Kind::image,
      .output = Kind::image,
      .doc = "torchvision-style ColorJitter in fixed order: brightness and contrast factors, saturation "
             "factor and hue shift in degrees via HSV (gray images: brightness and contrast only).",
      .params = {{.name = "brightness", .default_value = {0.8, 1.2}, .drawable = true, .minimum = 0.0,
                  .maximum = 10.0, .doc = "brightness factor (1 keeps), or [lo, hi] drawn per sample"},
                 {.name = "contrast", .default_value = {0.8, 1.2}, .drawable = true, .minimum = 0.0, .maximum = 10.0,
                  .doc = "contrast factor around the gray mean (1 keeps), or [lo, hi]"},
                 {.name = "saturation", .default_value = {0.8, 1.2}, .drawable = true, .minimum = 0.0,
                  .maximum = 10.0, .doc = "HSV saturation factor (1 keeps; colour images only), or [lo, hi]"},
                 {.name = "hue", .default_value = {-10.0, 10.0}, .drawable = true, .minimum = -180.0,
                  .maximum = 180.0, .doc = "hue shift in degrees (colour images only), or [lo, hi]"}},
      .random = true,
      .create = make_transform<ColorJitter>,
  };
}

}  // namespace augment::image
