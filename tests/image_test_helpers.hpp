#pragma once
// Test helpers for the image preprocessing ops: scratch folders, the sample images, synthetic
// pixels, and running one op outside a pipeline.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include "augment/core/registry.hpp"
#include "augment/core/rng.hpp"
#include "augment/image/image.hpp"
#include "augment/image/register_transforms.hpp"

namespace image_test {

/// Every image op and the image codec, registered once.
inline const augment::Registry& image_registry() {
  static const augment::Registry r = augment::make_registry({augment::image::register_transforms});
  return r;
}

/// A fresh empty folder under the system temp folder, removed with the object.
class Scratch {
 public:
  explicit Scratch(const std::string& tag) {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("augment_image_test_" + tag + "_" + std::to_string(::getpid()) + "_" + std::to_string(++counter));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline std::filesystem::path corpus(const std::string& name) {
  return std::filesystem::path(AUGMENT_SOURCE_DIR) / "corpora" / "images" / name;
}

inline std::vector<std::uint8_t> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_file(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out);
}

/// Pixels of `type` filled with a fixed pseudo-random pattern (cv::RNG with `seed`).
inline cv::Mat random_pixels(cv::Size size, int type, std::uint64_t seed = 1) {
  cv::Mat m(size, type);
  cv::RNG rng(seed);
  if (CV_MAT_DEPTH(type) == CV_32F) rng.fill(m, cv::RNG::UNIFORM, 0.0, 1.0);
  else if (CV_MAT_DEPTH(type) == CV_16U) rng.fill(m, cv::RNG::UNIFORM, 0, 65536);
  else rng.fill(m, cv::RNG::UNIFORM, 0, 256);
  return m;
}

/// Pixels whose value at (x, y), channel c, is x + 1000·y + c (CV_32S → `type`): every pixel
/// says where it came from (for 8-bit types use small images).
inline cv::Mat coordinate_pixels(cv::Size size, int type) {
  const int cn = CV_MAT_CN(type);
  cv::Mat m(size, CV_MAKETYPE(CV_32S, cn));
  for (int y = 0; y < size.height; ++y)
    for (int x = 0; x < size.width; ++x)
      for (int c = 0; c < cn; ++c) m.ptr<int>(y)[x * cn + c] = x + 1000 * y + c;
  cv::Mat out;
  m.convertTo(out, type);
  return out;
}

inline bool same_pixels(const cv::Mat& a, const cv::Mat& b) {
  if (a.size() != b.size() || a.type() != b.type()) return false;
  return a.empty() || cv::norm(a, b, cv::NORM_INF) == 0;
}

/// One op made from its OpInfo and user settings (validated, defaults filled).
struct Op {
  augment::OpInfo info;
  std::unique_ptr<augment::Transform> transform;
  Op(augment::OpInfo op_info, const nlohmann::json& given) : info(std::move(op_info)) {
    transform = info.create(info, info.resolve(given));
  }
  /// draw then apply; returns the drawn params.
  nlohmann::json run(augment::Sample& sample, std::uint64_t seed = 1) const {
    augment::Rng rng(seed);
    nlohmann::json params = transform->draw(rng, sample);
    transform->apply(sample, params);
    return params;
  }
  /// Runs on an image and returns the result.
  augment::image::Image run(augment::image::Image image, std::uint64_t seed = 1) const {
    augment::Sample sample = augment::image::make_sample(std::move(image));
    run(sample, seed);
    return augment::image::image_of(sample);
  }
};

}  // namespace image_test
