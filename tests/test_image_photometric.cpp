// The photometric image ops (brightness_contrast, gamma, gaussian_noise, gaussian_blur, cutout,
// color_jitter) against hand computations on tiny images, on 8-bit, 16-bit and float pixels.
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

using augment::Pipeline;
using augment::Rng;
using augment::Sample;
using augment::image::Image;
using augment::image::image_of;
using augment::image::make_sample;
using nlohmann::json;

namespace {

const augment::Registry& registry() {
  static const augment::Registry r = [] {
    augment::Registry out;
    augment::features::register_transforms(out);
    augment::image::detail::register_photometric(out);
    return out;
  }();
  return r;
}

Pipeline pipeline(const json& stage) {
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

bool same(const cv::Mat& a, const cv::Mat& b) {
  return a.type() == b.type() && a.size() == b.size() && (a.empty() || cv::norm(a, b, cv::NORM_INF) == 0);
}

/// Runs a one-stage pipeline on `pixels` and returns the result and the stage's record.
std::pair<cv::Mat, json> run(const json& stage, const cv::Mat& pixels, std::uint64_t seed = 7,
                             const std::string& key = "img") {
  const Pipeline p = pipeline(stage);
  Sample s = make_sample(Image(pixels));
  const json record = p.run(s, Rng::derive(seed, key, 0, 0));
  return {image_of(s).pixels().clone(), record[0]};
}

cv::Mat random_image(int rows, int cols, int type, std::uint64_t seed) {
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

}  // namespace

// ---------------------------------------------------------------------------------------------
// brightness_contrast

TEST_CASE("brightness_contrast: 8-bit known values, saturating at 0 and 255") {
  const cv::Mat in = mat<std::uint8_t>(1, 4, CV_8UC1, {0, 50, 128, 255});
  // out = 1.5·x + 0.2·255 = 1.5·x + 51
  auto [up, record] = run({{"op", "brightness_contrast"}, {"brightness", 0.2}, {"contrast", 0.5}}, in);
  CHECK(values<std::uint8_t>(up) == std::vector<std::uint8_t>{51, 126, 243, 255});
  CHECK(record["params"]["brightness"] == 0.2);
  CHECK(record["params"]["contrast"] == 0.5);
  // out = x − 0.4·255 = x − 102
  auto [down, r2] = run({{"op", "brightness_contrast"}, {"brightness", -0.4}, {"contrast", 0.0}}, in);
  CHECK(values<std::uint8_t>(down) == std::vector<std::uint8_t>{0, 0, 26, 153});
  // contrast −1 flattens everything to the brightness offset
  auto [flat, r3] = run({{"op", "brightness_contrast"}, {"brightness", 0.2}, {"contrast", -1.0}}, in);
  CHECK(values<std::uint8_t>(flat) == std::vector<std::uint8_t>{51, 51, 51, 51});
}

TEST_CASE("brightness_contrast: the lookup table equals the formula on every 8-bit value") {
  cv::Mat all(16, 16, CV_8UC1);
  for (int i = 0; i < 256; ++i) all.data[i] = static_cast<std::uint8_t>(i);
  for (const auto& [b, c] : std::vector<std::pair<double, double>>{{0.13, -0.27}, {-0.31, 0.9}, {0.0, 0.0}}) {
    const cv::Mat out = augment::image::adjust_brightness_contrast(all, b, c);
    for (int i = 0; i < 256; ++i)
      CHECK(out.data[i] == cv::saturate_cast<std::uint8_t>((1 + c) * i + b * 255.0));
  }
}

TEST_CASE("brightness_contrast: 16-bit and float images, alpha untouched") {
  const cv::Mat u16 = mat<std::uint16_t>(1, 4, CV_16UC1, {0, 1000, 30000, 65535});
  auto [o16, r1] = run({{"op", "brightness_contrast"}, {"brightness", 0.2}, {"contrast", 0.5}}, u16);
  CHECK(values<std::uint16_t>(o16) == std::vector<std::uint16_t>{13107, 14607, 58107, 65535});

  const cv::Mat f32 = mat<float>(1, 4, CV_32FC1, {0.0f, 0.25f, 0.5f, 1.0f});
  auto [of, r2] = run({{"op", "brightness_contrast"}, {"brightness", 0.1}, {"contrast", 0.5}}, f32);
  const auto v = values<float>(of);
  CHECK(v[0] == doctest::Approx(0.1));
  CHECK(v[1] == doctest::Approx(0.475));
  CHECK(v[2] == doctest::Approx(0.85));
  CHECK(v[3] == 1.0f);  // clipped

  const cv::Mat bgra = mat<std::uint8_t>(1, 2, CV_8UC4, {10, 20, 30, 40, 200, 210, 220, 7});
  auto [o4, r3] = run({{"op", "brightness_contrast"}, {"brightness", 0.2}, {"contrast", 0.0}}, bgra);
  CHECK(values<std::uint8_t>(o4) == std::vector<std::uint8_t>{61, 71, 81, 40, 251, 255, 255, 7});

  const cv::Mat bgra16 = mat<std::uint16_t>(1, 1, CV_16UC4, {100, 200, 300, 400});
  auto [o416, r4] = run({{"op", "brightness_contrast"}, {"brightness", 0.0}, {"contrast", 1.0}}, bgra16);
  CHECK(values<std::uint16_t>(o416) == std::vector<std::uint16_t>{200, 400, 600, 400});
}

TEST_CASE("brightness_contrast: drawn values lie in the ranges and replay") {
  const Pipeline p = pipeline({{"op", "brightness_contrast"}, {"brightness", {-0.3, 0.1}}, {"contrast", {0.2, 0.4}}});
  const cv::Mat in = random_image(8, 9, CV_8UC3, 1);
  for (int i = 0; i < 50; ++i) {
    Sample s = make_sample(Image(in));
    const json record = p.run(s, Rng::derive(3, std::to_string(i), 0, 0));
    const double b = record[0]["params"]["brightness"], c = record[0]["params"]["contrast"];
    CHECK(b >= -0.3);
    CHECK(b < 0.1);
    CHECK(c >= 0.2);
    CHECK(c < 0.4);
    CHECK(same(image_of(s).pixels(), augment::image::adjust_brightness_contrast(in, b, c)));
    Sample again = make_sample(Image(in));
    p.replay(again, json::parse(record.dump()));
    CHECK(same(image_of(again).pixels(), image_of(s).pixels()));
  }
}

// ---------------------------------------------------------------------------------------------
// gamma

TEST_CASE("gamma: the 8-bit lookup table equals 255·(x/255)^gamma") {
  cv::Mat all(1, 256, CV_8UC1);
  for (int i = 0; i < 256; ++i) all.data[i] = static_cast<std::uint8_t>(i);
  for (const double g : {0.5, 0.8, 1.0, 1.7, 3.0}) {
    INFO("gamma " << g);
    auto [out, record] = run({{"op", "gamma"}, {"gamma", g}}, all);
    CHECK(record["params"]["gamma"] == g);
    for (int i = 0; i < 256; ++i)
      CHECK(out.data[i] == cv::saturate_cast<std::uint8_t>(255.0 * std::pow(i / 255.0, g)));
  }
  // gamma 0.5 of 64: 255·sqrt(64/255) = 127.75 -> 128
  CHECK(augment::image::adjust_gamma(mat<std::uint8_t>(1, 1, CV_8UC1, {64}), 0.5).at<std::uint8_t>(0) == 128);
}

TEST_CASE("gamma: 16-bit and float images, alpha untouched") {
  const cv::Mat u16 = mat<std::uint16_t>(1, 4, CV_16UC1, {0, 1, 16384, 65535});
  const cv::Mat o16 = augment::image::adjust_gamma(u16, 2.0);
  const auto v16 = values<std::uint16_t>(o16);
  CHECK(v16[0] == 0);
  CHECK(v16[1] == 0);  // 65535·(1/65535)² rounds to 0
  CHECK(v16[2] == cv::saturate_cast<std::uint16_t>(65535.0 * std::pow(16384.0 / 65535.0, 2.0)));
  CHECK(v16[3] == 65535);

  const cv::Mat f32 = mat<float>(1, 4, CV_32FC1, {0.0f, 0.25f, 1.0f, -0.5f});
  const auto vf = values<float>(augment::image::adjust_gamma(f32, 0.5));
  CHECK(vf[0] == 0.0f);
  CHECK(vf[1] == doctest::Approx(0.5));
  CHECK(vf[2] == 1.0f);
  CHECK(vf[3] == 0.0f);  // clamped into [0, 1] first: no NaN

  const cv::Mat bgra = mat<std::uint8_t>(1, 1, CV_8UC4, {64, 64, 64, 64});
  CHECK(values<std::uint8_t>(augment::image::adjust_gamma(bgra, 0.5)) == std::vector<std::uint8_t>{128, 128, 128, 64});
}

TEST_CASE("gamma: a drawn gamma is recorded and replays") {
  const Pipeline p = pipeline({{"op", "gamma"}, {"gamma", {0.5, 2.0}}});
  const cv::Mat in = random_image(5, 7, CV_16UC3, 2);
  for (int i = 0; i < 20; ++i) {
    Sample s = make_sample(Image(in));
    const json record = p.run(s, Rng::derive(1, std::to_string(i), 0, 0));
    const double g = record[0]["params"]["gamma"];
    CHECK(g >= 0.5);
    CHECK(g < 2.0);
    CHECK(same(image_of(s).pixels(), augment::image::adjust_gamma(in, g)));
    Sample again = make_sample(Image(in));
    p.replay(again, record);
    CHECK(same(image_of(again).pixels(), image_of(s).pixels()));
  }
}

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

// ---------------------------------------------------------------------------------------------
// all six

TEST_CASE("photometric ops: registered for images, spec round trip, never write into a shared buffer") {
  const std::vector<json> stages = {
      {{"op", "brightness_contrast"}}, {{"op", "gamma"}}, {{"op", "gaussian_noise"}},
      {{"op", "gaussian_blur"}},       {{"op", "cutout"}}, {{"op", "color_jitter"}}};
  CHECK(registry().find("gaussian_noise", augment::Kind::image) != nullptr);
  CHECK(registry().find("gaussian_noise", augment::Kind::features) != nullptr);
  for (const json& stage : stages) {
    const std::string name = stage["op"];
    INFO(name);
    const augment::OpInfo* op = registry().find(name, augment::Kind::image);
    REQUIRE(op != nullptr);
    CHECK(op->output == augment::Kind::image);
    CHECK(op->random);
    for (const auto& param : op->params) CHECK_FALSE(param.doc.empty());

    const Pipeline p = pipeline(stage);
    const json spec = p.to_json();
    CHECK(Pipeline::from_json(spec, registry()).to_json() == spec);

    for (const int type : {CV_8UC1, CV_8UC3, CV_8UC4, CV_16UC3, CV_32FC3}) {
      const cv::Mat in = random_image(16, 16, type, 40);
      const cv::Mat keep = in.clone();
      Sample original = make_sample(Image(in));
      Sample copy = original;  // shares the pixel buffer, as the runner's copies do
      p.run(copy, Rng::derive(1, name, 0, 0));
      CHECK(same(image_of(original).pixels(), keep));
      CHECK(image_of(copy).pixels().type() == type);
      CHECK(image_of(copy).pixels().size() == in.size());
    }
  }
}

TEST_CASE("photometric ops: unsupported images are UsageErrors naming the stage") {
  const std::vector<std::string> names = {"brightness_contrast", "gamma",  "gaussian_noise",
                                          "gaussian_blur",       "cutout", "color_jitter"};
  for (const auto& name : names) {
    INFO(name);
    const Pipeline p = pipeline({{"op", name}});
    for (const int type : {CV_8UC2, CV_64FC3, CV_16SC1}) {
      Sample s = make_sample(Image(cv::Mat(4, 4, type, cv::Scalar::all(1))));
      try {
        p.run(s, Rng(1));
        FAIL("no error for type " << type);
      } catch (const augment::UsageError& e) {
        const std::string what = e.what();
        CHECK(what.find("stage 0 (" + name + ")") != std::string::npos);
        CHECK(what.find("1, 3 or 4 channels") != std::string::npos);
      }
    }
  }
}

TEST_CASE("photometric ops: pending geometry is applied before the pixels change") {
  const cv::Mat in = mat<std::uint8_t>(1, 3, CV_8UC1, {0, 100, 200});
  Image img(in);
  // A horizontal flip in the continuous coordinates: x' = 3 − x.
  img.push_affine(cv::Matx33d(-1, 0, 3, 0, 1, 0, 0, 0, 1), augment::image::WarpSettings{});
  Sample s = make_sample(img);
  pipeline({{"op", "brightness_contrast"}, {"brightness", 0.2}, {"contrast", 0.0}}).run(s, Rng(1));
  CHECK_FALSE(image_of(s).has_pending_geometry());
  CHECK(values<std::uint8_t>(image_of(s).pixels()) == std::vector<std::uint8_t>{251, 151, 51});
}
