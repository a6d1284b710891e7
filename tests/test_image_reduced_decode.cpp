// Reduced JPEG decoding (augment/image/reduced_decode.hpp): which pipelines allow it, which
// scale it picks, that the pixels are libjpeg's scaled decode (OpenCV's IMREAD_REDUCED_* as the
// reference), that outputs keep the sizes of a full decode, and the tolerance the header states,
// measured against full decode + the same resize on the corpus photo enlarged to 3000×2000.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "augment/core/error.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/image/image_codec.hpp"
#include "augment/image/reduced_decode.hpp"
#include "augment/image/register_transforms.hpp"
#include "augment/runner/run_dataset.hpp"
#include "image_test_helpers.hpp"

namespace fs = std::filesystem;
using augment::Pipeline;
using augment::image::Image;
using augment::image::ImageCodec;
using augment::image::ImageReadOptions;
using augment::image::image_of;
using augment::image::reduced_decode_denominator;
using augment::image::reduced_decode_target;
using image_test::corpus;
using image_test::read_file;
using image_test::Scratch;
using image_test::write_file;
using nlohmann::json;
using Bytes = std::vector<std::uint8_t>;

namespace {

Pipeline image_pipeline(const json& stages) {
  return Pipeline::from_json({{"kind", "image"}, {"stages", stages}}, image_test::image_registry());
}

// The marker segment (FF xx, length, payload) of `code` in JPEG data, empty when absent.
Bytes segment(const Bytes& jpeg, std::uint8_t code) {
  for (std::size_t i = 2; i + 4 <= jpeg.size() && jpeg[i] == 0xFF;) {
    const std::size_t length = (std::size_t{jpeg[i + 2]} << 8) | jpeg[i + 3];
    if (jpeg[i + 1] == code) return Bytes(jpeg.begin() + static_cast<std::ptrdiff_t>(i),
                                          jpeg.begin() + static_cast<std::ptrdiff_t>(i + 2 + length));
    if (jpeg[i + 1] == 0xDA) break;
    i += 2 + length;
  }
  return {};
}

/// The corpus photo (home.jpg, 512×384) enlarged with cubic interpolation to `size` and written
/// as JPEG quality 95 (4:2:0) by OpenCV; with `exif_from` given, that file's EXIF segment is put
/// after the start-of-image marker (so the data carries its orientation).
Bytes large_photo(cv::Size size, const std::string& exif_from = "") {
  cv::Mat photo = augment::image::decode_image(read_file(corpus("home.jpg"))), large;
  cv::resize(photo, large, size, 0, 0, cv::INTER_CUBIC);
  Bytes out;
  REQUIRE(cv::imencode(".jpg", large, out, {cv::IMWRITE_JPEG_QUALITY, 95}));
  if (!exif_from.empty()) {
    const Bytes exif = segment(read_file(corpus(exif_from)), 0xE1);
    REQUIRE_FALSE(exif.empty());
    out.insert(out.begin() + 2, exif.begin(), exif.end());
  }
  return out;
}

const Bytes& photo_3000x2000() {
  static const Bytes bytes = large_photo({3000, 2000});
  return bytes;
}

/// Stored 3000×2000 with EXIF orientation 6: shown as 2000×3000.
const Bytes& portrait_2000x3000() {
  static const Bytes bytes = large_photo({3000, 2000}, "home-orientation-6.jpg");
  return bytes;
}

ImageCodec reducing_codec(const Pipeline& pipeline) {
  ImageReadOptions read;
  read.reduce_to = reduced_decode_target(pipeline);
  REQUIRE(read.reduce_to);
  return ImageCodec({}, read);
}

/// Runs `pipeline` (seed 1) on a copy of `source` and settles it with `codec`; returns the pixels.
cv::Mat run(const ImageCodec& codec, const Pipeline& pipeline, const augment::Sample& source) {
  augment::Sample sample = source;
  pipeline.run(sample, augment::Rng(1));
  codec.settle(sample);
  return image_of(sample).pixels();
}

struct Difference {
  double mean_abs;  // levels of 255, over every channel of every pixel
  double psnr;      // dB
};

Difference difference(const cv::Mat& a, const cv::Mat& b) {
  REQUIRE(a.size() == b.size());
  REQUIRE(a.type() == b.type());
  cv::Mat diff;
  cv::absdiff(a, b, diff);
  diff.convertTo(diff, CV_64F);
  const double count = static_cast<double>(diff.total()) * diff.channels();
  const cv::Scalar total = cv::sum(diff);
  const double mse = diff.dot(diff) / count;
  return {(total[0] + total[1] + total[2] + total[3]) / count, mse == 0 ? 99.0 : 10 * std::log10(255.0 * 255.0 / mse)};
}

}  // namespace

