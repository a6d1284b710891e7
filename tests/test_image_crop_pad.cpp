// crop, random_resized_crop and pad: pixels against cv::Mat ROIs and cv::copyMakeBorder,
// random offsets in bounds and reproducible, and targets moved by hand-computed offsets.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "augment/core/error.hpp"
#include "augment/image/crop.hpp"
#include "augment/image/image.hpp"
#include "augment/image/pad.hpp"
#include "image_test_helpers.hpp"

using augment::image::Box;
using augment::image::Image;
using image_test::Op;
using image_test::random_pixels;
using image_test::same_pixels;
using nlohmann::json;

namespace {

void check_box(const Box& b, double x1, double y1, double x2, double y2) {
  CHECK(b.x1 == doctest::Approx(x1).epsilon(1e-12));
  CHECK(b.y1 == doctest::Approx(y1).epsilon(1e-12));
  CHECK(b.x2 == doctest::Approx(x2).epsilon(1e-12));
  CHECK(b.y2 == doctest::Approx(y2).epsilon(1e-12));
}

Image applied(const Op& op, Image image, const json& params) {
  augment::Sample sample = augment::image::make_sample(std::move(image));
  op.transform->apply(sample, params);
  return augment::image::image_of(sample);
}

}  // namespace

TEST_CASE("crop: a centred crop is the cv::Mat ROI at floor((w - W) / 2), floor((h - H) / 2)") {
  const cv::Mat pixels = random_pixels({500, 375}, CV_8UC3, 1);
  const Op op(augment::image::crop_op(), {{"width", 224}, {"height", 224}});
  Image out = op.run(Image(pixels));
  // (500 - 224) / 2 = 138; (375 - 224) / 2 = 75.5 -> 75.
  CHECK(same_pixels(out.pixels(), pixels(cv::Rect(138, 75, 224, 224))));
  CHECK(out.pixels().isContinuous());  // a copy, not a view pinning the source
  // Deterministic: nothing drawn, nothing recorded.
  augment::Sample sample = augment::image::make_sample(Image(pixels));
  CHECK(op.run(sample).empty());
}

TEST_CASE("crop: targets move by the crop offset, clipped or dropped at its edges") {
  Image image(random_pixels({500, 375}, CV_8UC1, 2));
  image.boxes = {{150, 100, 200, 150, "inside"}, {100, 50, 160, 120, "straddling"}, {0, 0, 20, 20, "outside"}};
  image.keypoints = {{140.5, 80.5, "inside"}, {10, 10, "outside"}};
  cv::Mat mask(375, 500, CV_8UC1, cv::Scalar(0));
  mask(cv::Rect(150, 100, 50, 50)).setTo(1);
  image.mask = mask;
  const Image out = Op(augment::image::crop_op(), {{"width", 224}, {"height", 224}}).run(image);
  // Offset (138, 75).
  REQUIRE(out.boxes.size() == 2);
  check_box(out.boxes[0], 12, 25, 62, 75);
  check_box(out.boxes[1], 0, 0, 22, 45);  // (-38, -25, 22, 45) clipped
  CHECK(out.boxes[1].label == "straddling");
  REQUIRE(out.keypoints.size() == 1);
  CHECK(out.keypoints[0].x == doctest::Approx(2.5));
  CHECK(out.keypoints[0].y == doctest::Approx(5.5));
  REQUIRE(out.mask);
  CHECK(same_pixels(*out.mask, mask(cv::Rect(138, 75, 224, 224))));
}

