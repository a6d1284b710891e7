// The affine family: exact flips and quarter turns, each op's matrix against the course's
// matrices, fusion of consecutive stages into one pending matrix, and the fused warp against
// the same stages warped one after another.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "augment/core/error.hpp"
#include "augment/core/registry.hpp"
#include "augment/image/affine.hpp"
#include "augment/image/image.hpp"
#include "augment/image/perspective.hpp"
#include "image_test_helpers.hpp"

using augment::image::Image;
using nlohmann::json;

namespace {

/// Draws and applies op `name` with `settings` on `image`; returns the drawn params.
json run_op(Image& image, const std::string& name, const json& settings = json::object(), std::uint64_t seed = 1) {
  const augment::OpInfo* info = image_test::image_registry().find(name, augment::Kind::image);
  REQUIRE(info != nullptr);
  const auto transform = info->create(*info, info->resolve(settings));
  augment::Sample sample = augment::image::make_sample(std::move(image));
  augment::Rng rng(seed);
  const json params = transform->draw(rng, sample);
  transform->apply(sample, params);
  image = std::move(augment::image::image_of(sample));
  return params;
}

cv::Mat u8(int rows, int cols, std::vector<unsigned char> values) {
  REQUIRE(values.size() == static_cast<std::size_t>(rows * cols));
  return cv::Mat(rows, cols, CV_8UC1, values.data()).clone();
}

bool same(const cv::Mat& a, const cv::Mat& b) {
  return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}

cv::Mat pixels_after(const cv::Mat& input, const std::vector<std::pair<std::string, json>>& ops) {
  Image image(input);
  for (const auto& [name, settings] : ops) run_op(image, name, settings);
  return image.pixels().clone();
}

void check_matrix(const cv::Matx33d& got, const cv::Matx33d& want, double tolerance = 1e-12) {
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      INFO("element (" << i << ", " << j << "): got " << got(i, j) << ", want " << want(i, j));
      CHECK(std::abs(got(i, j) - want(i, j)) <= tolerance);
    }
}

cv::Matx33d pending_after(cv::Size size, const std::string& name, const json& settings) {
  Image image(cv::Mat(size, CV_8UC1, cv::Scalar(0)));
  run_op(image, name, settings);
  return image.pending_matrix();
}

// 1 2 3 / 4 5 6 / 7 8 9
const std::vector<unsigned char> k3 = {1, 2, 3, 4, 5, 6, 7, 8, 9};

}  // namespace

TEST_CASE("hflip and vflip of a 3x3 image are exact mirrors") {
  const cv::Mat src = u8(3, 3, k3);
  CHECK(same(pixels_after(src, {{"hflip", {}}}), u8(3, 3, {3, 2, 1, 6, 5, 4, 9, 8, 7})));
  CHECK(same(pixels_after(src, {{"vflip", {}}}), u8(3, 3, {7, 8, 9, 4, 5, 6, 1, 2, 3})));
  CHECK(same(pixels_after(src, {{"hflip", {}}, {"vflip", {}}}), u8(3, 3, {9, 8, 7, 6, 5, 4, 3, 2, 1})));
  CHECK(same(pixels_after(src, {{"hflip", {}}, {"hflip", {}}}), src));
}

TEST_CASE("hflip of a non-square image, 3 channels, is exact") {
  // 2 rows × 3 columns, each pixel (v, v + 10, v + 20).
  cv::Mat src(2, 3, CV_8UC3);
  cv::Mat want(2, 3, CV_8UC3);
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 3; ++x) {
      const auto v = static_cast<unsigned char>(1 + 3 * y + x);
      src.at<cv::Vec3b>(y, x) = {v, static_cast<unsigned char>(v + 10), static_cast<unsigned char>(v + 20)};
      want.at<cv::Vec3b>(y, 2 - x) = src.at<cv::Vec3b>(y, x);
    }
  CHECK(same(pixels_after(src, {{"hflip", {}}}), want));
  CHECK(same(pixels_after(u8(2, 3, {1, 2, 3, 4, 5, 6}), {{"hflip", {}}}), u8(2, 3, {3, 2, 1, 6, 5, 4})));
}