TEST_CASE("reduced decode: the scale is the largest whose decoded sides still reach the resize's output") {
  CHECK(reduced_decode_denominator({3000, 2000}, {512, 341}) == 4);  // 1/8 is 375×250: 250 < 341
  CHECK(reduced_decode_denominator({3000, 2000}, {375, 250}) == 8);  // exactly 1/8
  CHECK(reduced_decode_denominator({3000, 2000}, {376, 250}) == 4);
  CHECK(reduced_decode_denominator({3001, 2000}, {376, 250}) == 8);  // libjpeg rounds up: 3001/8 → 376
  CHECK(reduced_decode_denominator({3000, 2000}, {1500, 1000}) == 2);
  CHECK(reduced_decode_denominator({3000, 2000}, {1501, 1000}) == 1);
  CHECK(reduced_decode_denominator({500, 375}, {512, 384}) == 1);  // an enlargement
  CHECK(reduced_decode_denominator({2000, 3000}, {512, 512}) == 2);  // both sides count: 1000×1500
}

TEST_CASE("reduced decode: allowed when the first stage is a resize that always runs and averages") {
  const auto target = [](const json& stages) { return reduced_decode_target(image_pipeline(stages)); };
  const json rotate = {{"op", "rotate"}, {"degrees", json::array({-15, 15})}};

  const auto longest = target({{{"op", "resize_longest"}, {"size", 512}}, rotate});
  REQUIRE(longest);
  CHECK(longest({3000, 2000}) == cv::Size(512, 341));
  CHECK(longest({2000, 3000}) == cv::Size(341, 512));
  const auto shortest = target({{{"op", "resize_shortest"}, {"size", 256}, {"interpolation", "area"}}});
  REQUIRE(shortest);
  CHECK(shortest({3000, 2000}) == cv::Size(384, 256));
  const auto stretched = target({{{"op", "resize"}, {"width", 300}, {"height", 100}, {"interpolation", "cubic"}}});
  REQUIRE(stretched);
  CHECK(stretched({3000, 2000}) == cv::Size(300, 100));
  const auto letterbox = target({{{"op", "resize"}, {"width", 300}, {"height", 300}, {"letterbox", true}}});
  REQUIRE(letterbox);
  CHECK(letterbox({3000, 2000}) == cv::Size(300, 200));  // the scaled image, without the padding

  CHECK_FALSE(target({rotate, {{"op", "resize_longest"}, {"size", 512}}}));  // not first
  CHECK_FALSE(target({{{"op", "resize_longest"}, {"size", 512}, {"p", 0.5}}}));  // may be skipped
  CHECK_FALSE(target({{{"op", "resize_longest"}, {"size", 512}, {"interpolation", "nearest"}}}));
  CHECK_FALSE(target({{{"one_of", {{{"op", "resize_longest"}, {"size", 512}}, {{"op", "resize_shortest"}, {"size", 512}}}}}}));
  CHECK_FALSE(target({{{"op", "crop"}, {"width", 10}, {"height", 10}}}));
}

