// The image channel norms: fitted statistics against a plain loop over every pixel, fitting in
// chunks and through Pipeline::fit, given (ImageNet) state, rescale and unit_norm.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "augment/core/error.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/image/channel_norm.hpp"
#include "augment/image/image.hpp"
#include "image_test_helpers.hpp"

using augment::image::Image;
using image_test::Op;
using image_test::random_pixels;
using image_test::same_pixels;
using nlohmann::json;

namespace {

struct PlainStats {
  std::vector<double> mean, std, min, max;
  std::uint64_t count = 0;
};

/// Per-channel mean, population std, min and max over every pixel of `images`, by a plain
/// two-pass loop in long double.
PlainStats plain_stats(const std::vector<cv::Mat>& images) {
  const int cn = images.front().channels();
  std::vector<long double> sum(cn, 0), squares(cn, 0);
  PlainStats s;
  s.min.assign(cn, std::numeric_limits<double>::infinity());
  s.max.assign(cn, -std::numeric_limits<double>::infinity());
  for (const cv::Mat& image : images) {
    cv::Mat d;
    image.convertTo(d, CV_64F);
    for (int y = 0; y < d.rows; ++y)
      for (int x = 0; x < d.cols; ++x)
        for (int c = 0; c < cn; ++c) {
          const double v = d.ptr<double>(y)[x * cn + c];
          sum[c] += v;
          s.min[c] = std::min(s.min[c], v);
          s.max[c] = std::max(s.max[c], v);
        }
    s.count += d.total();
  }
  for (int c = 0; c < cn; ++c) s.mean.push_back(static_cast<double>(sum[c] / static_cast<long double>(s.count)));
  for (const cv::Mat& image : images) {
    cv::Mat d;
    image.convertTo(d, CV_64F);
    for (int y = 0; y < d.rows; ++y)
      for (int x = 0; x < d.cols; ++x)
        for (int c = 0; c < cn; ++c) {
          const long double dev = d.ptr<double>(y)[x * cn + c] - s.mean[c];
          squares[c] += dev * dev;
        }
  }
  for (int c = 0; c < cn; ++c)
    s.std.push_back(static_cast<double>(std::sqrt(squares[c] / static_cast<long double>(s.count))));
  return s;
}

void check_close(const json& got, const std::vector<double>& expected, double relative = 1e-12) {
  REQUIRE(got.size() == expected.size());
  for (std::size_t c = 0; c < expected.size(); ++c) {
    CAPTURE(c);
    CHECK(got[c].get<double>() == doctest::Approx(expected[c]).epsilon(relative));
  }
}

json fit(const Op& op, const std::vector<cv::Mat>& images) {
  auto fitter = op.transform->make_fitter();
  for (const cv::Mat& m : images) fitter->add(augment::image::make_sample(Image(m)));
  return fitter->state();
}

/// Per-channel figures of B, G, R pixels in the state's default R, G, B order.
std::vector<double> rgb(std::vector<double> bgr) {
  if (bgr.size() >= 3) std::swap(bgr[0], bgr[2]);
  return bgr;
}

augment::Registry norm_registry() {
  augment::Registry r;
  r.add(augment::image::rescale_op());
  r.add(augment::image::standardize_op());
  r.add(augment::image::unit_norm_op());
  return r;
}

augment::OpenSampleBlocks blocks_of(const std::vector<cv::Mat>& images, std::size_t block_size) {
  return [&images, block_size]() -> augment::SampleBlockReader {
    return [&images, block_size, next = std::size_t{0}](std::vector<augment::Sample>& block) mutable {
      block.clear();
      while (next < images.size() && block.size() < block_size)
        block.push_back(augment::image::make_sample(Image(images[next++])));
      return !block.empty();
    };
  };
}

/// The value of channel c at (x, y) of a float image.
float at(const cv::Mat& m, int x, int y, int c) { return m.ptr<float>(y)[x * m.channels() + c]; }

}  // namespace

