// Targets move with the pixels: keypoints with a rendered dot, boxes around a rendered
// rectangle, the mask with nearest-neighbour; the visibility policies; determinism by seed.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <numbers>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "augment/core/pipeline.hpp"
#include "augment/core/registry.hpp"
#include "augment/image/affine.hpp"
#include "augment/image/image.hpp"
#include "augment/image/perspective.hpp"
#include "image_test_helpers.hpp"

using augment::image::Box;
using augment::image::Image;
using augment::image::Keypoint;
using nlohmann::json;

namespace {

augment::Pipeline pipeline(const json& stages) {
  return augment::Pipeline::from_json({{"kind", "image"}, {"stages", stages}}, image_test::image_registry());
}

/// Runs `stages` on `image` with the generator of `seed`, then applies the pending geometry.
json run(Image& image, const json& stages, std::uint64_t seed = 1) {
  augment::Sample sample = augment::image::make_sample(std::move(image));
  const json record = pipeline(stages).run(sample, augment::Rng(seed));
  image = std::move(augment::image::image_of(sample));
  image.apply_geometry();
  return record;
}

/// Intensity-weighted centroid in the continuous coordinates (pixel (x, y) centred at x + ½, y + ½).
cv::Point2d centroid(const cv::Mat& gray) {
  double sum = 0, sx = 0, sy = 0;
  for (int y = 0; y < gray.rows; ++y)
    for (int x = 0; x < gray.cols; ++x) {
      const double v = gray.at<unsigned char>(y, x);
      sum += v, sx += v * (x + 0.5), sy += v * (y + 0.5);
    }
  REQUIRE(sum > 0);
  return {sx / sum, sy / sum};
}

}  // namespace

TEST_CASE("a rendered dot and its keypoint land together under rotate, scale, translate, shear, perspective") {
  const std::vector<json> cases = {
      json::array({{{"op", "rotate"}, {"degrees", 37}}, {{"op", "scale"}, {"factor", 1.15}},
                   {{"op", "translate"}, {"x", 0.05}, {"y", -0.03}}}),
      json::array({{{"op", "affine"}, {"translate_x", {-0.1, 0.1}}, {"translate_y", {-0.1, 0.1}},
                    {"scale_x", {0.7, 1.3}}, {"scale_y", {0.7, 1.3}}, {"rotate", {-180, 180}}, {"shear_x", {-20, 20}},
                    {"shear_y", {-20, 20}}}}),
      json::array({{{"op", "hflip"}}, {{"op", "rotate"}, {"degrees", {-45, 45}}}, {{"op", "vflip"}, {"p", 0.5}}}),
      json::array({{{"op", "perspective"}, {"scale", {0.05, 0.15}}}, {{"op", "rotate"}, {"degrees", {-20, 20}}}}),
  };
  for (std::size_t c = 0; c < cases.size(); ++c)
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
      // A 3×3 white square covering pixels 44..46 × 34..36 of a 100×80 image: centre (45.5, 35.5).
      cv::Mat pixels(80, 100, CV_8UC1, cv::Scalar(0));
      pixels(cv::Rect(44, 34, 3, 3)).setTo(255);
      Image image(pixels);
      image.keypoints = {{45.5, 35.5, "dot"}};
      run(image, cases[c], seed);
      INFO("case " << c << ", seed " << seed);
      REQUIRE(image.keypoints.size() == 1);
      const cv::Point2d dot = centroid(image.pixels());
      const Keypoint& k = image.keypoints[0];
      INFO("keypoint (" << k.x << ", " << k.y << "), dot (" << dot.x << ", " << dot.y << ")");
      CHECK(std::hypot(k.x - dot.x, k.y - dot.y) < 0.5);
      CHECK(k.label == "dot");
    }
}