TEST_CASE("crop: random offsets stay in bounds, cover every position, and repeat for a seed") {
  const cv::Mat pixels = random_pixels({13, 10}, CV_8UC3, 3);
  const Op op(augment::image::crop_op(), {{"width", 10}, {"height", 8}, {"position", "random"}});
  std::set<std::pair<int, int>> seen;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    augment::Sample sample = augment::image::make_sample(Image(pixels));
    const json params = op.run(sample, seed);
    const int x = params["x"].get<int>(), y = params["y"].get<int>();
    CHECK(x >= 0);
    CHECK(x <= 3);
    CHECK(y >= 0);
    CHECK(y <= 2);
    seen.insert({x, y});
    CHECK(same_pixels(augment::image::image_of(sample).pixels(), pixels(cv::Rect(x, y, 10, 8))));
    // The same seed draws the same offsets.
    augment::Sample again = augment::image::make_sample(Image(pixels));
    CHECK(op.run(again, seed) == params);
  }
  CHECK(seen.size() == 4 * 3);
  // Replaying recorded params gives that crop.
  CHECK(same_pixels(applied(op, Image(pixels), {{"x", 3}, {"y", 1}}).pixels(), pixels(cv::Rect(3, 1, 10, 8))));
}

TEST_CASE("crop: an image smaller than the window and offsets that do not fit are errors") {
  const Op centre(augment::image::crop_op(), {{"width", 64}, {"height", 64}});
  augment::Sample small = augment::image::make_sample(Image(random_pixels({100, 50}, CV_8UC1)));
  CHECK_THROWS_WITH_AS(centre.run(small), "the image is 100x50, smaller than the 64x64 crop; pad or resize first",
                       augment::DataError);
  const Op random(augment::image::crop_op(), {{"width", 10}, {"height", 10}, {"position", "random"}});
  CHECK_THROWS_AS(applied(random, Image(random_pixels({20, 20}, CV_8UC1)), {{"x", 11}, {"y", 0}}),
                  augment::UsageError);
  CHECK_THROWS_AS(applied(random, Image(random_pixels({20, 20}, CV_8UC1)), json::object()), augment::UsageError);
  CHECK_THROWS_AS(augment::image::crop_op().resolve({{"width", 10}}), std::invalid_argument);
}

TEST_CASE("random_resized_crop: output size, window scale and ratio within their ranges") {
  const cv::Mat pixels = random_pixels({1000, 800}, CV_8UC3, 4);
  const Op op(augment::image::random_resized_crop_op(),
              {{"width", 224}, {"height", 160}, {"scale", {0.25, 0.5}}, {"ratio", {0.5, 2.0}}});
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    CAPTURE(seed);
    augment::Sample sample = augment::image::make_sample(Image(pixels));
    const json p = op.run(sample, seed);
    const int x = p["x"], y = p["y"], w = p["width"], h = p["height"];
    CHECK(x >= 0);
    CHECK(y >= 0);
    CHECK(x + w <= 1000);
    CHECK(y + h <= 800);
    // Sides are rounded to whole pixels: allow that much slack.
    const double area = static_cast<double>(w) * h / (1000.0 * 800.0);
    CHECK(area >= 0.25 * 0.99);
    CHECK(area <= 0.5 * 1.01);
    const double ratio = static_cast<double>(w) / h;
    CHECK(ratio >= 0.5 * 0.99);
    CHECK(ratio <= 2.0 * 1.01);
    Image& out = augment::image::image_of(sample);
    REQUIRE(out.size() == cv::Size(224, 160));
    cv::Mat expected;
    cv::resize(pixels(cv::Rect(x, y, w, h)), expected, {224, 160}, 0, 0, cv::INTER_LINEAR);
    CHECK(same_pixels(out.pixels(), expected));
    augment::Sample again = augment::image::make_sample(Image(pixels));
    CHECK(op.run(again, seed) == p);
  }
}