TEST_CASE("image standardize: fitted over two images equals mean and std over all their pixels") {
  const std::vector<cv::Mat> images = {random_pixels({40, 30}, CV_8UC3, 1), random_pixels({25, 20}, CV_8UC3, 2)};
  const Op op(augment::image::standardize_op(), json::object());
  CHECK(op.transform->needs_fit());
  CHECK_FALSE(op.transform->is_fitted());
  const json state = fit(op, images);
  const PlainStats expected = plain_stats(images);  // of the B, G, R planes
  check_close(state["mean"], rgb(expected.mean));   // written R, G, B
  check_close(state["std"], rgb(expected.std));
  CHECK(state["count"] == 40 * 30 + 25 * 20);

  op.transform->set_state(state);
  Image out = op.run(Image(images[1]));
  const cv::Mat& got = out.pixels();
  REQUIRE(got.type() == CV_32FC3);
  for (const auto& [x, y] : {std::pair{0, 0}, {24, 19}, {7, 11}})
    for (int c = 0; c < 3; ++c) {
      const double x_value = images[1].ptr<std::uint8_t>(y)[x * 3 + c];
      CHECK(at(got, x, y, c) == doctest::Approx((x_value - expected.mean[c]) / expected.std[c]).epsilon(1e-6));
    }
}

TEST_CASE("image standardize: 16-bit and float images, including a large offset") {
  SUBCASE("16-bit") {
    const std::vector<cv::Mat> images = {random_pixels({31, 17}, CV_16UC1, 3), random_pixels({8, 9}, CV_16UC1, 4)};
    const json state = fit(Op(augment::image::standardize_op(), json::object()), images);
    check_close(state["mean"], plain_stats(images).mean);
    check_close(state["std"], plain_stats(images).std);
  }
  SUBCASE("float near 1e6: no cancellation") {
    std::vector<cv::Mat> images = {random_pixels({50, 40}, CV_32FC3, 5), random_pixels({20, 10}, CV_32FC3, 6)};
    for (cv::Mat& m : images) m += cv::Scalar::all(1e6);  // float spacing at 1e6 is 1/16
    const json state = fit(Op(augment::image::standardize_op(), json::object()), images);
    const PlainStats expected = plain_stats(images);
    check_close(state["mean"], rgb(expected.mean));
    check_close(state["std"], rgb(expected.std), 1e-9);
    CHECK(state["std"][0].get<double>() > 0.2);
  }
}

TEST_CASE("image standardize: fitting in chunks equals fitting in one pass") {
  std::vector<cv::Mat> images;
  for (std::uint64_t i = 0; i < 7; ++i)
    images.push_back(random_pixels({10 + static_cast<int>(i) * 3, 12}, CV_8UC3, 10 + i));
  const Op op(augment::image::standardize_op(), json::object());
  const json whole = fit(op, images);

  auto first = op.transform->make_fitter();
  auto second = op.transform->make_fitter();
  for (std::size_t i = 0; i < images.size(); ++i)
    (i < 3 ? first : second)->add(augment::image::make_sample(Image(images[i])));
  first->merge(*second);
  const json merged = first->state();
  check_close(merged["mean"], whole["mean"].get<std::vector<double>>());
  check_close(merged["std"], whole["std"].get<std::vector<double>>());
  CHECK(merged["count"] == whole["count"]);

  // Through Pipeline::fit, in blocks of 1 and of 4.
  const augment::Registry registry = norm_registry();
  for (const std::size_t block : {std::size_t{1}, std::size_t{4}}) {
    CAPTURE(block);
    auto pipeline =
        augment::Pipeline::from_json({{"kind", "image"}, {"stages", {{{"op", "standardize"}}}}}, registry);
    CHECK(pipeline.unfitted_stages().size() == 1);
    pipeline.fit(blocks_of(images, block));
    const json state = pipeline.to_json()["stages"][0]["state"];
    check_close(state["mean"], whole["mean"].get<std::vector<double>>());
    check_close(state["std"], whole["std"].get<std::vector<double>>());
  }
}