TEST_CASE("reduced decode: the pixels are libjpeg's scaled decode, the full size is recorded, targets keep the full decode") {
  Scratch dir("reduced");
  write_file(dir / "photo.jpg", photo_3000x2000());
  const ImageCodec codec = reducing_codec(image_pipeline({{{"op", "resize_longest"}, {"size", 512}}}));

  augment::Sample sample = codec.read(dir / "photo.jpg");
  Image& image = image_of(sample);
  CHECK(image.size() == cv::Size(750, 500));
  REQUIRE(image.reduced_from());
  CHECK(*image.reduced_from() == cv::Size(3000, 2000));
  // OpenCV's own reduced read asks libjpeg-turbo for the same scale.
  const cv::Mat reference = cv::imread((dir / "photo.jpg").string(), cv::IMREAD_REDUCED_COLOR_4);
  CHECK(image_test::same_pixels(image.pixels(), reference));
  CHECK(codec.read_settings() == "reduced JPEG decode");
  CHECK(ImageCodec().read_settings().empty());

  // Targets are in full-size pixels: a sample with any is decoded in full.
  const auto full_size = [&](const augment::Columns& columns) {
    augment::Sample s = codec.read_with_columns(dir / "photo.jpg", columns);
    return image_of(s).size() == cv::Size(3000, 2000) && !image_of(s).reduced_from();
  };
  CHECK_FALSE(full_size({}));
  CHECK_FALSE(full_size({{"boxes", ""}, {"keypoints", "[]"}, {"label", "house"}}));  // none to move
  CHECK(full_size({{"boxes", "[[10, 10, 20, 20]]"}}));
  CHECK(full_size({{"keypoints", "[[10, 10]]"}}));
  REQUIRE(cv::imwrite((dir / "photo.mask.png").string(), cv::Mat(2000, 3000, CV_8UC1, cv::Scalar(1))));
  CHECK(full_size({}));

  // Other formats are decoded in full.
  REQUIRE(cv::imwrite((dir / "small.png").string(), cv::Mat(2000, 3000, CV_8UC3, cv::Scalar(1, 2, 3))));
  augment::Sample png = codec.read(dir / "small.png");
  CHECK(image_of(png).size() == cv::Size(3000, 2000));
  CHECK_FALSE(image_of(png).reduced_from());
}

TEST_CASE("reduced decode: EXIF orientation still applies, the sides swapped for the scale") {
  Scratch dir("reduced_exif");
  write_file(dir / "portrait.jpg", portrait_2000x3000());
  const ImageCodec codec = reducing_codec(image_pipeline({{{"op", "resize_longest"}, {"size", 512}}}));
  augment::Sample sample = codec.read(dir / "portrait.jpg");
  const Image& image = image_of(sample);
  CHECK(image.size() == cv::Size(500, 750));
  REQUIRE(image.reduced_from());
  CHECK(*image.reduced_from() == cv::Size(2000, 3000));
  cv::Mat stored = cv::imread((dir / "portrait.jpg").string(), cv::IMREAD_REDUCED_COLOR_4 | cv::IMREAD_IGNORE_ORIENTATION);
  CHECK(image_test::same_pixels(image.pixels_before_geometry(), augment::image::apply_exif_orientation(stored, 6)));
}

TEST_CASE("reduced decode: every output has the size a full decode gives it") {
  Scratch dir("reduced_sizes");
  // 3001 wide: 1/8 is 376×250, whose own aspect would make resize_longest 375 give 375×249.
  write_file(dir / "odd.jpg", large_photo({3001, 2000}));
  write_file(dir / "portrait.jpg", portrait_2000x3000());
  const std::map<std::string, augment::Sample> full = {{"odd.jpg", ImageCodec().read(dir / "odd.jpg")},
                                                       {"portrait.jpg", ImageCodec().read(dir / "portrait.jpg")}};
  const json rotate = {{"op", "rotate"}, {"degrees", json::array({-15, 15})}};
  for (const json& first : {json{{"op", "resize_longest"}, {"size", 375}}, json{{"op", "resize_longest"}, {"size", 512}},
                            json{{"op", "resize_shortest"}, {"size", 250}},
                            json{{"op", "resize"}, {"width", 333}, {"height", 222}, {"letterbox", true}},
                            json{{"op", "resize"}, {"width", 320}, {"height", 240}}}) {
    const Pipeline pipeline = image_pipeline({first, rotate, {{"op", "hflip"}, {"p", 0.5}}});
    const ImageCodec reduced = reducing_codec(pipeline);
    for (const std::string name : {"odd.jpg", "portrait.jpg"}) {
      CAPTURE(first.dump());
      CAPTURE(name);
      const augment::Sample sample = reduced.read(dir / name);
      CHECK(image_of(sample).reduced_from());
      CHECK(run(reduced, pipeline, sample).size() == run(reduced, pipeline, full.at(name)).size());
    }
  }
}