TEST_CASE("quarter turns of a square image are exact, positive degrees counter-clockwise") {
  const cv::Mat src = u8(3, 3, k3);
  // Counter-clockwise on screen: the right column becomes the top row.
  CHECK(same(pixels_after(src, {{"rotate", {{"degrees", 90}}}}), u8(3, 3, {3, 6, 9, 2, 5, 8, 1, 4, 7})));
  CHECK(same(pixels_after(src, {{"rotate", {{"degrees", -90}}}}), u8(3, 3, {7, 4, 1, 8, 5, 2, 9, 6, 3})));
  CHECK(same(pixels_after(src, {{"rotate", {{"degrees", 270}}}}), u8(3, 3, {7, 4, 1, 8, 5, 2, 9, 6, 3})));
  CHECK(same(pixels_after(src, {{"rotate", {{"degrees", 180}}}}), u8(3, 3, {9, 8, 7, 6, 5, 4, 3, 2, 1})));
  CHECK(same(pixels_after(src, {{"rotate", {{"degrees", 360}}}}), src));
  // Even size: no pixel sits on the centre.
  const cv::Mat four = u8(4, 4, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
  CHECK(same(pixels_after(four, {{"rotate", {{"degrees", 90}}}}),
             u8(4, 4, {4, 8, 12, 16, 3, 7, 11, 15, 2, 6, 10, 14, 1, 5, 9, 13})));
  // Exact whatever the interpolation asked for, and fused with a flip (a transpose).
  CHECK(same(pixels_after(src, {{"rotate", {{"degrees", 90}, {"interpolation", "cubic"}}}}),
             u8(3, 3, {3, 6, 9, 2, 5, 8, 1, 4, 7})));
  CHECK(same(pixels_after(src, {{"hflip", {}}, {"rotate", {{"degrees", 90}}}}), u8(3, 3, {1, 4, 7, 2, 5, 8, 3, 6, 9})));
  CHECK(same(pixels_after(src, {{"vflip", {}}, {"rotate", {{"degrees", 90}}}}), u8(3, 3, {9, 6, 3, 8, 5, 2, 7, 4, 1})));
}

TEST_CASE("rotation matrix is the course's about the centre, and OpenCV's getRotationMatrix2D") {
  const cv::Size size(100, 50);  // centre (50, 25)
  const double c = std::sqrt(3.0) / 2, s = 0.5;  // 30°
  // T(50, 25)·[[cos, sin], [−sin, cos]]·T(−50, −25), multiplied out by hand.
  const cv::Matx33d want{c, s, 50 - 50 * c - 25 * s, -s, c, 25 + 50 * s - 25 * c, 0, 0, 1};
  check_matrix(augment::image::rotation_matrix(30, size), want);
  check_matrix(pending_after(size, "rotate", {{"degrees", 30}}), want);
  // A point right of the centre moves up (smaller y): counter-clockwise on screen.
  const cv::Vec3d moved = want * cv::Vec3d(60, 25, 1);
  CHECK(moved[0] == doctest::Approx(50 + 10 * c));
  CHECK(moved[1] == doctest::Approx(25 - 10 * s));
  // OpenCV's rotation about the pixel-centre centre ((W − 1)/2, (H − 1)/2), same angle sign.
  const cv::Mat cv_m = cv::getRotationMatrix2D(cv::Point2f(49.5f, 24.5f), 30, 1.0);
  const cv::Matx33d centred = augment::image::to_pixel_centres(want);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j) CHECK(centred(i, j) == doctest::Approx(cv_m.at<double>(i, j)).epsilon(1e-9));
  // Quarter turns have exact entries.
  check_matrix(augment::image::rotation_matrix(90, size), {0, 1, 25, -1, 0, 75, 0, 0, 1}, 0);
}