TEST_CASE("random_resized_crop: the default ranges and torchvision's central fallback") {
  const auto settings = augment::image::random_resized_crop_op().resolve({{"width", 8}, {"height", 8}});
  CHECK(settings["scale"] == json({0.08, 1.0}));
  CHECK(settings["ratio"] == json({3.0 / 4.0, 4.0 / 3.0}));
  augment::Rng rng(5);
  // Area 100% at ratio 2 cannot fit a square image in any attempt: the fallback cuts the whole
  // width at ratio 2, h = round(100 / 2) = 50, centred: y = 25.
  CHECK(augment::image::random_resized_crop_window({100, 100}, 1, 1, 2, 2, rng) == cv::Rect(0, 25, 100, 50));
  // Ratio 1/4: the whole height, w = round(100 / 4) = 25, x = floor(75 / 2) = 37.
  CHECK(augment::image::random_resized_crop_window({100, 100}, 1, 1, 0.25, 0.25, rng) == cv::Rect(37, 0, 25, 100));
  // 100x50 at ratio 3..4: the whole width, h = round(100 / 3) = 33, y = floor(17 / 2) = 8.
  CHECK(augment::image::random_resized_crop_window({100, 50}, 1, 1, 3, 4, rng) == cv::Rect(0, 8, 100, 33));
  // A ratio range holding the image's own (2), but no drawn window fits: the whole image.
  CHECK(augment::image::random_resized_crop_window({100, 50}, 1, 1, 1, 3, rng) == cv::Rect(0, 0, 100, 50));
  CHECK(augment::image::random_resized_crop_window({100, 100}, 1, 1, 1, 1, rng) == cv::Rect(0, 0, 100, 100));
  CHECK_THROWS_AS(augment::image::random_resized_crop_op().resolve({{"width", 8}, {"height", 8}, {"scale", {0.5, 0.1}}}),
                  std::invalid_argument);
  CHECK_THROWS_AS(augment::image::random_resized_crop_op().resolve({{"width", 8}, {"height", 8}, {"ratio", {0, 1}}}),
                  std::invalid_argument);
  CHECK_THROWS_AS(augment::image::random_resized_crop_op().resolve({{"width", 8}, {"height", 8}, {"scale", {0.5}}}),
                  std::invalid_argument);
}

TEST_CASE("random_resized_crop: targets move by the window offset and the resize factors") {
  Image image(random_pixels({500, 375}, CV_8UC3, 5));
  image.boxes = {{150, 75, 250, 125, "in"}};
  image.keypoints = {{200, 100, "centre"}, {50, 50, "outside"}};
  const Op op(augment::image::random_resized_crop_op(), {{"width", 224}, {"height", 112}});
  // Window 200x100 at (100, 50) -> 224x112: x1.12 on both axes after moving by (-100, -50).
  const Image out = applied(op, image, {{"x", 100}, {"y", 50}, {"width", 200}, {"height", 100}});
  REQUIRE(out.size() == cv::Size(224, 112));
  REQUIRE(out.boxes.size() == 1);
  check_box(out.boxes[0], 56, 28, 168, 84);
  REQUIRE(out.keypoints.size() == 1);
  CHECK(out.keypoints[0].x == doctest::Approx(112));
  CHECK(out.keypoints[0].y == doctest::Approx(56));
  CHECK_THROWS_AS(applied(op, image, {{"x", 400}, {"y", 50}, {"width", 200}, {"height", 100}}), augment::UsageError);
}

TEST_CASE("pad: every border mode matches cv::copyMakeBorder, centred with the odd pixel right and below") {
  const cv::Mat pixels = random_pixels({30, 20}, CV_8UC3, 6);
  // To 41x25: 11 columns (5 left, 6 right), 5 rows (2 above, 3 below).
  for (const auto& [name, code] : {std::pair{"constant", cv::BORDER_CONSTANT}, {"reflect", cv::BORDER_REFLECT_101},
                                   {"reflect_edge", cv::BORDER_REFLECT}, {"replicate", cv::BORDER_REPLICATE},
                                   {"wrap", cv::BORDER_WRAP}}) {
    CAPTURE(name);
    const Op op(augment::image::pad_op(), {{"width", 41}, {"height", 25}, {"border", name}, {"border_value", 9}});
    Image out = op.run(Image(pixels));
    cv::Mat expected;
    cv::copyMakeBorder(pixels, expected, 2, 3, 5, 6, code, cv::Scalar::all(9));
    CHECK(same_pixels(out.pixels(), expected));
  }
}

