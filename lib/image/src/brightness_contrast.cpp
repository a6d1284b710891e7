#include "augment/image/brightness_contrast.hpp"

#include "augment/image/image.hpp"
#include "pixel_values.hpp"

namespace augment::image {

cv::Mat adjust_brightness_contrast(const cv::Mat& pixels, double brightness, double contrast) {
  detail::check_pixels(pixels);
  const double alpha = 1.0 + contrast;
  const double offset = brightness * detail::max_value(pixels.depth());
  return detail::map_values(pixels, [alpha, offset](double x) { return alpha * x + offset; });
}

nlohmann::json BrightnessContrast::draw(Rng& rng, const Sample&) const {
  const double brightness = draw_number(settings()["brightness"], rng);
  const double contrast = draw_number(settings()["contrast"], rng);
  return {{"brightness", brightness}, {"contrast", contrast}};
}

void BrightnessContrast::apply(Sample& sample, const nlohmann::json& params) const {
  const double brightness = detail::param_number(params, "brightness");
  const double contrast = detail::param_number(params, "contrast");
  cv::Mat& pixels = image_of(sample).mutable_pixels();
  pixels = adjust_brightness_contrast(pixels, brightness, contrast);
}

OpInfo brightness_contrast_op() {
  return {
      .name = "brightness_contrast",
      .input = Kind::image,
      .output = Kind::image,
      .doc = "out = (1 + contrast)·x + brightness·max_value (Albumentations' RandomBrightnessContrast); "
             "max_value 255, 65535 or 1 (float); rounded and saturated, alpha untouched.",
      .params = {{.name = "brightness", .default_value = {-0.2, 0.2}, .drawable = true, .minimum = -1.0,
                  .maximum = 1.0, .doc = "beta, added as a fraction of max_value; or [lo, hi] drawn per sample"},
                 {.name = "contrast", .default_value = {-0.2, 0.2}, .drawable = true, .minimum = -1.0,
                  .maximum = 10.0, .doc = "alpha - 1 (0 keeps contrast, -1 flattens); or [lo, hi] drawn per sample"}},
      .random = true,
      .create = make_transform<BrightnessContrast>,
  };
}

}  // namespace augment::image
