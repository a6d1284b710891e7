// The Middlebury flow colour code, written to match Baker et al.'s colorcode.cpp and
// flowToColor (flow-code/imageLib) colour for colour: the same integer wheel, float arithmetic
// and truncation to 8 bits, so images can be compared with theirs byte for byte.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include <opencv2/core.hpp>

#include "augment/video/optical_flow.hpp"

namespace augment::video {
namespace {

constexpr int kRY = 15, kYG = 6, kGC = 4, kCB = 11, kBM = 13, kMR = 6;
constexpr int kColours = kRY + kYG + kGC + kCB + kBM + kMR;  // 55

using Wheel = std::array<std::array<int, 3>, kColours>;  // RGB, 0..255

// makecolorwheel(): integer division, as the original.
constexpr Wheel make_wheel() {
  Wheel w{};
  int k = 0;
  for (int i = 0; i < kRY; ++i) w[static_cast<std::size_t>(k++)] = {255, 255 * i / kRY, 0};
  for (int i = 0; i < kYG; ++i) w[static_cast<std::size_t>(k++)] = {255 - 255 * i / kYG, 255, 0};
  for (int i = 0; i < kGC; ++i) w[static_cast<std::size_t>(k++)] = {0, 255, 255 * i / kGC};
  for (int i = 0; i < kCB; ++i) w[static_cast<std::size_t>(k++)] = {0, 255 - 255 * i / kCB, 255};
  for (int i = 0; i < kBM; ++i) w[static_cast<std::size_t>(k++)] = {255 * i / kBM, 0, 255};
  for (int i = 0; i < kMR; ++i) w[static_cast<std::size_t>(k++)] = {255, 0, 255 - 255 * i / kMR};
  return w;
}

constexpr Wheel kWheel = make_wheel();

// UNKNOWN_FLOW_THRESH: Middlebury files mark unknown flow with 1e10; NaN and inf land here too.
bool unknown_flow(float u, float v) {
  return !(std::fabs(u) <= 1e9F) || !(std::fabs(v) <= 1e9F);
}

// computeColor(): fx, fy already divided by the maximum radius. Mixed float/double arithmetic
// as in the original (which promotes where it writes 1.0, 255.0 or .75), so colours match it.
cv::Vec3b compute_colour(float fx, float fy) {
  const float rad = std::sqrt(fx * fx + fy * fy);
  const auto a = static_cast<float>(std::atan2(-fy, -fx) / std::numbers::pi);
  const auto fk = static_cast<float>((a + 1.0) / 2.0 * (kColours - 1));
  const int k0 = static_cast<int>(fk);
  const int k1 = (k0 + 1) % kColours;
  const float f = fk - static_cast<float>(k0);
  cv::Vec3b pix;
  for (std::size_t b = 0; b < 3; ++b) {
    const auto col0 = static_cast<float>(kWheel[static_cast<std::size_t>(k0)][b] / 255.0);
    const auto col1 = static_cast<float>(kWheel[static_cast<std::size_t>(k1)][b] / 255.0);
    float col = (1 - f) * col0 + f * col1;
    if (rad <= 1)
      col = 1 - rad * (1 - col);  // saturation grows with the radius
    else
      col = static_cast<float>(col * .75);  // beyond the maximum: darker
    pix[static_cast<int>(2 - b)] = static_cast<uchar>(static_cast<int>(255.0 * col));
  }
  return pix;
}

}  // namespace

cv::Mat flow_to_colour(const cv::Mat& flow, double max_magnitude) {
  if (flow.channels() != 2 || (flow.depth() != CV_32F && flow.depth() != CV_64F))
    throw std::invalid_argument("flow_to_colour: the flow must be CV_32FC2 or CV_64FC2");
  cv::Mat field;
  if (flow.depth() == CV_32F)
    field = flow;
  else
    flow.convertTo(field, CV_32F);

  float maxrad = -1;
  if (max_magnitude > 0) {
    maxrad = static_cast<float>(max_magnitude);
  } else {
    for (int y = 0; y < field.rows; ++y) {
      const auto* row = field.ptr<cv::Vec2f>(y);
      for (int x = 0; x < field.cols; ++x) {
        const float fx = row[x][0], fy = row[x][1];
        if (unknown_flow(fx, fy)) continue;
        maxrad = std::max(maxrad, std::sqrt(fx * fx + fy * fy));
      }
    }
  }
  if (maxrad <= 0) maxrad = 1;  // no motion anywhere: every pixel is white

  cv::Mat out(field.size(), CV_8UC3);
  for (int y = 0; y < field.rows; ++y) {
    const auto* row = field.ptr<cv::Vec2f>(y);
    auto* dst = out.ptr<cv::Vec3b>(y);
    for (int x = 0; x < field.cols; ++x) {
      const float fx = row[x][0], fy = row[x][1];
      dst[x] = unknown_flow(fx, fy) ? cv::Vec3b(0, 0, 0) : compute_colour(fx / maxrad, fy / maxrad);
    }
  }
  return out;
}

}  // namespace augment::video
