#include "augment/image/gaussian_blur.hpp"

#include <opencv2/imgproc.hpp>

#include "augment/core/number_text.hpp"
#include "augment/image/image.hpp"
#include "pixel_values.hpp"

namespace augment::image {
namespace {

constexpr int kMaxKernel = 255;

// The odd sizes in [lo, hi], as (first, count).
std::pair<std::int64_t, std::int64_t> odd_sizes(std::int64_t lo, std::int64_t hi) {
  const std::int64_t first = lo % 2 == 0 ? lo + 1 : lo;
  const std::int64_t last = hi % 2 == 0 ? hi - 1 : hi;
  return {first, last < first ? 0 : (last - first) / 2 + 1};
}

}  // namespace

cv::Mat gaussian_blur(const cv::Mat& pixels, int kernel, double sigma) {
  detail::check_pixels(pixels);
  if (kernel < 1 || kernel % 2 == 0 || kernel > kMaxKernel)
    throw UsageError("kernel must be an odd size in [1, " + std::to_string(kMaxKernel) + "], got " +
                     std::to_string(kernel));
  if (!(sigma >= 0) || !std::isfinite(sigma)) throw UsageError("sigma must be >= 0, got " + format_number(sigma));
  const cv::Mat colour = detail::colour_part(pixels);
  cv::Mat blurred;
  cv::GaussianBlur(colour, blurred, cv::Size(kernel, kernel), sigma, sigma, cv::BORDER_REFLECT_101);
  return detail::with_alpha_of(pixels, blurred);
}

nlohmann::json GaussianBlur::draw(Rng& rng, const Sample&) const {
  const nlohmann::json& k = settings()["kernel"];
  std::int64_t kernel = 0;
  if (k.is_array()) {
    const auto [first, count] = odd_sizes(k[0].get<std::int64_t>(), k[1].get<std::int64_t>());
    kernel = first + 2 * rng.integer(0, count - 1);
  } else {
    kernel = k.get<std::int64_t>();
  }
  return {{"kernel", kernel}, {"sigma", draw_number(settings()["sigma"], rng)}};
}

void GaussianBlur::apply(Sample& sample, const nlohmann::json& params) const {
  if (!params.is_object() || !params.contains("kernel") || !params["kernel"].is_number_integer())
    throw UsageError("params need an integer \"kernel\", got " + params.dump());
  const std::int64_t kernel = params["kernel"].get<std::int64_t>();
  if (kernel < 1 || kernel > kMaxKernel)
    throw UsageError("kernel must be an odd size in [1, " + std::to_string(kMaxKernel) + "], got " +
                     std::to_string(kernel));
  const double sigma = detail::param_number(params, "sigma");
  cv::Mat& pixels = image_of(sample).mutable_pixels();
  pixels = gaussian_blur(pixels, static_cast<int>(kernel), sigma);
}

OpInfo gaussian_blur_op() {
  return {
      .name = "gaussian_blur",
      .input = Kind::image,
      .output = Kind::image,
      .doc = "Gaussian blur (cv::GaussianBlur, border reflect-101) with an odd square kernel and sigma "
             "(0: from the kernel size); alpha untouched.",
      .params = {{.name = "kernel", .type = ParamType::integer, .default_value = {3, 7}, .drawable = true,
                  .minimum = 1, .maximum = kMaxKernel,
                  .doc = "odd kernel size, or [lo, hi] drawn among the odd sizes in it"},
                 {.name = "sigma", .default_value = 0.0, .drawable = true, .minimum = 0.0, .maximum = 100.0,
                  .doc = "standard deviation in pixels (0: 0.3·((kernel − 1)/2 − 1) + 0.8), or [lo, hi]"}},
      .random = true,
      .check =
          [](const nlohmann::json& s) {
            const nlohmann::json& k = s["kernel"];
            if (k.is_array()) {
              if (odd_sizes(k[0].get<std::int64_t>(), k[1].get<std::int64_t>()).second == 0)
                throw std::invalid_argument("kernel range must contain an odd size, got " + k.dump());
            } else if (k.get<std::int64_t>() % 2 == 0) {
              throw std::invalid_argument("kernel must be odd, got " + k.dump());
            }
          },
      .create = make_transform<GaussianBlur>,
  };
}

}  // namespace augment::image
