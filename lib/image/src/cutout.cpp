#include "augment/image/cutout.hpp"

#include <algorithm>
#include <cmath>

#include "augment/image/image.hpp"
#include "pixel_values.hpp"

namespace augment::image {
namespace {

template <class T>
void fill_rect(cv::Mat& m, const cv::Rect& r, T value) {
  const int channels = m.channels(), colour = detail::colour_channels(channels);
  for (int y = r.y; y < r.y + r.height; ++y) {
    T* p = m.ptr<T>(y) + static_cast<std::ptrdiff_t>(r.x) * channels;
    for (int x = 0; x < r.width; ++x, p += channels)
      for (int c = 0; c < colour; ++c) p[c] = value;
  }
}

// A hole side in pixels: the fraction of `side`, rounded, at least 1, at most `side`.
int hole_side(double fraction, int side) {
  return static_cast<int>(std::clamp<long>(std::lround(fraction * side), 1L, static_cast<long>(side)));
}

}  // namespace

cv::Mat cutout(const cv::Mat& pixels, const std::vector<cv::Rect>& holes, double fill) {
  detail::check_pixels(pixels);
  cv::Mat out = pixels.clone();
  const cv::Rect whole(0, 0, out.cols, out.rows);
  const double value = fill * detail::max_value(out.depth());
  for (const cv::Rect& hole : holes) {
    const cv::Rect r = hole & whole;
    if (r.empty()) continue;
    switch (out.depth()) {
      case CV_8U: fill_rect(out, r, detail::to_pixel<std::uint8_t>(value)); break;
      case CV_16U: fill_rect(out, r, detail::to_pixel<std::uint16_t>(value)); break;
      default: fill_rect(out, r, detail::to_pixel<float>(value)); break;
    }
  }
  return out;
}

nlohmann::json Cutout::draw(Rng& rng, const Sample& sample) const {
  const cv::Size size = image_of(sample).size();
  const std::int64_t count = draw_integer(settings()["count"], rng);
  nlohmann::json holes = nlohmann::json::array();
  if (size.width <= 0 || size.height <= 0) return {{"holes", holes}};
  for (std::int64_t i = 0; i < count; ++i) {
    const int w = hole_side(draw_number(settings()["width"], rng), size.width);
    const int h = hole_side(draw_number(settings()["height"], rng), size.height);
    const std::int64_t x = rng.integer(0, size.width - w);
    const std::int64_t y = rng.integer(0, size.height - h);
    holes.push_back({x, y, w, h});
  }
  return {{"holes", holes}};
}

void Cutout::apply(Sample& sample, const nlohmann::json& params) const {
  if (!params.is_object() || !params.contains("holes") || !params["holes"].is_array())
    throw UsageError("params need a list \"holes\" of [x, y, width, height], got " + params.dump());
  std::vector<cv::Rect> holes;
  for (const auto& h : params["holes"]) {
    const bool ok = h.is_array() && h.size() == 4 &&
                    std::all_of(h.begin(), h.end(), [](const nlohmann::json& v) { return v.is_number_integer(); });
    if (!ok) throw UsageError("a hole must be [x, y, width, height] in whole pixels, got " + h.dump());
    auto v = [&h](int i) {  // clamped so a wild record cannot overflow int; clipped to the image later
      return static_cast<int>(std::clamp<std::int64_t>(h[i].get<std::int64_t>(), -(1 << 29), 1 << 29));
    };
    holes.emplace_back(v(0), v(1), v(2), v(3));
  }
  cv::Mat& pixels = image_of(sample).mutable_pixels();
  pixels = cutout(pixels, holes, settings()["fill"].get<double>());
}

OpInfo cutout_op() {
  return {
      .name = "cutout",
      .input = Kind::image,
      .output = Kind::image,
      .doc = "Coarse dropout: fill `count` rectangles (sizes as fractions of the image) with a constant; "
             "holes recorded in pixels; mask, boxes, keypoints and alpha untouched.",
      .params = {{.name = "count", .type = ParamType::integer, .default_value = {1, 4}, .drawable = true,
                  .minimum = 0, .maximum = 1000, .doc = "number of holes, or [lo, hi] drawn per sample"},
                 {.name = "width", .default_value = {0.05, 0.2}, .drawable = true, .minimum = 0.0, .maximum = 1.0,
                  .doc = "hole width as a fraction of the image width (at least 1 pixel), or [lo, hi] per hole"},
                 {.name = "height", .default_value = {0.05, 0.2}, .drawable = true, .minimum = 0.0, .maximum = 1.0,
                  .doc = "hole height as a fraction of the image height (at least 1 pixel), or [lo, hi] per hole"},
                 {.name = "fill", .default_value = 0.0, .minimum = 0.0, .maximum = 1.0,
                  .doc = "fill value as a fraction of max_value (0 black, 1 white)"}},
      .random = true,
      .create = make_transform<Cutout>,
  };
}

}  // namespace augment::image
