// The image gaussian_noise op: moments, the Rng it draws from, replay.
#include "photometric_test_helpers.hpp"

using namespace photometric_test;  // NOLINT: the helpers of this family of tests

// ---------------------------------------------------------------------------------------------
// gaussian_noise

namespace {

struct Moments {
  double mean = 0, stddev = 0;
};

Moments moments(const cv::Mat& m) {
  cv::Scalar mean, stddev;
  cv::meanStdDev(m.reshape(1), mean, stddev);
  return {mean[0], stddev[0]};
}

}  // namespace

TEST_CASE("gaussian_noise: a flat 8-bit image gets the asked mean and standard deviation") {
  const cv::Mat flat(512, 512, CV_8UC3, cv::Scalar::all(128));
  // sigma 0.04 of 255 = 10.2 levels; rounding adds 1/12 to the variance.
  auto [out, record] = run({{"op", "gaussian_noise"}, {"sigma", 0.04}}, flat);
  const Moments m = moments(out);
  CHECK(m.mean == doctest::Approx(128.0).epsilon(0.001));
  CHECK(m.stddev == doctest::Approx(std::sqrt(10.2 * 10.2 + 1.0 / 12)).epsilon(0.01));
  CHECK(record["params"]["sigma"] == 0.04);
  CHECK(record["params"]["seed"].is_number_unsigned());

  SUBCASE("mean shifts, units pixels") {
    auto [shifted, r] = run({{"op", "gaussian_noise"}, {"sigma", 5.0}, {"mean", 20.0}, {"units", "pixels"}}, flat);
    const Moments s = moments(shifted);
    CHECK(s.mean == doctest::Approx(148.0).epsilon(0.001));
    CHECK(s.stddev == doctest::Approx(std::sqrt(25.0 + 1.0 / 12)).epsilon(0.01));
  }
}

TEST_CASE("gaussian_noise: 16-bit and float flat images") {
  const cv::Mat u16(256, 256, CV_16UC1, cv::Scalar::all(30000));
  auto [o16, r1] = run({{"op", "gaussian_noise"}, {"sigma", 100.0}, {"units", "pixels"}}, u16);
  const Moments m16 = moments(o16);
  CHECK(m16.mean == doctest::Approx(30000.0).epsilon(0.0002));
  CHECK(m16.stddev == doctest::Approx(100.0).epsilon(0.02));

  auto [o16f, r2] = run({{"op", "gaussian_noise"}, {"sigma", 0.01}}, u16);  // fraction of 65535
  CHECK(moments(o16f).stddev == doctest::Approx(655.35).epsilon(0.02));

  const cv::Mat f32(256, 256, CV_32FC1, cv::Scalar::all(0.5));
  auto [of, r3] = run({{"op", "gaussian_noise"}, {"sigma", 0.05}}, f32);
  const Moments mf = moments(of);
  CHECK(mf.mean == doctest::Approx(0.5).epsilon(0.002));
  CHECK(mf.stddev == doctest::Approx(0.05).epsilon(0.02));

  // Floats are clipped to [0, 1].
  const cv::Mat white(64, 64, CV_32FC1, cv::Scalar::all(1.0));
  auto [ow, r4] = run({{"op", "gaussian_noise"}, {"sigma", 0.2}}, white);
  double lo = 0, hi = 0;
  cv::minMaxLoc(ow, &lo, &hi);
  CHECK(lo >= 0.0);
  CHECK(hi == 1.0);
}

TEST_CASE("gaussian_noise: the first values are Rng(seed).fork(row) normals, channel by channel") {
  const cv::Mat flat(2, 3, CV_8UC3, cv::Scalar::all(100));
  auto [out, record] = run({{"op", "gaussian_noise"}, {"sigma", 20.0}, {"units", "pixels"}}, flat);
  const auto seed = record["params"]["seed"].get<std::uint64_t>();
  for (int y = 0; y < 2; ++y) {
    Rng row = Rng(seed).fork(static_cast<std::uint64_t>(y));
    for (int x = 0; x < 3; ++x)
      for (int c = 0; c < 3; ++c)
        CHECK(out.at<cv::Vec3b>(y, x)[c] == cv::saturate_cast<std::uint8_t>(100.0 + 20.0 * row.normal()));
  }
}

TEST_CASE("gaussian_noise: same seed and key give the same bytes, and a record replays") {
  const cv::Mat in = random_image(40, 30, CV_8UC3, 5);
  const json stage = {{"op", "gaussian_noise"}, {"sigma", {0.01, 0.1}}};
  auto [a, ra] = run(stage, in, 11, "a.png");
  auto [b, rb] = run(stage, in, 11, "a.png");
  CHECK(same(a, b));
  CHECK(ra == rb);
  auto [c, rc] = run(stage, in, 12, "a.png");
  CHECK_FALSE(same(a, c));

  const Pipeline p = pipeline(stage);
  const auto rebuilt = Pipeline::from_json(p.to_json(), registry());
  Sample again = make_sample(Image(in));
  rebuilt.replay(again, json::parse(json::array({ra}).dump()));
  CHECK(same(image_of(again).pixels(), a));
}

TEST_CASE("gaussian_noise: per_channel false gives gray noise, alpha is untouched") {
  const cv::Mat bgra(32, 32, CV_8UC4, cv::Scalar(100, 100, 100, 77));
  auto [out, record] = run({{"op", "gaussian_noise"}, {"sigma", 0.1}, {"per_channel", false}}, bgra);
  int changed = 0;
  for (int y = 0; y < out.rows; ++y)
    for (int x = 0; x < out.cols; ++x) {
      const auto px = out.at<cv::Vec4b>(y, x);
      CHECK(px[0] == px[1]);
      CHECK(px[1] == px[2]);
      CHECK(px[3] == 77);
      changed += px[0] != 100;
    }
  CHECK(changed > 900);
  auto [colour, r2] = run({{"op", "gaussian_noise"}, {"sigma", 0.1}}, bgra);
  std::vector<cv::Mat> planes;
  cv::split(colour, planes);
  CHECK_FALSE(same(planes[0], planes[1]));
  CHECK(cv::countNonZero(planes[3] != 77) == 0);
}

TEST_CASE("gaussian_noise: sigma 0 leaves the image as it was") {
  const cv::Mat in = random_image(9, 9, CV_16UC3, 8);
  auto [out, record] = run({{"op", "gaussian_noise"}, {"sigma", 0.0}}, in);
  CHECK(same(out, in));
}

