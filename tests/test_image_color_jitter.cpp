// color_jitter: hue rotations, identity factors, brightness and contrast by hand.
#include "photometric_test_helpers.hpp"

using namespace photometric_test;  // NOLINT: the helpers of this family of tests

// ---------------------------------------------------------------------------------------------
// color_jitter

namespace {

json jitter(double brightness, double contrast, double saturation, double hue) {
  return {{"op", "color_jitter"},
          {"brightness", brightness},
          {"contrast", contrast},
          {"saturation", saturation},
          {"hue", hue}};
}

bool near_vec(const cv::Vec3b& a, const cv::Vec3b& b) {
  for (int c = 0; c < 3; ++c)
    if (std::abs(int(a[c]) - int(b[c])) > 1) return false;
  return true;
}

}  // namespace

TEST_CASE("color_jitter: hue +120 degrees turns pure red into pure green, -120 into blue") {
  const cv::Mat red(2, 2, CV_8UC3, cv::Scalar(0, 0, 255));  // BGR
  auto [green, record] = run(jitter(1, 1, 1, 120), red);
  CHECK(record["params"]["hue"] == 120.0);
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 2; ++x) CHECK(near_vec(green.at<cv::Vec3b>(y, x), cv::Vec3b(0, 255, 0)));
  auto [blue, r2] = run(jitter(1, 1, 1, -120), red);
  CHECK(near_vec(blue.at<cv::Vec3b>(0, 0), cv::Vec3b(255, 0, 0)));

  const cv::Mat red16(1, 1, CV_16UC4, cv::Scalar(0, 0, 65535, 1234));
  const cv::Mat g16 = augment::image::color_jitter(red16, {1, 1, 1, 120});
  const auto px = g16.at<cv::Vec<std::uint16_t, 4>>(0, 0);
  CHECK(px[0] <= 1);
  CHECK(px[1] >= 65534);
  CHECK(px[2] <= 1);
  CHECK(px[3] == 1234);

  const cv::Mat redf(1, 1, CV_32FC3, cv::Scalar(0, 0, 1));
  const cv::Vec3f gf = augment::image::color_jitter(redf, {1, 1, 1, 120}).at<cv::Vec3f>(0, 0);
  CHECK(gf[0] == doctest::Approx(0).epsilon(1e-5));
  CHECK(gf[1] == doctest::Approx(1).epsilon(1e-5));
  CHECK(gf[2] == doctest::Approx(0).epsilon(1e-5));
}

TEST_CASE("color_jitter: identity factors keep every depth, saturation 0 gives gray") {
  for (const int type : {CV_8UC3, CV_16UC3, CV_32FC3, CV_8UC4, CV_8UC1}) {
    const cv::Mat in = random_image(7, 6, type, 21);
    CHECK(same(augment::image::color_jitter(in, {}), in));
  }
  const cv::Mat in = random_image(7, 6, CV_8UC3, 22);
  const cv::Mat gray = augment::image::color_jitter(in, {1, 1, 0, 0});
  for (int y = 0; y < gray.rows; ++y)
    for (int x = 0; x < gray.cols; ++x) {
      const auto g = gray.at<cv::Vec3b>(y, x), o = in.at<cv::Vec3b>(y, x);
      CHECK(g[0] == g[1]);
      CHECK(g[1] == g[2]);
      CHECK(g[0] == std::max({o[0], o[1], o[2]}));  // HSV keeps V = max channel
    }
}

TEST_CASE("color_jitter: brightness and contrast by hand, gray images") {
  const cv::Mat g = mat<std::uint8_t>(1, 3, CV_8UC1, {0, 100, 200});
  auto [bright, r1] = run(jitter(1.5, 1, 0.5, 90), g);  // saturation and hue do nothing to gray
  CHECK(values<std::uint8_t>(bright) == std::vector<std::uint8_t>{0, 150, 255});
  // contrast 0.5 around the mean 100: (x − 100)·0.5 + 100
  auto [soft, r2] = run(jitter(1, 0.5, 1, 0), g);
  CHECK(values<std::uint8_t>(soft) == std::vector<std::uint8_t>{50, 100, 150});
  auto [flat, r3] = run(jitter(1, 0, 1, 0), g);
  CHECK(values<std::uint8_t>(flat) == std::vector<std::uint8_t>{100, 100, 100});

  // On colour, the contrast mean is that of the gray image: 0.299 R + 0.587 G + 0.114 B.
  const cv::Mat c = mat<std::uint8_t>(1, 2, CV_8UC3, {0, 0, 200, 0, 0, 0});  // a red and a black pixel
  const double m = 0.299 * 200 / 2;                                              // 29.9
  auto [cc, r4] = run(jitter(1, 2, 1, 0), c);
  CHECK(values<std::uint8_t>(cc) ==
        std::vector<std::uint8_t>{0, 0, cv::saturate_cast<std::uint8_t>(2 * 200 - m), 0, 0, 0});
}

TEST_CASE("color_jitter: drawn params are recorded and replay") {
  const Pipeline p = pipeline({{"op", "color_jitter"}});  // defaults: all four drawn
  const cv::Mat in = random_image(12, 10, CV_8UC3, 30);
  for (int i = 0; i < 20; ++i) {
    Sample s = make_sample(Image(in));
    const json record = p.run(s, Rng::derive(2, std::to_string(i), 0, 0));
    const json& params = record[0]["params"];
    CHECK(params["brightness"].get<double>() >= 0.8);
    CHECK(params["brightness"].get<double>() < 1.2);
    CHECK(params["hue"].get<double>() >= -10);
    CHECK(params["hue"].get<double>() < 10);
    Sample again = make_sample(Image(in));
    p.replay(again, record);
    CHECK(same(image_of(again).pixels(), image_of(s).pixels()));
  }
}