TEST_CASE("warps fill from outside with reflect (BORDER_REFLECT_101) or reflect_edge (BORDER_REFLECT)") {
  // Moving [10, 20, 30, 40] two pixels right brings in source columns −2 and −1: mirrored about
  // column 0 they are 30, 20 (reflect), mirrored about its left edge 20, 10 (reflect_edge).
  const cv::Mat pixels = (cv::Mat_<std::uint8_t>(2, 4) << 10, 20, 30, 40, 10, 20, 30, 40);
  const auto moved = [&](const char* border) {
    const image_test::Op op(augment::image::translate_op(),
                            {{"x", 0.5}, {"y", 0.0}, {"border", border}, {"interpolation", "nearest"}});
    Image out = op.run(Image(pixels));
    const cv::Mat row = out.pixels().row(0);  // pixels() applies the pending warp
    return std::vector<std::uint8_t>(row.begin<std::uint8_t>(), row.end<std::uint8_t>());
  };
  CHECK(moved("reflect") == std::vector<std::uint8_t>{30, 20, 10, 20});
  CHECK(moved("reflect_edge") == std::vector<std::uint8_t>{20, 10, 10, 20});
  CHECK(moved("replicate") == std::vector<std::uint8_t>{10, 10, 10, 20});
}

TEST_CASE("translate, scale, shear and flip matrices match the course's") {
  const cv::Size size(100, 50);
  // Traslación: [[1, 0, vx], [0, 1, vy]] with v = (0.1·100, −0.2·50).
  check_matrix(pending_after(size, "translate", {{"x", 0.1}, {"y", -0.2}}), {1, 0, 10, 0, 1, -10, 0, 0, 1});
  // Rescalado diag(2, 0.5) about (50, 25): x' = 2(x − 50) + 50, y' = 0.5(y − 25) + 25.
  check_matrix(pending_after(size, "scale", {{"x", 2.0}, {"y", 0.5}}), {2, 0, -50, 0, 0.5, 12.5, 0, 0, 1});
  check_matrix(pending_after(size, "scale", {{"factor", 1.5}}), {1.5, 0, -25, 0, 1.5, -12.5, 0, 0, 1});
  check_matrix(pending_after(size, "scale", {{"y", 2.0}}), {1, 0, 0, 0, 2, -25, 0, 0, 1});
  // Deformación de corte [[1, cx], [cy, 1]] with cx = tan 30°, cy = tan(−10°), about (50, 25).
  const double cx = std::tan(30 * std::numbers::pi / 180), cy = std::tan(-10 * std::numbers::pi / 180);
  check_matrix(pending_after(size, "shear", {{"x", 30}, {"y", -10}}), {1, cx, -25 * cx, cy, 1, -50 * cy, 0, 0, 1});
  // Giro [[−1, 0], [0, 1]] about the centre: x' = 100 − x.
  check_matrix(pending_after(size, "hflip", {}), {-1, 0, 100, 0, 1, 0, 0, 0, 1});
  check_matrix(pending_after(size, "vflip", {}), {1, 0, 0, 0, -1, 50, 0, 0, 1});
}

TEST_CASE("affine is translate, rotate, shear, scale: the four stages in the order scale, shear, rotate, translate") {
  const cv::Size size(120, 80);
  const json one = {{"translate_x", 0.1}, {"translate_y", -0.05}, {"scale_x", 1.2}, {"scale_y", 0.9},
                    {"rotate", 25},       {"shear_x", 12},        {"shear_y", -7}};
  Image four(cv::Mat(size, CV_8UC1, cv::Scalar(0)));
  run_op(four, "scale", {{"x", 1.2}, {"y", 0.9}});
  run_op(four, "shear", {{"x", 12}, {"y", -7}});
  run_op(four, "rotate", {{"degrees", 25}});
  run_op(four, "translate", {{"x", 0.1}, {"y", -0.05}});
  const cv::Matx33d fused = pending_after(size, "affine", one);
  check_matrix(fused, four.pending_matrix(), 1e-9);
  check_matrix(fused, augment::image::affine_matrix(0.1, -0.05, 1.2, 0.9, 25, 12, -7, size));
  check_matrix(fused, augment::image::translation_matrix(12, -4) * augment::image::rotation_matrix(25, size) *
                          augment::image::shear_matrix(12, -7, size) * augment::image::scale_matrix(1.2, 0.9, size),
               1e-9);
  // Defaults: the identity.
  check_matrix(pending_after(size, "affine", json::object()), cv::Matx33d::eye());
}

