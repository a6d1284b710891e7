// resize_longest, resize_shortest and resize (stretch and letterbox): output sizes by hand
// computation, pixels against cv::resize, and targets moved by hand-computed factors.
#include <doctest/doctest.h>

#include <stdexcept>

#include <opencv2/imgproc.hpp>

#include "augment/image/image.hpp"
#include "augment/image/resize.hpp"
#include "image_test_helpers.hpp"

using augment::image::Box;
using augment::image::Image;
using augment::image::Keypoint;
using image_test::Op;
using image_test::random_pixels;
using image_test::same_pixels;

namespace {

Image sized(int width, int height, int type = CV_8UC3) { return Image(random_pixels({width, height}, type, 9)); }

cv::Size out_size(const Op& op, int width, int height) { return op.run(sized(width, height)).size(); }

void check_box(const Box& b, double x1, double y1, double x2, double y2) {
  CHECK(b.x1 == doctest::Approx(x1).epsilon(1e-12));
  CHECK(b.y1 == doctest::Approx(y1).epsilon(1e-12));
  CHECK(b.x2 == doctest::Approx(x2).epsilon(1e-12));
  CHECK(b.y2 == doctest::Approx(y2).epsilon(1e-12));
}

}  // namespace

TEST_CASE("resize_longest: the longest side becomes size, the other is rounded half up") {
  const auto longest = [](int size) { return Op(augment::image::resize_longest_op(), {{"size", size}}); };
  // 375·224/500 = 168 exactly.
  CHECK(out_size(longest(224), 500, 375) == cv::Size(224, 168));
  CHECK(out_size(longest(224), 375, 500) == cv::Size(168, 224));
  // 375·333/500 = 249.75 -> 250.
  CHECK(out_size(longest(333), 500, 375) == cv::Size(333, 250));
  // 375·6/500 = 4.5 -> 5 (half up); 375·2/500 = 1.5 -> 2; 375·1/500 = 0.75 -> 1.
  CHECK(out_size(longest(6), 500, 375) == cv::Size(6, 5));
  CHECK(out_size(longest(2), 375, 500) == cv::Size(2, 2));
  CHECK(out_size(longest(1), 500, 375) == cv::Size(1, 1));
  // Upscaling: 375·1000/500 = 750.
  CHECK(out_size(longest(1000), 500, 375) == cv::Size(1000, 750));
  // A square image.
  CHECK(out_size(longest(100), 64, 64) == cv::Size(100, 100));
  // A very thin image keeps at least one pixel.
  CHECK(out_size(longest(10), 1000, 3) == cv::Size(10, 1));
}

TEST_CASE("resize_shortest: the shortest side becomes size, the other is rounded half up") {
  const auto shortest = [](int size) { return Op(augment::image::resize_shortest_op(), {{"size", size}}); };
  // 500·224/375 = 298.67 -> 299.
  CHECK(out_size(shortest(224), 500, 375) == cv::Size(299, 224));
  CHECK(out_size(shortest(224), 375, 500) == cv::Size(224, 299));
  // 500·300/375 = 400 exactly.
  CHECK(out_size(shortest(300), 500, 375) == cv::Size(400, 300));
  // 500·3/375 = 4; 500·9/375 = 12; 7·3/2 = 10.5 -> 11.
  CHECK(out_size(shortest(3), 500, 375) == cv::Size(4, 3));
  CHECK(out_size(shortest(9), 375, 500) == cv::Size(9, 12));
  CHECK(out_size(shortest(3), 7, 2) == cv::Size(11, 3));
}

TEST_CASE("resize ops: pixels are cv::resize's, with the chosen interpolation, for every depth") {
  for (const int type : {CV_8UC3, CV_16UC1, CV_32FC4}) {
    CAPTURE(type);
    const cv::Mat pixels = random_pixels({50, 30}, type, 2);
    cv::Mat expected;
    cv::resize(pixels, expected, {20, 12}, 0, 0, cv::INTER_AREA);
    const Op op(augment::image::resize_longest_op(), {{"size", 20}, {"interpolation", "area"}});
    CHECK(same_pixels(op.run(Image(pixels)).pixels(), expected));
  }
  const cv::Mat pixels = random_pixels({50, 30}, CV_8UC1, 3);
  cv::Mat expected;
  cv::resize(pixels, expected, {100, 60}, 0, 0, cv::INTER_NEAREST_EXACT);
  const Op nearest(augment::image::resize_op(), {{"width", 100}, {"height", 60}, {"interpolation", "nearest"}});
  CHECK(same_pixels(nearest.run(Image(pixels)).pixels(), expected));
}