TEST_CASE("a box around a rendered rectangle still bounds it, tightly, after a rotation") {
  for (const std::string interpolation : {"nearest", "linear"})
    for (const double degrees : {30.0, -63.0, 125.0}) {
      INFO(interpolation << ", " << degrees << " degrees");
      // Pixel columns 50..89, rows 40..59 of a 140×100 image: the box (50, 40, 90, 60).
      cv::Mat pixels(100, 140, CV_8UC1, cv::Scalar(0));
      pixels(cv::Rect(50, 40, 40, 20)).setTo(255);
      Image image(pixels);
      image.boxes = {{50, 40, 90, 60, "rect"}};
      run(image, json::array({{{"op", "rotate"}, {"degrees", degrees}, {"interpolation", interpolation}}}));
      REQUIRE(image.boxes.size() == 1);
      const Box& b = image.boxes[0];
      CHECK(b.label == "rect");
      // Pixels at least half on have their centres in the box (with nearest a pixel is on exactly
      // when its centre maps into the rectangle). Bilinear also lights, faintly, pixels whose
      // centre maps within ½ px (per source axis) of the rectangle: in the output that reaches
      // ½(|cos θ| + |sin θ|) ≤ 0.71 px beyond the box, at the rotated corners. And the non-zero
      // pixels reach each edge of the box within 2 px (the box is tight).
      const double t = degrees * std::numbers::pi / 180;
      const double bleed = interpolation == "nearest" ? 1e-9 : 0.5 * (std::abs(std::cos(t)) + std::abs(std::sin(t))) + 1e-9;
      const cv::Mat& out = image.pixels();
      double lo_x = 1e9, lo_y = 1e9, hi_x = -1e9, hi_y = -1e9;
      int outside_half = 0, outside_any = 0;
      for (int y = 0; y < out.rows; ++y)
        for (int x = 0; x < out.cols; ++x) {
          const int v = out.at<unsigned char>(y, x);
          if (v == 0) continue;
          const double cx = x + 0.5, cy = y + 0.5;
          if (v >= 128 && (cx < b.x1 || cx > b.x2 || cy < b.y1 || cy > b.y2)) ++outside_half;
          if (cx < b.x1 - bleed || cx > b.x2 + bleed || cy < b.y1 - bleed || cy > b.y2 + bleed) ++outside_any;
          lo_x = std::min(lo_x, double(x)), hi_x = std::max(hi_x, x + 1.0);
          lo_y = std::min(lo_y, double(y)), hi_y = std::max(hi_y, y + 1.0);
        }
      CHECK(outside_half == 0);
      CHECK(outside_any == 0);
      INFO("box (" << b.x1 << ", " << b.y1 << ", " << b.x2 << ", " << b.y2 << "), pixels (" << lo_x << ", " << lo_y
                   << ", " << hi_x << ", " << hi_y << ")");
      CHECK(std::abs(lo_x - b.x1) <= 2);
      CHECK(std::abs(lo_y - b.y1) <= 2);
      CHECK(std::abs(hi_x - b.x2) <= 2);
      CHECK(std::abs(hi_y - b.y2) <= 2);
    }
}

TEST_CASE("the box visibility policy drops a box moved mostly outside") {
  const json stages = json::array({{{"op", "translate"}, {"x", 0.55}}});
  auto moved = [&](double min_visibility) {
    Image image(cv::Mat(100, 100, CV_8UC1, cv::Scalar(0)));
    image.boxes = {{40, 40, 60, 60, "a"}, {10, 10, 20, 20, "b"}};  // a: 75% out, b: stays in
    image.policy.min_box_visibility = min_visibility;
    run(image, stages);
    return image.boxes;
  };
  const auto kept = moved(0.0);
  REQUIRE(kept.size() == 2);
  CHECK(kept[0].x1 == doctest::Approx(95));
  CHECK(kept[0].x2 == doctest::Approx(100));  // clipped
  CHECK(kept[0].y1 == doctest::Approx(40));
  CHECK(kept[1].x1 == doctest::Approx(65));
  CHECK(moved(0.2).size() == 2);  // 25% visible
  const auto dropped = moved(0.5);
  REQUIRE(dropped.size() == 1);
  CHECK(dropped[0].label == "b");
  // Moved entirely outside: dropped whatever the policy.
  Image gone(cv::Mat(100, 100, CV_8UC1, cv::Scalar(0)));
  gone.boxes = {{10, 10, 20, 20, "c"}};
  run(gone, json::array({{{"op", "translate"}, {"y", -0.5}}}));
  CHECK(gone.boxes.empty());
}