TEST_CASE("image standardize: ImageNet statistics given as state, on the 0 to 1 scale via pixel_scale") {
  const json spec = {{"kind", "image"},
                     {"stages",
                      {{{"op", "standardize"},
                        {"pixel_scale", 1.0 / 255},
                        {"state", {{"mean", {0.485, 0.456, 0.406}}, {"std", {0.229, 0.224, 0.225}}}}}}}};
  const augment::Registry registry = norm_registry();  // outlives the pipeline, which points into it
  const auto pipeline = augment::Pipeline::from_json(spec, registry);
  CHECK(pipeline.unfitted_stages().empty());
  cv::Mat pixels(2, 2, CV_8UC3, cv::Scalar(0, 128, 255));  // B, G, R
  augment::Sample sample = augment::image::make_sample(Image(pixels));
  pipeline.preprocess(sample);
  Image& out = augment::image::image_of(sample);
  const cv::Mat& got = out.pixels();
  REQUIRE(got.type() == CV_32FC3);
  CHECK(at(got, 1, 1, 0) == doctest::Approx((0.0 - 0.406) / 0.225).epsilon(1e-6));
  CHECK(at(got, 1, 1, 1) == doctest::Approx((128.0 / 255 - 0.456) / 0.224).epsilon(1e-6));
  CHECK(at(got, 1, 1, 2) == doctest::Approx((1.0 - 0.485) / 0.229).epsilon(1e-6));
  // The state round-trips through the spec, in its order.
  CHECK(pipeline.to_json()["stages"][0]["state"]["mean"] == json({0.485, 0.456, 0.406}));
  CHECK(pipeline.to_json()["stages"][0]["order"] == "rgb");

  // A fitted state is in the same units: statistics of x * pixel_scale.
  const Op scaled(augment::image::standardize_op(), {{"pixel_scale", 0.5}});
  const std::vector<cv::Mat> images = {random_pixels({9, 9}, CV_8UC3, 20)};
  const json state = fit(scaled, images);
  const PlainStats raw = plain_stats(images);
  for (int c = 0; c < 3; ++c) {
    CHECK(state["mean"][c].get<double>() == doctest::Approx(rgb(raw.mean)[c] * 0.5).epsilon(1e-12));
    CHECK(state["std"][c].get<double>() == doctest::Approx(rgb(raw.std)[c] * 0.5).epsilon(1e-12));
  }
}

TEST_CASE("image standardize and rescale: order bgr takes and writes states in OpenCV's B, G, R order") {
  cv::Mat pixels(2, 2, CV_8UC3, cv::Scalar(0, 128, 255));  // B, G, R
  pixels.at<cv::Vec3b>(0, 0) = {10, 20, 30};
  for (const char* order : {"rgb", "bgr"}) {
    CAPTURE(order);
    const bool bgr = std::string(order) == "bgr";
    const Op standardize(augment::image::standardize_op(), {{"order", order}});
    standardize.transform->set_state({{"mean", {1, 2, 3}}, {"std", {1, 1, 1}}});
    Image out = standardize.run(Image(pixels));
    // The blue plane takes the first figure in bgr, the third in rgb.
    CHECK(at(out.pixels(), 1, 1, 0) == (bgr ? -1.0f : -3.0f));
    CHECK(at(out.pixels(), 1, 1, 1) == 126.0f);
    CHECK(at(out.pixels(), 1, 1, 2) == (bgr ? 252.0f : 254.0f));
    const json fitted = fit(Op(augment::image::rescale_op(), {{"order", order}}), {pixels});
    CHECK(fitted["data_min"] == (bgr ? json({0.0, 20.0, 30.0}) : json({30.0, 20.0, 0.0})));
    CHECK(fitted["data_max"] == (bgr ? json({10.0, 128.0, 255.0}) : json({255.0, 128.0, 10.0})));
    const Op rescale(augment::image::rescale_op(), {{"order", order}});
    rescale.transform->set_state(fitted);
    Image scaled = rescale.run(Image(pixels));
    CHECK(at(scaled.pixels(), 1, 1, 0) == 0.0f);  // blue 0 is its channel's minimum either way
    CHECK(at(scaled.pixels(), 0, 0, 2) == 0.0f);  // red 30 too
    CHECK(at(scaled.pixels(), 1, 1, 2) == 1.0f);
  }
  // One channel: no order changes anything.
  const Op gray(augment::image::standardize_op(), {{"order", "rgb"}});
  gray.transform->set_state({{"mean", {5}}, {"std", {2}}});
  CHECK(at(gray.run(Image(cv::Mat(1, 1, CV_8UC1, cv::Scalar(9)))).pixels(), 0, 0, 0) == 2.0f);
}