TEST_CASE("resize ops: boxes, keypoints and the mask scale with the image") {
  Image image = sized(500, 375);
  image.boxes = {{100, 50, 300, 250, "house"}, {0, 0, 500, 375, "all"}};
  image.keypoints = {{250.5, 100.25, "door"}, {0, 0, "corner"}};
  cv::Mat mask(375, 500, CV_8UC1, cv::Scalar(0));
  mask(cv::Rect(100, 50, 200, 200)).setTo(7);
  image.mask = mask;

  SUBCASE("by an exact factor: 500x375 -> 200x150 is x0.4 on both axes") {
    const Image out = Op(augment::image::resize_longest_op(), {{"size", 200}}).run(image);
    REQUIRE(out.size() == cv::Size(200, 150));
    REQUIRE(out.boxes.size() == 2);
    check_box(out.boxes[0], 40, 20, 120, 100);
    check_box(out.boxes[1], 0, 0, 200, 150);
    CHECK(out.boxes[0].label == "house");
    REQUIRE(out.keypoints.size() == 2);
    CHECK(out.keypoints[0].x == doctest::Approx(100.2));
    CHECK(out.keypoints[0].y == doctest::Approx(40.1));
    CHECK(out.keypoints[1].x == 0);
    CHECK(out.keypoints[1].y == 0);
    REQUIRE(out.mask);
    CHECK(out.mask->size() == cv::Size(200, 150));
    // The mask's block scales to exactly [40, 120) x [20, 100), with its value kept (nearest).
    CHECK(cv::countNonZero(*out.mask) == 80 * 80);
    CHECK(cv::countNonZero((*out.mask)(cv::Rect(40, 20, 80, 80)) == 7) == 80 * 80);
  }
  SUBCASE("with a rounded side: 500x375 -> 250x188 is x0.5 and x188/375") {
    const Image out = Op(augment::image::resize_longest_op(), {{"size", 250}}).run(image);
    REQUIRE(out.size() == cv::Size(250, 188));
    const double sy = 188.0 / 375.0;
    check_box(out.boxes[0], 50, 50 * sy, 150, 250 * sy);
    check_box(out.boxes[1], 0, 0, 250, 188);
    CHECK(out.keypoints[0].x == doctest::Approx(125.25));
    CHECK(out.keypoints[0].y == doctest::Approx(100.25 * sy));
  }
  SUBCASE("stretched: 500x375 -> 100x50") {
    const Image out = Op(augment::image::resize_op(), {{"width", 100}, {"height", 50}}).run(image);
    REQUIRE(out.size() == cv::Size(100, 50));
    check_box(out.boxes[0], 20, 50 * 50.0 / 375, 60, 250 * 50.0 / 375);
    CHECK(out.keypoints[0].x == doctest::Approx(50.1));
  }
}