TEST_CASE("keypoints outside the image are dropped or kept by the policy") {
  const json stages = json::array({{{"op", "translate"}, {"x", 0.2}}});
  for (const bool drop : {true, false}) {
    Image image(cv::Mat(50, 100, CV_8UC1, cv::Scalar(0)));
    image.keypoints = {{90, 25, "out"}, {10, 25, "in"}};
    image.policy.drop_outside_keypoints = drop;
    run(image, stages);
    INFO("drop " << drop);
    if (drop) {
      REQUIRE(image.keypoints.size() == 1);
      CHECK(image.keypoints[0].label == "in");
      CHECK(image.keypoints[0].x == doctest::Approx(30));
    } else {
      REQUIRE(image.keypoints.size() == 2);
      CHECK(image.keypoints[0].x == doctest::Approx(110));  // kept with its coordinates
      CHECK(image.keypoints[0].y == doctest::Approx(25));
    }
  }
}

TEST_CASE("transform_targets divides by w and drops points sent to infinity") {
  Image image(cv::Mat(10, 10, CV_8UC1, cv::Scalar(0)));
  image.policy.drop_outside_keypoints = false;
  image.keypoints = {{2, 4, "a"}, {-10, 0, "horizon"}};
  image.boxes = {{1, 1, 3, 3, "b"}, {-20, 0, -5, 2, "behind"}};
  // w = 1 + 0.1x: 2 for x = 10, 0 at x = −10 (the horizon), negative beyond.
  const cv::Matx33d h{1, 0, 0, 0, 1, 0, 0.1, 0, 1};
  augment::image::transform_targets(image, h, {10, 10});
  REQUIRE(image.keypoints.size() == 1);
  CHECK(image.keypoints[0].x == doctest::Approx(2 / 1.2));
  CHECK(image.keypoints[0].y == doctest::Approx(4 / 1.2));
  REQUIRE(image.boxes.size() == 1);
  CHECK(image.boxes[0].x1 == doctest::Approx(1 / 1.1));
  CHECK(image.boxes[0].y1 == doctest::Approx(1 / 1.3));  // the box around the moved corners
  CHECK(image.boxes[0].x2 == doctest::Approx(3 / 1.3));
  CHECK(image.boxes[0].y2 == doctest::Approx(3 / 1.1));
}

TEST_CASE("the mask moves with nearest-neighbour: its values stay in the label set") {
  cv::Mat mask(60, 80, CV_8UC1, cv::Scalar(0));
  mask(cv::Rect(10, 10, 30, 20)).setTo(3);
  mask(cv::Rect(45, 25, 25, 25)).setTo(7);
  cv::Mat pixels;
  mask.convertTo(pixels, CV_8UC1, 30);  // the picture shows the labels
  Image image(pixels);
  image.mask = mask.clone();
  run(image, json::array({{{"op", "rotate"}, {"degrees", 33}}, {{"op", "scale"}, {"factor", 1.2}},
                          {{"op", "shear"}, {"x", 8}}}));
  REQUIRE(image.mask.has_value());
  const cv::Mat& m = *image.mask;
  REQUIRE(m.size() == mask.size());
  REQUIRE(m.type() == CV_8UC1);
  std::set<int> values;
  for (int y = 0; y < m.rows; ++y)
    for (int x = 0; x < m.cols; ++x) values.insert(m.at<unsigned char>(y, x));
  CHECK(values == std::set<int>{0, 3, 7});
  // It moved with the pixels: where the (linearly warped) picture is clearly one label, so is
  // the mask; only pixels at label edges may disagree.
  const cv::Mat& p = image.pixels();
  int agree = 0, clear = 0;
  for (int y = 0; y < m.rows; ++y)
    for (int x = 0; x < m.cols; ++x) {
      const int v = p.at<unsigned char>(y, x);
      for (const int label : {0, 3, 7})
        if (std::abs(v - 30 * label) <= 2) {
          ++clear;
          agree += m.at<unsigned char>(y, x) == label;
        }
    }
  CHECK(clear > 4000);
  CHECK(agree >= clear - clear / 50);
  // Exactly OpenCV's nearest warp of the mask with the fused matrix.
  const cv::Size size = mask.size();
  const cv::Matx33d fused = augment::image::shear_matrix(8, 0, size) * augment::image::scale_matrix(1.2, 1.2, size) *
                            augment::image::rotation_matrix(33, size);
  const cv::Matx33d c = augment::image::to_pixel_centres(fused);
  cv::Mat want;
  cv::warpAffine(mask, want, cv::Matx23d(c(0, 0), c(0, 1), c(0, 2), c(1, 0), c(1, 1), c(1, 2)), size, cv::INTER_NEAREST);
  CHECK(cv::norm(m, want, cv::NORM_INF) == 0);
}