TEST_CASE("consecutive stages fuse: the pending matrix is the product of the separate matrices") {
  const cv::Size size(64, 48);
  const cv::Mat src(size, CV_8UC1, cv::Scalar(7));
  Image image(src);
  run_op(image, "rotate", {{"degrees", 20}});
  run_op(image, "scale", {{"factor", 1.1}});
  run_op(image, "shear", {{"x", 10}, {"y", 5}});
  CHECK(image.has_pending_geometry());
  CHECK(image.pixels_before_geometry().data == src.data);  // nothing warped yet
  const cv::Matx33d want = augment::image::shear_matrix(10, 5, size) * augment::image::scale_matrix(1.1, 1.1, size) *
                           augment::image::rotation_matrix(20, size);
  check_matrix(image.pending_matrix(), want, 1e-12);
  image.pixels();
  CHECK_FALSE(image.has_pending_geometry());
}

TEST_CASE("different warp settings flush the pending warp, flips adopt the pending settings") {
  const cv::Size size(32, 32);
  Image image(cv::Mat(size, CV_8UC1, cv::Scalar(7)));
  run_op(image, "rotate", {{"degrees", 10}});
  run_op(image, "hflip");
  CHECK(image.has_pending_geometry());
  check_matrix(image.pending_matrix(),
               augment::image::hflip_matrix(size) * augment::image::rotation_matrix(10, size), 1e-12);
  run_op(image, "rotate", {{"degrees", 10}, {"interpolation", "nearest"}});
  // The first rotation was warped; only the second is pending.
  check_matrix(image.pending_matrix(), augment::image::rotation_matrix(10, size), 1e-12);
}

TEST_CASE("the fused warp equals three warps in sequence within interpolation error") {
  // A smooth picture: f = 128 + A·sin(2πx/Px)·cos(2πy/Py), A = 60, Px = 40, Py = 50.
  // Tolerance (per pixel, 8-bit): one bilinear resample errs by at most
  //   (|f_xx| + |f_yy|)/8 = A((2π/40)² + (2π/50)²)/8 ≈ 0.30 (interpolation),
  //   + (|f_x| + |f_y|)/64 ≈ A·2π(1/40 + 1/50)/64 ≈ 0.27 (OpenCV snaps positions to 1/32 px),
  //   + 0.5 (rounding to 8 bits)  ≈ 1.07,
  // and the sequence resamples three times (derivatives grow by up to ~1.2 under scale 1.1 and
  // the shear), so |fused − sequence| <= 1.07 + 3·1.07·1.2 ≈ 4.9: we allow 5, and a mean of 1.
  // Compared inside a central disc that stays inside the frame at every intermediate step
  // (the sequence loses what an early step pushes out of frame, the fused warp does not).
  const cv::Size size(200, 160);
  cv::Mat src(size, CV_8UC1);
  for (int y = 0; y < size.height; ++y)
    for (int x = 0; x < size.width; ++x) {
      const double v = 128 + 60 * std::sin(2 * std::numbers::pi * (x + 0.5) / 40) * std::cos(2 * std::numbers::pi * (y + 0.5) / 50);
      src.at<unsigned char>(y, x) = cv::saturate_cast<unsigned char>(v);
    }
  const std::vector<std::pair<std::string, json>> ops = {
      {"rotate", {{"degrees", 20}}}, {"scale", {{"factor", 1.1}}}, {"shear", {{"x", 10}, {"y", 5}}}};
  const cv::Mat fused = pixels_after(src, ops);
  Image step(src);
  for (const auto& [name, settings] : ops) {
    run_op(step, name, settings);
    step.apply_geometry();
  }
  const cv::Mat sequence = step.pixels();
  cv::Mat disc(size, CV_8UC1, cv::Scalar(0));
  cv::circle(disc, {100, 80}, 50, cv::Scalar(255), cv::FILLED);
  cv::Mat diff;
  cv::absdiff(fused, sequence, diff);
  double max_diff = 0;
  cv::minMaxLoc(diff, nullptr, &max_diff, nullptr, nullptr, disc);
  const double mean_diff = cv::mean(diff, disc)[0];
  INFO("max " << max_diff << ", mean " << mean_diff);
  CHECK(max_diff <= 5);
  CHECK(mean_diff <= 1.0);
  // And the comparison has teeth: the fused warp is far from the unwarped picture.
  cv::absdiff(fused, src, diff);
  CHECK(cv::mean(diff, disc)[0] > 10);
}

