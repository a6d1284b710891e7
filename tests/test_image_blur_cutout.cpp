// gaussian_blur against cv::GaussianBlur, and cutout holes where recorded.
#include "photometric_test_helpers.hpp"

using namespace photometric_test;  // NOLINT: the helpers of this family of tests

// ---------------------------------------------------------------------------------------------
// gaussian_blur

TEST_CASE("gaussian_blur: equals cv::GaussianBlur with the drawn odd kernel") {
  const Pipeline p = pipeline({{"op", "gaussian_blur"}, {"kernel", {2, 8}}, {"sigma", {0.0, 2.0}}});
  std::set<std::int64_t> kernels;
  for (const int type : {CV_8UC1, CV_8UC3, CV_16UC3, CV_32FC1}) {
    const cv::Mat in = random_image(17, 13, type, static_cast<std::uint64_t>(type));
    for (int i = 0; i < 30; ++i) {
      Sample s = make_sample(Image(in));
      const json record = p.run(s, Rng::derive(4, std::to_string(i), 0, 0));
      const std::int64_t k = record[0]["params"]["kernel"];
      const double sigma = record[0]["params"]["sigma"];
      kernels.insert(k);
      cv::Mat expected;
      cv::GaussianBlur(in, expected, cv::Size(static_cast<int>(k), static_cast<int>(k)), sigma, sigma,
                       cv::BORDER_REFLECT_101);
      CHECK(same(image_of(s).pixels(), expected));
    }
  }
  CHECK(kernels == std::set<std::int64_t>{3, 5, 7});
}

TEST_CASE("gaussian_blur: fixed kernel, alpha untouched, bad kernels refused") {
  const cv::Mat in = random_image(10, 10, CV_8UC4, 3);
  auto [out, record] = run({{"op", "gaussian_blur"}, {"kernel", 5}, {"sigma", 1.5}}, in);
  CHECK(record["params"]["kernel"] == 5);
  CHECK(record["params"]["sigma"] == 1.5);
  cv::Mat bgr, expected;
  cv::cvtColor(in, bgr, cv::COLOR_BGRA2BGR);
  cv::GaussianBlur(bgr, expected, cv::Size(5, 5), 1.5, 1.5, cv::BORDER_REFLECT_101);
  std::vector<cv::Mat> got, want, orig;
  cv::split(out, got);
  cv::split(expected, want);
  cv::split(in, orig);
  for (int c = 0; c < 3; ++c) CHECK(same(got[c], want[c]));
  CHECK(same(got[3], orig[3]));

  auto [one, r1] = run({{"op", "gaussian_blur"}, {"kernel", 1}}, in);
  CHECK(same(one, in));

  CHECK_THROWS_AS(pipeline({{"op", "gaussian_blur"}, {"kernel", 4}}), augment::SpecError);
  CHECK_THROWS_AS(pipeline({{"op", "gaussian_blur"}, {"kernel", {4, 4}}}), augment::SpecError);
  CHECK_THROWS_AS(pipeline({{"op", "gaussian_blur"}, {"kernel", 0}}), augment::SpecError);
  const Pipeline p = pipeline({{"op", "gaussian_blur"}});
  Sample s = make_sample(Image(in));
  CHECK_THROWS_AS(p.replay(s, json::array({{{"op", "gaussian_blur"}, {"params", {{"kernel", 4}, {"sigma", 0}}}}})),
                  augment::UsageError);
}

// ---------------------------------------------------------------------------------------------
// cutout

TEST_CASE("cutout: holes at the recorded rectangles and nowhere else") {
  const cv::Mat in(30, 40, CV_8UC3, cv::Scalar(10, 20, 30));
  const Pipeline p = pipeline({{"op", "cutout"}, {"count", 3}, {"width", 0.25}, {"height", {0.1, 0.5}}, {"fill", 1.0}});
  for (int i = 0; i < 30; ++i) {
    Image img(in);
    img.mask = cv::Mat(30, 40, CV_8UC1, cv::Scalar(1));
    img.boxes = {{1, 2, 10, 12, "box"}};
    Sample s = make_sample(img);
    const json record = p.run(s, Rng::derive(9, std::to_string(i), 0, 0));
    const json& holes = record[0]["params"]["holes"];
    REQUIRE(holes.size() == 3);
    cv::Mat expected = in.clone();
    for (const auto& h : holes) {
      const int x = h[0], y = h[1], w = h[2], hh = h[3];
      CHECK(w == 10);  // 0.25 of 40
      CHECK(hh >= 3);  // 0.1 of 30
      CHECK(hh <= 15);
      CHECK(x >= 0);
      CHECK(y >= 0);
      CHECK(x + w <= 40);
      CHECK(y + hh <= 30);
      expected(cv::Rect(x, y, w, hh)).setTo(cv::Scalar::all(255));
    }
    CHECK(same(image_of(s).pixels(), expected));
    CHECK(cv::countNonZero(*image_of(s).mask != 1) == 0);  // the mask is left as is
    REQUIRE(image_of(s).boxes.size() == 1);
    CHECK(image_of(s).boxes[0].x2 == 10);
  }
}

TEST_CASE("cutout: 16-bit, float and alpha, fill is a fraction of the maximum") {
  const std::vector<cv::Rect> holes = {{1, 1, 2, 2}};
  const cv::Mat u16(4, 4, CV_16UC1, cv::Scalar::all(7));
  const cv::Mat o16 = augment::image::cutout(u16, holes, 0.5);
  CHECK(o16.at<std::uint16_t>(1, 1) == 32768);  // 32767.5 rounds to even
  CHECK(o16.at<std::uint16_t>(2, 2) == 32768);
  CHECK(o16.at<std::uint16_t>(0, 0) == 7);
  CHECK(o16.at<std::uint16_t>(3, 3) == 7);
  CHECK(cv::countNonZero(o16 != 7) == 4);

  const cv::Mat f32(4, 4, CV_32FC3, cv::Scalar::all(0.25));
  const cv::Mat of = augment::image::cutout(f32, holes, 0.5);
  CHECK(of.at<cv::Vec3f>(2, 1) == cv::Vec3f(0.5f, 0.5f, 0.5f));
  CHECK(of.at<cv::Vec3f>(0, 1) == cv::Vec3f(0.25f, 0.25f, 0.25f));

  const cv::Mat bgra(4, 4, CV_8UC4, cv::Scalar(1, 2, 3, 200));
  const cv::Mat o4 = augment::image::cutout(bgra, {{0, 0, 4, 4}, {-3, -3, 5, 5}, {10, 10, 2, 2}}, 0.0);
  CHECK(o4.at<cv::Vec4b>(3, 3) == cv::Vec4b(0, 0, 0, 200));
}

TEST_CASE("cutout: count 0 and holes larger than the image") {
  const cv::Mat in = random_image(6, 5, CV_8UC1, 4);
  auto [none, r0] = run({{"op", "cutout"}, {"count", 0}}, in);
  CHECK(same(none, in));
  CHECK(r0["params"]["holes"].empty());
  auto [all, r1] = run({{"op", "cutout"}, {"count", 1}, {"width", 1.0}, {"height", 1.0}}, in);
  CHECK(r1["params"]["holes"][0] == json::array({0, 0, 5, 6}));
  CHECK(cv::countNonZero(all) == 0);
  const Pipeline p = pipeline({{"op", "cutout"}});
  Sample s = make_sample(Image(in));
  CHECK_THROWS_AS(p.replay(s, json::array({{{"op", "cutout"}, {"params", {{"holes", {{1, 2, 3}}}}}}})),
                  augment::UsageError);
}

