// gaussian_noise on images (the features op of the same name lives in lib/features).
#include "augment/image/image_noise.hpp"

#include "augment/core/rng.hpp"
#include "augment/image/image.hpp"
#include "pixel_values.hpp"

namespace augment::image {
namespace {

template <class T>
void add_noise(const cv::Mat& src, cv::Mat& out, double mean, double sigma, std::uint64_t seed, bool per_channel) {
  const int channels = src.channels(), colour = detail::colour_channels(channels);
  const Rng base(seed);
  for (int y = 0; y < src.rows; ++y) {
    Rng rng = base.fork(static_cast<std::uint64_t>(y));
    const T* in = src.ptr<T>(y);
    T* o = out.ptr<T>(y);
    for (int x = 0; x < src.cols; ++x, in += channels, o += channels) {
      double shared = per_channel ? 0.0 : rng.normal();
      for (int c = 0; c < channels; ++c) {
        if (c >= colour) {
          o[c] = in[c];
          continue;
        }
        const double n = per_channel ? rng.normal() : shared;
        o[c] = detail::to_pixel<T>(static_cast<double>(in[c]) + mean + sigma * n);
      }
    }
  }
}

}  // namespace

cv::Mat add_gaussian_noise(const cv::Mat& pixels, double mean, double sigma, std::uint64_t seed, bool per_channel) {
  detail::check_pixels(pixels);
  cv::Mat out(pixels.size(), pixels.type());
  switch (pixels.depth()) {
    case CV_8U: add_noise<std::uint8_t>(pixels, out, mean, sigma, seed, per_channel); break;
    case CV_16U: add_noise<std::uint16_t>(pixels, out, mean, sigma, seed, per_channel); break;
    default: add_noise<float>(pixels, out, mean, sigma, seed, per_channel); break;
  }
  return out;
}

nlohmann::json GaussianNoise::draw(Rng& rng, const Sample&) const {
  const double sigma = draw_number(settings()["sigma"], rng);
  // 53 bits keep the seed exact in any JSON reader (JavaScript, Python's float paths).
  return {{"sigma", sigma}, {"seed", rng.next_u64() >> 11}};
}

void GaussianNoise::apply(Sample& sample, const nlohmann::json& params) const {
  const double sigma = detail::param_number(params, "sigma");
  if (!params.contains("seed") || !params["seed"].is_number_unsigned())
    throw UsageError("params need an unsigned integer \"seed\", got " + params.dump());
  cv::Mat& pixels = image_of(sample).mutable_pixels();
  detail::check_pixels(pixels);
  const double unit = settings()["units"] == "fraction" ? detail::max_value(pixels.depth()) : 1.0;
  pixels = add_gaussian_noise(pixels, settings()["mean"].get<double>() * unit, sigma * unit,
                              params["seed"].get<std::uint64_t>(), settings()["per_channel"].get<bool>());
}

OpInfo gaussian_noise_op() {
  return {
      .name = "gaussian_noise",
      .input = Kind::image,
      .output = Kind::image,
      .doc = "Add Gaussian noise N(mean, sigma^2) to every colour value, generated from a recorded seed "
             "(reproducible everywhere); rounded and saturated, alpha untouched.",
      .params = {{.name = "sigma", .default_value = {0.01, 0.03}, .drawable = true, .minimum = 0.0,
                  .doc = "standard deviation (in `units`), or [lo, hi] drawn per sample"},
                 {.name = "mean", .default_value = 0.0, .doc = "mean of the noise (in `units`)"},
                 {.name = "units", .type = ParamType::string, .default_value = "fraction",
                  .choices = {"fraction", "pixels"},
                  .doc = "fraction: of max_value (255, 65535, 1 for float); pixels: the image's own levels"},
                 {.name = "per_channel", .type = ParamType::boolean, .default_value = true,
                  .doc = "independent noise per channel (false: one value per pixel, gray noise)"}},
      .random = true,
      .create = make_transform<GaussianNoise>,
  };
}

}  // namespace augment::image