TEST_CASE("image standardize: channel mismatches, bad states and bad pixels are errors") {
  const Op op(augment::image::standardize_op(), json::object());
  op.transform->set_state({{"mean", {1, 2, 3}}, {"std", {1, 1, 1}}});
  augment::Sample gray = augment::image::make_sample(Image(random_pixels({4, 4}, CV_8UC1)));
  CHECK_THROWS_WITH_AS(op.run(gray), "the image has 1 channel, the stage's state has 3 channels", augment::UsageError);
  CHECK_THROWS_AS(op.transform->set_state({{"mean", {1, 2}}, {"std", {1}}}), std::invalid_argument);
  CHECK_THROWS_AS(op.transform->set_state({{"mean", {1}}, {"std", {-1}}}), std::invalid_argument);
  CHECK_THROWS_AS(augment::image::standardize_op().resolve({{"pixel_scale", 0}}), std::invalid_argument);

  auto fitter = op.transform->make_fitter();
  fitter->add(augment::image::make_sample(Image(random_pixels({4, 4}, CV_8UC3))));
  CHECK_THROWS_WITH_AS(fitter->add(gray), "the image has 1 channel, earlier images had 3 channels", augment::DataError);
  cv::Mat bad(3, 3, CV_32FC1, cv::Scalar(0.5));
  bad.at<float>(1, 1) = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_AS(op.transform->make_fitter()->add(augment::image::make_sample(Image(bad))), augment::DataError);
  CHECK_THROWS_AS(op.transform->make_fitter()->state(), std::invalid_argument);
}

TEST_CASE("image standardize: a constant channel is only centred") {
  const Op op(augment::image::standardize_op(), json::object());
  cv::Mat pixels(5, 5, CV_8UC3, cv::Scalar(10, 20, 30));
  pixels.at<cv::Vec3b>(0, 0) = {0, 20, 30};  // channel 0 varies, 1 and 2 are constant
  const json state = fit(op, {pixels});
  CHECK(state["std"][1] == 0.0);
  CHECK(state["std"][0] == 0.0);  // R, the third plane
  op.transform->set_state(state);
  Image out = op.run(Image(pixels));
  CHECK(at(out.pixels(), 3, 3, 1) == 0.0f);
  CHECK(at(out.pixels(), 3, 3, 2) == 0.0f);
  CHECK(std::isfinite(at(out.pixels(), 3, 3, 0)));
}

TEST_CASE("image fitters see pending geometry applied, and never change the sample") {
  const cv::Mat pixels = random_pixels({20, 10}, CV_8UC1, 30);
  Image image(pixels);
  image.push_affine(cv::Matx33d(1, 0, 5, 0, 1, 0, 0, 0, 1), {});  // 5 px right: 5 black columns
  const Op op(augment::image::rescale_op(), json::object());
  auto fitter = op.transform->make_fitter();
  fitter->add(augment::image::make_sample(image));
  cv::Mat warped;
  cv::warpAffine(pixels, warped, cv::Matx23d(1, 0, 5, 0, 1, 0), pixels.size());
  double lo = 0, hi = 0;
  cv::minMaxLoc(warped, &lo, &hi);
  CHECK(fitter->state()["data_min"][0] == 0.0);
  CHECK(fitter->state()["data_max"][0] == hi);
  CHECK(image.has_pending_geometry());
}

