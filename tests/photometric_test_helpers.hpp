#pragma once
// Shared by the photometric image op tests (test_image_brightness_gamma, _noise, _blur_cutout,
// _color_jitter, _photometric): a registry, one-stage pipelines and small image builders.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "augment/core/error.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/core/registry.hpp"
#include "augment/core/rng.hpp"
#include "augment/features/register_transforms.hpp"
#include "augment/image/brightness_contrast.hpp"
#include "augment/image/color_jitter.hpp"
#include "augment/image/cutout.hpp"
#include "augment/image/gamma.hpp"
#include "augment/image/gaussian_blur.hpp"
#include "augment/image/image.hpp"
#include "augment/image/image_noise.hpp"

// Declared in the image module's private register_groups.hpp; repeated here so the test needs
// only the public include path.
namespace augment::image::detail {
void register_photometric(Registry& registry);
}

namespace photometric_test {

using augment::Pipeline;
using augment::Rng;
using augment::Sample;
using augment::image::Image;
using augment::image::image_of;
using augment::image::make_sample;
using nlohmann::json;

inline const augment::Registry& registry() {
  static const augment::Registry r = [] {
    augment::Registry out;
    augment::features::register_transforms(out);
    augment::image::detail::register_photometric(out);
    return out;
  }();
  return r;
}

inline Pipeline pipeline(const json& stage) {
  return Pipeline::from_json({{"kind", "image"}, {"stages", json::array({stage})}}, registry());
}

/// A rows×cols image of `type` holding `values` row-major, channel by channel.
template <class T>
cv::Mat mat(int rows, int cols, int type, const std::vector<T>& values) {
  cv::Mat m(rows, cols, type);
  REQUIRE(values.size() == m.total() * m.channels());
  std::size_t i = 0;
  for (int y = 0; y < rows; ++y) {
    T* p = m.ptr<T>(y);
    for (int x = 0; x < cols * m.channels(); ++x) p[x] = values[i++];
  }
  return m;
}

template <class T>
std::vector<T> values(const cv::Mat& m) {
  std::vector<T> out;
  for (int y = 0; y < m.rows; ++y) {
    const T* p = m.ptr<T>(y);
    out.insert(out.end(), p, p + m.cols * m.channels());
  }
  return out;
}

inline bool same(const cv::Mat& a, const cv::Mat& b) {
  return a.type() == b.type() && a.size() == b.size() && (a.empty() || cv::norm(a, b, cv::NORM_INF) == 0);
}

/// Runs a one-stage pipeline on `pixels` and returns the result and the stage's record.
inline std::pair<cv::Mat, json> run(const json& stage, const cv::Mat& pixels, std::uint64_t seed = 7,
                             const std::string& key = "img") {
  const Pipeline p = pipeline(stage);
  Sample s = make_sample(Image(pixels));
  const json record = p.run(s, Rng::derive(seed, key, 0, 0));
  return {image_of(s).pixels().clone(), record[0]};
}

inline cv::Mat random_image(int rows, int cols, int type, std::uint64_t seed) {
  cv::Mat m(rows, cols, type);
  Rng rng(seed);
  const int n = cols * m.channels();
  for (int y = 0; y < rows; ++y) {
    for (int x = 0; x < n; ++x) {
      switch (m.depth()) {
        case CV_8U: m.ptr<std::uint8_t>(y)[x] = static_cast<std::uint8_t>(rng.integer(0, 255)); break;
        case CV_16U: m.ptr<std::uint16_t>(y)[x] = static_cast<std::uint16_t>(rng.integer(0, 65535)); break;
        default: m.ptr<float>(y)[x] = static_cast<float>(rng.uniform()); break;
      }
    }
  }
  return m;
}

}  // namespace photometric_test
