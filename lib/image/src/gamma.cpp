#include "augment/image/gamma.hpp"

#include <cmath>

#include "augment/core/number_text.hpp"
#include "augment/image/image.hpp"
#include "pixel_values.hpp"

namespace augment::image {

cv::Mat adjust_gamma(const cv::Mat& pixels, double gamma) {
  detail::check_pixels(pixels);
  if (!(gamma > 0) || !std::isfinite(gamma)) throw UsageError("gamma must be > 0, got " + format_number(gamma));
  const double max = detail::max_value(pixels.depth());
  return detail::map_values(pixels, [max, gamma](double x) { return max * std::pow(x / max, gamma); });
}

nlohmann::json Gamma::draw(Rng& rng, const Sample&) const {
  return {{"gamma", draw_number(settings()["gamma"], rng)}};
}

void Gamma::apply(Sample& sample, const nlohmann::json& params) const {
  const double gamma = detail::param_number(params, "gamma");
  cv::Mat& pixels = image_of(sample).mutable_pixels();
  pixels = adjust_gamma(pixels, gamma);
}

OpInfo gamma_op() {
  return {
      .name = "gamma",
      .input = Kind::image,
      .output = Kind::image,
      .doc = "out = max_value·(x / max_value)^gamma (Albumentations' RandomGamma); gamma < 1 brightens; "
             "rounded, alpha untouched.",
      .params = {{.name = "gamma", .default_value = {0.8, 1.2}, .drawable = true, .minimum = 0.01, .maximum = 100.0,
                  .doc = "the exponent, or [lo, hi] drawn per sample"}},
      .random = true,
      .create = make_transform<Gamma>,
  };
}

}  // namespace augment::image