TEST_CASE("geometry specs are validated: ranges, scale choice, shear folding") {
  const auto& r = image_test::image_registry();
  auto resolve = [&](const std::string& name, const json& s) { return r.find(name, augment::Kind::image)->resolve(s); };
  CHECK_THROWS_AS(resolve("rotate", json::object()), std::invalid_argument);  // degrees required
  CHECK_THROWS_AS(resolve("rotate", {{"degrees", 400}}), std::invalid_argument);
  CHECK_NOTHROW(resolve("rotate", {{"degrees", {-30, 30}}}));
  CHECK_THROWS_AS(resolve("scale", json::object()), std::invalid_argument);
  CHECK_THROWS_AS(resolve("scale", {{"factor", 1.2}, {"x", 1.1}}), std::invalid_argument);
  CHECK_THROWS_AS(resolve("scale", {{"factor", 0}}), std::invalid_argument);
  CHECK_THROWS_AS(resolve("shear", {{"x", {-50, 50}}, {"y", 45}}), std::invalid_argument);
  CHECK_NOTHROW(resolve("shear", {{"x", {-40, 40}}, {"y", 45}}));
  CHECK_THROWS_AS(resolve("translate", {{"x", 1.5}}), std::invalid_argument);
  CHECK_THROWS_AS(resolve("affine", {{"scale", 1.1}, {"scale_y", 1.0}}), std::invalid_argument);
  CHECK_THROWS_AS(resolve("hflip", {{"interpolation", "linear"}}), std::invalid_argument);  // flips take none
  // Hand-written params are checked too.
  Image image(cv::Mat(8, 8, CV_8UC1, cv::Scalar(0)));
  const augment::OpInfo* info = r.find("shear", augment::Kind::image);
  const auto shear = info->create(*info, info->resolve(json::object()));
  augment::Sample sample = augment::image::make_sample(image);
  CHECK_THROWS_AS(shear->apply(sample, {{"x", 60}, {"y", 40}}), augment::UsageError);
  CHECK_THROWS_AS(shear->apply(sample, {{"x", 10}}), augment::UsageError);
}

TEST_CASE("drawn params are recorded and replay to the same matrix") {
  const cv::Size size(90, 70);
  Image a(cv::Mat(size, CV_8UC1, cv::Scalar(0)));
  const json params = run_op(a, "affine",
                             {{"translate_x", {-0.1, 0.1}}, {"scale", {0.8, 1.2}}, {"rotate", {-30, 30}}, {"shear_x", {-10, 10}}},
                             42);
  CHECK(params["scale_x"] == params["scale_y"]);
  CHECK(params["rotate"].get<double>() >= -30);
  CHECK(params["rotate"].get<double>() <= 30);
  CHECK(params["translate_y"] == 0.0);
  const cv::Matx33d want = augment::image::affine_matrix(
      params["translate_x"].get<double>(), 0, params["scale_x"].get<double>(), params["scale_y"].get<double>(),
      params["rotate"].get<double>(), params["shear_x"].get<double>(), 0, size);
  check_matrix(a.pending_matrix(), want);
}