TEST_CASE("pad: reflect mirrors without the edge pixel (numpy's reflect), reflect_edge with it (numpy's symmetric)") {
  // numpy.pad([10, 20, 30, 40], 3, mode="reflect") and mode="symmetric", by hand.
  const cv::Mat row = (cv::Mat_<std::uint8_t>(1, 4) << 10, 20, 30, 40);
  const auto padded = [&](const char* border) {
    Image out = Op(augment::image::pad_op(), {{"width", 10}, {"border", border}}).run(Image(row));
    const cv::Mat& padded_pixels = out.pixels();
    return std::vector<std::uint8_t>(padded_pixels.begin<std::uint8_t>(), padded_pixels.end<std::uint8_t>());
  };
  CHECK(padded("reflect") == std::vector<std::uint8_t>{40, 30, 20, 10, 20, 30, 40, 30, 20, 10});
  CHECK(padded("reflect_edge") == std::vector<std::uint8_t>{30, 20, 10, 10, 20, 30, 40, 40, 30, 20});
}

TEST_CASE("pad: to a multiple, at the top left, and never shrinking") {
  const cv::Mat pixels = random_pixels({30, 20}, CV_16UC1, 7);
  SUBCASE("multiple of 16: 30x20 -> 32x32") {
    Image out = Op(augment::image::pad_op(), {{"multiple", 16}, {"border", "reflect"}}).run(Image(pixels));
    cv::Mat expected;
    cv::copyMakeBorder(pixels, expected, 6, 6, 1, 1, cv::BORDER_REFLECT_101);
    CHECK(same_pixels(out.pixels(), expected));
  }
  SUBCASE("at least 40x10, then a multiple of 8, at the top left: 40x24") {
    Image out = Op(augment::image::pad_op(), {{"width", 40}, {"height", 10}, {"multiple", 8}, {"position", "top_left"}})
                    .run(Image(pixels));
    cv::Mat expected;
    cv::copyMakeBorder(pixels, expected, 0, 4, 0, 10, cv::BORDER_CONSTANT, cv::Scalar::all(0));
    CHECK(same_pixels(out.pixels(), expected));
  }
  SUBCASE("already big enough: unchanged") {
    Image out = Op(augment::image::pad_op(), {{"width", 10}, {"height", 10}}).run(Image(pixels));
    CHECK(same_pixels(out.pixels(), pixels));
  }
  CHECK(augment::image::padding_for({30, 20}, {41, 25}, 1, true) ==
        augment::image::Padding{.top = 2, .bottom = 3, .left = 5, .right = 6});
  CHECK_THROWS_AS(augment::image::pad_op().resolve(json::object()), std::invalid_argument);
}

TEST_CASE("pad: targets shift by the left and top padding and the mask is padded alike") {
  Image image(random_pixels({30, 20}, CV_8UC3, 8));
  image.boxes = {{0, 0, 30, 20, "all"}};
  image.keypoints = {{1.5, 2.5, "p"}};
  cv::Mat mask = random_pixels({30, 20}, CV_8UC1, 9);
  image.mask = mask;
  const Image out = Op(augment::image::pad_op(), {{"width", 41}, {"height", 25}, {"border", "reflect"}}).run(image);
  REQUIRE(out.boxes.size() == 1);
  check_box(out.boxes[0], 5, 2, 35, 22);
  REQUIRE(out.keypoints.size() == 1);
  CHECK(out.keypoints[0].x == doctest::Approx(6.5));
  CHECK(out.keypoints[0].y == doctest::Approx(4.5));
  cv::Mat expected_mask;
  cv::copyMakeBorder(mask, expected_mask, 2, 3, 5, 6, cv::BORDER_REFLECT_101);
  REQUIRE(out.mask);
  CHECK(same_pixels(*out.mask, expected_mask));
  // A constant border pads the mask with 0 whatever the pixels' border value.
  const Image constant = Op(augment::image::pad_op(), {{"width", 41}, {"border_value", 200}}).run(image);
  cv::copyMakeBorder(mask, expected_mask, 0, 0, 5, 6, cv::BORDER_CONSTANT, cv::Scalar::all(0));
  CHECK(same_pixels(*constant.mask, expected_mask));
}
