// What the six photometric ops share: registration, round trip, buffers, errors, pending geometry.
#include "photometric_test_helpers.hpp"

using namespace photometric_test;  // NOLINT: the helpers of this family of tests

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