TEST_CASE("resize letterbox: the scaled image sits centred with exact pad widths") {
  const cv::Mat pixels = random_pixels({500, 375}, CV_8UC3, 4);

  SUBCASE("500x375 into 300x300: width limits, 300x225, 37 rows above and 38 below") {
    Image image(pixels);
    image.boxes = {{100, 50, 300, 250, "house"}};
    image.keypoints = {{250, 100, "door"}};
    const Op op(augment::image::resize_op(),
                {{"width", 300}, {"height", 300}, {"letterbox", true}, {"border_value", 114}});
    Image out = op.run(image);
    const cv::Mat& got = out.pixels();
    REQUIRE(got.size() == cv::Size(300, 300));
    cv::Mat scaled;
    cv::resize(pixels, scaled, {300, 225}, 0, 0, cv::INTER_LINEAR);
    CHECK(same_pixels(got(cv::Rect(0, 37, 300, 225)), scaled));
    CHECK(cv::norm(got(cv::Rect(0, 0, 300, 37)), cv::Mat(37, 300, CV_8UC3, cv::Scalar::all(114)), cv::NORM_INF) == 0);
    CHECK(cv::norm(got(cv::Rect(0, 262, 300, 38)), cv::Mat(38, 300, CV_8UC3, cv::Scalar::all(114)), cv::NORM_INF) == 0);
    // x0.6 on both axes, then 37 down.
    REQUIRE(out.boxes.size() == 1);
    check_box(out.boxes[0], 60, 30 + 37, 180, 150 + 37);
    REQUIRE(out.keypoints.size() == 1);
    CHECK(out.keypoints[0].x == doctest::Approx(150));
    CHECK(out.keypoints[0].y == doctest::Approx(60 + 37));
  }
  SUBCASE("375x500 into 300x200: height limits, 150x200, 75 columns each side") {
    cv::Mat tall;
    cv::transpose(pixels, tall);
    const Op op(augment::image::resize_op(), {{"width", 300}, {"height", 200}, {"letterbox", true}});
    Image out = op.run(Image(tall));
    const cv::Mat& got = out.pixels();
    REQUIRE(got.size() == cv::Size(300, 200));
    cv::Mat scaled;
    cv::resize(tall, scaled, {150, 200}, 0, 0, cv::INTER_LINEAR);
    CHECK(same_pixels(got(cv::Rect(75, 0, 150, 200)), scaled));
    CHECK(cv::countNonZero(got(cv::Rect(0, 0, 75, 200)).reshape(1)) == 0);
    CHECK(cv::countNonZero(got(cv::Rect(225, 0, 75, 200)).reshape(1)) == 0);
  }
  SUBCASE("odd padding puts the extra pixel on the right") {
    const auto layout = augment::image::letterbox_layout({100, 100}, {105, 100});
    CHECK(layout.scaled == cv::Size(100, 100));
    CHECK(layout.left == 2);
    CHECK(layout.top == 0);
  }
  SUBCASE("the mask is letterboxed with 0") {
    Image image(pixels);
    image.mask = cv::Mat(375, 500, CV_8UC1, cv::Scalar(3));
    const Op op(augment::image::resize_op(), {{"width", 300}, {"height", 300}, {"letterbox", true}});
    const Image out = op.run(image);
    REQUIRE(out.mask);
    CHECK(cv::countNonZero(*out.mask) == 300 * 225);
    CHECK(cv::countNonZero((*out.mask)(cv::Rect(0, 37, 300, 225)) == 3) == 300 * 225);
  }
}

TEST_CASE("resize ops: pending geometry is applied before resizing") {
  const cv::Mat pixels = random_pixels({40, 30}, CV_8UC3, 6);
  Image image(pixels);
  image.boxes = {{0, 0, 10, 30, "left strip"}};
  image.push_affine(cv::Matx33d(-1, 0, 40, 0, 1, 0, 0, 0, 1), {});  // horizontal flip
  Image out = Op(augment::image::resize_longest_op(), {{"size", 20}}).run(image);
  cv::Mat flipped, expected;
  cv::flip(pixels, flipped, 1);
  cv::resize(flipped, expected, {20, 15}, 0, 0, cv::INTER_LINEAR);
  CHECK(same_pixels(out.pixels(), expected));
  REQUIRE(out.boxes.size() == 1);
  check_box(out.boxes[0], 15, 0, 20, 15);  // flipped to [30, 40), then halved
}

TEST_CASE("resize ops: sizes are required and checked") {
  CHECK_THROWS_AS(augment::image::resize_longest_op().resolve(nlohmann::json::object()), std::invalid_argument);
  CHECK_THROWS_AS(augment::image::resize_op().resolve({{"width", 10}}), std::invalid_argument);
  CHECK_THROWS_AS(augment::image::resize_shortest_op().resolve({{"size", 0}}), std::invalid_argument);
  CHECK_THROWS_AS(augment::image::resize_longest_op().resolve({{"size", 10}, {"interpolation", "lanczos"}}),
                  std::invalid_argument);
  const auto settings = augment::image::resize_op().resolve({{"width", 10}, {"height", 20}});
  CHECK(settings["letterbox"] == false);
  CHECK(settings["interpolation"] == "linear");
}
