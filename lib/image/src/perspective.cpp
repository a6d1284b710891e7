#include "augment/image/perspective.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"
#include "augment/image/image.hpp"
#include "augment/image/warp_params.hpp"

namespace augment::image {
namespace {

CornerShifts shifts_from(const nlohmann::json& params) {
  const auto it = params.find("corners");
  auto bad = [&]() -> UsageError {
    return UsageError("params need corners: four [x, y] inward shifts in [0, " + format_number(kMaxCornerShift) +
                      "], got " + params.dump());
  };
  if (it == params.end() || !it->is_array() || it->size() != 4) throw bad();
  CornerShifts shifts;
  for (std::size_t i = 0; i < 4; ++i) {
    const nlohmann::json& c = (*it)[i];
    if (!c.is_array() || c.size() != 2 || !c[0].is_number() || !c[1].is_number()) throw bad();
    shifts[i] = {c[0].get<double>(), c[1].get<double>()};
    for (const double v : {shifts[i].x, shifts[i].y})
      if (!(v >= 0 && v <= kMaxCornerShift)) throw bad();
  }
  return shifts;
}

}  // namespace

cv::Matx33d perspective_matrix(const CornerShifts& shifts, cv::Size size) {
  const double w = size.width, h = size.height;
  // Corner k of the image is (ox, oy)·(w, h); it moves inwards by its shift on each axis. Solve
  // for the homography sending each moved corner (x, y) back to (X, Y) = (ox·w, oy·h), in double
  // precision (cv::getPerspectiveTransform takes float points): with h33 = 1, each corner gives
  // X = (h11 x + h12 y + h13) / (h31 x + h32 y + 1) and the same for Y, linear in the h's.
  const double ox[] = {0, 1, 1, 0}, oy[] = {0, 0, 1, 1};
  cv::Matx<double, 8, 8> a;
  cv::Vec<double, 8> b;
  for (int k = 0; k < 4; ++k) {
    const double x = (ox[k] + (ox[k] == 0 ? shifts[k].x : -shifts[k].x)) * w;
    const double y = (oy[k] + (oy[k] == 0 ? shifts[k].y : -shifts[k].y)) * h;
    const double X = ox[k] * w, Y = oy[k] * h;
    const double rx[] = {x, y, 1, 0, 0, 0, -x * X, -y * X}, ry[] = {0, 0, 0, x, y, 1, -x * Y, -y * Y};
    for (int j = 0; j < 8; ++j) a(2 * k, j) = rx[j], a(2 * k + 1, j) = ry[j];
    b[2 * k] = X, b[2 * k + 1] = Y;
  }
  const cv::Vec<double, 8> v = a.solve(b, cv::DECOMP_LU);
  return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], 1.0};
}

nlohmann::json Perspective::draw(Rng& rng, const Sample&) const {
  const double sigma = draw_number(settings()["scale"], rng);
  nlohmann::json corners = nlohmann::json::array();
  for (int k = 0; k < 4; ++k) {
    const double x = std::min(std::fabs(rng.normal(0.0, sigma)), kMaxCornerShift);
    const double y = std::min(std::fabs(rng.normal(0.0, sigma)), kMaxCornerShift);
    corners.push_back({x, y});
  }
  return {{"scale", sigma}, {"corners", std::move(corners)}};
}

void Perspective::apply(Sample& sample, const nlohmann::json& params) const {
  Image& image = image_of(sample);
  image.push_affine(perspective_matrix(shifts_from(params), image.size()), warp_settings(settings()));
}

OpInfo perspective_op() {
  std::vector<ParamSpec> params = {
      {.name = "scale", .default_value = nlohmann::json::array({0.05, 0.1}), .drawable = true, .minimum = 0.0,
       .maximum = 0.3,
       .doc = "σ of the inward corner shifts as a fraction of the size, or [lo, hi] to draw it per image"}};
  for (ParamSpec& p : warp_params()) params.push_back(std::move(p));
  return {
      .name = "perspective",
      .input = Kind::image,
      .output = Kind::image,
      .doc = "Random perspective: jitter the four corners inwards by |N(0, scale)| and stretch that "
             "quadrilateral onto the whole image.",
      .params = std::move(params),
      .random = true,
      .create = make_transform<Perspective>,
  };
}

}  // namespace augment::image