// The bounds reduced_decode.hpp states, for each scale and interpolation: against full decode +
// the same resize, and against full decode + area (what a reduced decode approximates). The
// sizes include those where a sweep of resize_longest 150..1500 found the largest differences.
TEST_CASE("reduced decode: within the stated tolerance of a full decode, for every scale and interpolation") {
  Scratch dir("reduced_tolerance");
  write_file(dir / "photo.jpg", photo_3000x2000());
  const augment::Sample full = ImageCodec().read(dir / "photo.jpg");
  struct Bound {
    int denominator;
    std::string interpolation;
    double same_mean, same_psnr, area_mean, area_psnr;
  };
  const std::vector<Bound> bounds = {
      {2, "linear", 0.5, 48.5, 0.4, 50.5},  {2, "area", 0.4, 50.5, 0.4, 50.5},  {2, "cubic", 0.4, 50.5, 0.75, 45},
      {4, "linear", 1.6, 37.5, 1.05, 41.5}, {4, "area", 1.05, 41.5, 1.05, 41.5}, {4, "cubic", 1.05, 42, 1.5, 38.5},
      {8, "linear", 4.0, 29.5, 2.25, 34.5}, {8, "area", 2.25, 34.5, 2.25, 34.5}, {8, "cubic", 3.5, 30.5, 3.5, 31.5}};
  const std::map<int, std::vector<int>> sizes = {{2, {1024, 1200, 1494}}, {4, {402, 563, 745}}, {8, {192, 300, 374}}};
  for (const Bound& b : bounds) {
    for (const int size : sizes.at(b.denominator)) {
      CAPTURE(b.interpolation);
      CAPTURE(size);
      const Pipeline pipeline = image_pipeline({{{"op", "resize_longest"}, {"size", size}, {"interpolation", b.interpolation}}});
      const Pipeline area = image_pipeline({{{"op", "resize_longest"}, {"size", size}, {"interpolation", "area"}}});
      const ImageCodec reduced = reducing_codec(pipeline);
      const augment::Sample sample = reduced.read(dir / "photo.jpg");
      REQUIRE(image_of(sample).reduced_from());
      CHECK(image_of(sample).size() == cv::Size((3000 + b.denominator - 1) / b.denominator, 2000 / b.denominator));
      const cv::Mat fast = run(reduced, pipeline, sample);
      const Difference same = difference(fast, run(reduced, pipeline, full));
      const Difference to_area = difference(fast, run(reduced, area, full));
      CHECK(same.mean_abs <= b.same_mean);
      CHECK(same.psnr >= b.same_psnr);
      CHECK(to_area.mean_abs <= b.area_mean);
      CHECK(to_area.psnr >= b.area_psnr);
    }
  }
}

TEST_CASE("reduced decode: a portrait by EXIF orientation is as close to its full decode") {
  Scratch dir("reduced_tolerance_exif");
  write_file(dir / "portrait.jpg", portrait_2000x3000());
  const Pipeline pipeline = image_pipeline({{{"op", "resize_longest"}, {"size", 563}}});
  const ImageCodec reduced = reducing_codec(pipeline);
  const Difference same = difference(run(reduced, pipeline, reduced.read(dir / "portrait.jpg")),
                                     run(reduced, pipeline, ImageCodec().read(dir / "portrait.jpg")));
  CHECK(same.mean_abs <= 1.6);  // the 1/4 linear bound; a wrong orientation would be far off
  CHECK(same.psnr >= 37.5);
}

TEST_CASE("reduced decode: the dataset runner records it with the run's settings, so --resume never mixes the two") {
  Scratch dir("reduced_runner");
  fs::create_directories(dir / "in");
  write_file(dir / "in" / "photo.jpg", photo_3000x2000());
  const Pipeline pipeline = image_pipeline({{{"op", "resize_longest"}, {"size", 512}}});
  augment::Registry reducing;
  augment::image::register_transforms(reducing);
  reducing.replace_codec(std::make_shared<const ImageCodec>(reducing_codec(pipeline)));
  augment::runner::DatasetRunOptions o;
  o.input = dir / "in";
  o.output = dir / "out";
  REQUIRE(augment::runner::run_dataset(pipeline, reducing, o).written == 1);
  CHECK(cv::imread((dir / "out" / "photo.jpg").string()).size() == cv::Size(512, 341));

  o.resume = true;
  CHECK(augment::runner::run_dataset(pipeline, reducing, o).resumed == 1);
  CHECK_THROWS_WITH_AS(augment::runner::run_dataset(pipeline, image_test::image_registry(), o),
                       doctest::Contains("the earlier run used other settings (read)"), augment::UsageError);
}