TEST_CASE("same seed gives the same bytes and targets through a pipeline, another seed does not") {
  const json stages = json::array(
      {{{"op", "affine"}, {"translate_x", {-0.1, 0.1}}, {"scale", {0.8, 1.2}}, {"rotate", {-30, 30}}, {"shear_y", {-10, 10}}},
       {{"op", "hflip"}, {"p", 0.5}},
       {{"op", "perspective"}, {"scale", {0.02, 0.1}}, {"interpolation", "cubic"}},
       {{"op", "rotate"}, {"degrees", {-10, 10}}, {"border", "reflect"}}});
  cv::Mat photo(75, 100, CV_8UC3);
  cv::randu(photo, cv::Scalar::all(0), cv::Scalar::all(255));
  cv::GaussianBlur(photo, photo, {5, 5}, 1.5);
  auto make = [&] {
    Image image(photo.clone());
    image.mask = cv::Mat(75, 100, CV_8UC1, cv::Scalar(1));
    image.boxes = {{20, 20, 60, 50, "box"}};
    image.keypoints = {{50, 37, "k"}};
    return image;
  };
  Image a = make(), b = make(), c = make();
  const json ra = run(a, stages, 2024), rb = run(b, stages, 2024), rc = run(c, stages, 2025);
  CHECK(ra == rb);
  CHECK(ra != rc);
  const cv::Mat &pa = a.pixels(), &pb = b.pixels(), &pc = c.pixels();
  REQUIRE(pa.isContinuous());
  REQUIRE(pb.isContinuous());
  CHECK(std::memcmp(pa.data, pb.data, pa.total() * pa.elemSize()) == 0);
  CHECK(cv::norm(pa, pc, cv::NORM_L1) > 0);
  CHECK(cv::norm(*a.mask, *b.mask, cv::NORM_INF) == 0);
  REQUIRE(a.boxes.size() == b.boxes.size());
  for (std::size_t i = 0; i < a.boxes.size(); ++i) {
    CHECK(a.boxes[i].x1 == b.boxes[i].x1);
    CHECK(a.boxes[i].y2 == b.boxes[i].y2);
  }
  REQUIRE(a.keypoints.size() == 1);
  REQUIRE(b.keypoints.size() == 1);
  CHECK(a.keypoints[0].x == b.keypoints[0].x);
  CHECK(a.keypoints[0].y == b.keypoints[0].y);
  // The record replays to the same bytes.
  Image d = make();
  augment::Sample sample = augment::image::make_sample(std::move(d));
  pipeline(stages).replay(sample, ra);
  CHECK(cv::norm(augment::image::image_of(sample).pixels(), pa, cv::NORM_INF) == 0);
}

TEST_CASE("geometry specs round-trip through to_json") {
  const json stages = json::array(
      {{{"op", "scale"}, {"x", {0.9, 1.1}}},
       {{"op", "affine"}, {"rotate", {-5, 5}}, {"scale", 1.2}, {"border", "replicate"}},
       {{"op", "vflip"}, {"p", 0.25}},
       {{"op", "perspective"}}});
  const json spec = pipeline(stages).to_json();
  CHECK(augment::Pipeline::from_json(spec, image_test::image_registry()).to_json() == spec);
  CHECK_FALSE(spec["stages"][0].contains("factor"));  // unset optional parameters stay unset
  CHECK_FALSE(spec["stages"][0].contains("y"));
  CHECK(spec["stages"][3]["scale"] == json::array({0.05, 0.1}));
}
