// brightness_contrast and gamma against hand computations on 8-bit, 16-bit and float pixels.
#include "photometric_test_helpers.hpp"

using namespace photometric_test;  // NOLINT: the helpers of this family of tests

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