TEST_CASE("image rescale: each channel's fitted min and max map to the target range") {
  cv::Mat a(4, 4, CV_8UC3, cv::Scalar(50, 0, 7)), b(3, 3, CV_8UC3, cv::Scalar(200, 255, 7));
  a.at<cv::Vec3b>(0, 0) = {10, 100, 7};
  const Op op(augment::image::rescale_op(), {{"min", -1}, {"max", 1}});
  const json state = fit(op, {a, b});
  CHECK(state["data_min"] == json({7.0, 0.0, 10.0}));  // R, G, B of planes B 10..200, G 0..255, R 7
  CHECK(state["data_max"] == json({7.0, 255.0, 200.0}));
  CHECK(state["count"] == 25);
  op.transform->set_state(state);
  Image out = op.run(Image(a));
  const cv::Mat& got = out.pixels();
  REQUIRE(got.type() == CV_32FC3);
  CHECK(at(got, 0, 0, 0) == doctest::Approx(-1));                       // 10 is the minimum
  CHECK(at(got, 1, 0, 0) == doctest::Approx(-1 + 2 * 40.0 / 190));      // 50
  CHECK(at(got, 0, 0, 1) == doctest::Approx(-1 + 2 * 100.0 / 255));     // 100
  CHECK(at(got, 1, 1, 2) == doctest::Approx(-1));                       // constant channel -> min
  Image top = op.run(Image(b));
  CHECK(at(top.pixels(), 2, 2, 0) == doctest::Approx(1));
  CHECK(at(top.pixels(), 2, 2, 1) == doctest::Approx(1));

  // Given state, with clipping of values outside it.
  const Op clipped(augment::image::rescale_op(), {{"clip", true}});
  clipped.transform->set_state({{"data_min", {100}}, {"data_max", {200}}});
  cv::Mat gray(1, 3, CV_16UC1);
  gray.at<std::uint16_t>(0, 0) = 50;
  gray.at<std::uint16_t>(0, 1) = 150;
  gray.at<std::uint16_t>(0, 2) = 250;
  Image c = clipped.run(Image(gray));
  CHECK(at(c.pixels(), 0, 0, 0) == 0.0f);
  CHECK(at(c.pixels(), 1, 0, 0) == doctest::Approx(0.5));
  CHECK(at(c.pixels(), 2, 0, 0) == 1.0f);
  CHECK_THROWS_AS(augment::image::rescale_op().resolve({{"min", 1}, {"max", 1}}), std::invalid_argument);
  CHECK_THROWS_AS(clipped.transform->set_state({{"data_min", {2}}, {"data_max", {1}}}), std::invalid_argument);
}

TEST_CASE("image unit_norm: the whole image by its L2, L1 or max norm") {
  const cv::Mat pixels = random_pixels({16, 9}, CV_8UC3, 40);
  cv::Mat d;
  pixels.convertTo(d, CV_64F);
  const double l2 = std::sqrt(d.dot(d)), l1 = cv::sum(d)[0] + cv::sum(d)[1] + cv::sum(d)[2];
  double max_value = 0;
  cv::minMaxLoc(d.reshape(1), nullptr, &max_value);
  for (const auto& [name, norm] : {std::pair{"l2", l2}, {"l1", l1}, {"max", max_value}}) {
    CAPTURE(name);
    const Op op(augment::image::unit_norm_op(), {{"norm", name}});
    CHECK_FALSE(op.transform->needs_fit());
    Image out = op.run(Image(pixels));
    const cv::Mat& got = out.pixels();
    REQUIRE(got.type() == CV_32FC3);
    for (const auto& [x, y] : {std::pair{0, 0}, {15, 8}, {3, 4}})
      for (int c = 0; c < 3; ++c)
        CHECK(at(got, x, y, c) == doctest::Approx(pixels.ptr<std::uint8_t>(y)[x * 3 + c] / norm).epsilon(1e-6));
  }
  Image l2_out = Op(augment::image::unit_norm_op(), json::object()).run(Image(pixels));
  CHECK(cv::norm(l2_out.pixels(), cv::NORM_L2) == doctest::Approx(1).epsilon(1e-6));
  // An all-zero image stays zero (as float).
  Image zero = Op(augment::image::unit_norm_op(), json::object()).run(Image(cv::Mat::zeros(3, 3, CV_16UC1)));
  CHECK(zero.pixels().type() == CV_32FC1);
  CHECK(cv::countNonZero(zero.pixels()) == 0);
}

TEST_CASE("image channel norms write a new buffer, never the one shared with other copies") {
  const cv::Mat source = random_pixels({6, 5}, CV_32FC3, 50);
  const cv::Mat before = source.clone();
  Image shared(source);  // shares the buffer, as the runner's copies of one decoded sample do
  Op(augment::image::unit_norm_op(), json::object()).run(shared);
  const Op op(augment::image::standardize_op(), json::object());
  op.transform->set_state({{"mean", {1, 2, 3}}, {"std", {2, 2, 2}}});
  op.run(shared);
  CHECK(same_pixels(source, before));
}
