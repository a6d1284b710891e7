// Training from a folder of images: labels from class subfolders, the pipeline's deterministic
// prefix kept, a random suffix drawn per (seed, key, epoch), tensors checked against the model's
// input shape, and the same checkpoint bytes with or without the producer thread.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include <opencv2/imgcodecs.hpp>

#include <nlohmann/json.hpp>

#include "augment/core/error.hpp"
#include "augment/core/tensor.hpp"
#include "augment/features/register_transforms.hpp"
#include "augment/features/tensor_codec.hpp"
#include "augment/image/register_transforms.hpp"
#include "augment/image/to_tensor.hpp"
#include "augment/trainer/trainer.hpp"
#include "fixture_table.hpp"

namespace fs = std::filesystem;
namespace tr = augment::trainer;
using augment_test::read_bytes;
using augment_test::TempDir;
using augment_test::write_bytes;
using nlohmann::json;

namespace {

const augment::Registry& image_registry() {
  static const augment::Registry registry =
      augment::make_registry({augment::features::register_transforms, augment::image::register_transforms});
  return registry;
}

// 12×12 gray images: class "h" has a bright horizontal bar, "v" a vertical one, at a random
// place, over noise. 40 per class.
void write_bars(const fs::path& root) {
  augment::Rng rng(5);
  for (const std::string label : {"h", "v"}) {
    fs::create_directories(root / label);
    for (int n = 0; n < 40; ++n) {
      cv::Mat image(12, 12, CV_8UC1);
      for (int y = 0; y < 12; ++y)
        for (int x = 0; x < 12; ++x) image.at<std::uint8_t>(y, x) = static_cast<std::uint8_t>(rng.index(60));
      const int at = 2 + static_cast<int>(rng.index(8));
      for (int k = 0; k < 12; ++k) (label == "h" ? image.at<std::uint8_t>(at, k) : image.at<std::uint8_t>(k, at)) = 250;
      cv::imwrite((root / label / ("b" + std::to_string(n) + ".png")).string(), image);
    }
  }
}

json bars_config() {
  return {{"seed", 4},
          {"data", {{"file", "bars"}, {"targets", {"label"}}, {"validation", {{"fraction", 0.25}}}}},
          {"pipeline",
           {{"kind", "image"},
            {"stages",
             {{{"op", "resize"}, {"width", 10}, {"height", 10}, {"interpolation", "area"}},
              {{"op", "hflip"}, {"p", 0.5}},
              {{"op", "to_tensor"}}}}}},
          {"model",
           {{"trunk",
             {{{"type", "conv2d"}, {"out_channels", 4}, {"kernel", 3}},
              {{"type", "relu"}},
              {{"type", "max_pool2d"}, {"kernel", 2}},
              {{"type", "flatten"}}}},
            {"heads", {{{"name", "label"}, {"targets", {"label"}}, {"layers", {{{"type", "dense"}}}}}}}}},
          {"optimizer", {{"type", "adam"}, {"lr", 0.02}}},
          {"epochs", 8},
          {"batch_size", 8}};
}

tr::TrainResult run(const json& config, const fs::path& dir, const std::string& output, std::size_t prefetch) {
  auto c = tr::TrainConfig::from_json(config, dir, &image_registry());
  c.output = output.empty() ? fs::path() : dir / output;
  c.fit.prefetch = prefetch;
  return tr::train(c);
}

}  // namespace

TEST_CASE("to_tensor: an image becomes C×H×W, RGB and [0, 1] by default") {
  // A 1×2 BGR image: pixel 0 = (B 10, G 20, R 30), pixel 1 = (B 40, G 50, R 255).
  cv::Mat pixels(1, 2, CV_8UC3);
  pixels.at<cv::Vec3b>(0, 0) = {10, 20, 30};
  pixels.at<cv::Vec3b>(0, 1) = {40, 50, 255};
  augment::image::Image image(pixels);
  const augment::Tensor rgb = augment::image::image_to_tensor(image, augment::image::ChannelOrder::rgb, true);
  CHECK(rgb.shape == std::vector<std::size_t>{3, 1, 2});
  const std::vector<float> want{30 / 255.f, 1.f, 20 / 255.f, 50 / 255.f, 10 / 255.f, 40 / 255.f};
  REQUIRE(rgb.values.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) CHECK(rgb.values[i] == doctest::Approx(want[i]).epsilon(1e-7));
  const augment::Tensor bgr = augment::image::image_to_tensor(image, augment::image::ChannelOrder::bgr, false);
  CHECK(bgr.values == std::vector<float>{10, 40, 20, 50, 30, 255});
}

TEST_CASE("tensor .npy: numpy's header layout, a round trip, and damaged files refused") {
  augment::Tensor t;
  t.shape = {2, 3};
  t.values = {0, 1, 2, 3, 4.5f, -6};
  const auto bytes = augment::encode_tensor_npy(t);
  // numpy.save(np.float32 (2, 3)): 10 bytes of magic, version and length, a dict padded with
  // spaces to end in a newline at byte 128, then the data.
  REQUIRE(bytes.size() == 128 + 6 * 4);
  const std::string header(bytes.begin() + 10, bytes.begin() + 128);
  CHECK(header.starts_with("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"));
  CHECK(header.back() == '\n');
  const augment::Tensor back = augment::decode_tensor_npy(bytes);
  CHECK(back.shape == t.shape);
  CHECK(back.values == t.values);
  auto cut = bytes;
  cut.pop_back();
  CHECK_THROWS_AS(augment::decode_tensor_npy(cut), augment::DataError);
  auto nan = bytes;
  nan[128] = 0, nan[129] = 0, nan[130] = 0xC0, nan[131] = 0x7F;
  CHECK_THROWS_AS(augment::decode_tensor_npy(nan), augment::DataError);
}

TEST_CASE("tensor files: TensorCodec writes what it reads back, and a damaged file names itself") {
  TempDir dir("tensor_codec");
  const augment::features::TensorCodec codec;
  augment::Tensor t;
  t.shape = {2, 1, 3};
  t.values = {0.5f, -1, 2, 3, 4, 1e-3f};
  std::ostringstream out;
  codec.write(augment::make_sample(t), ".npy", out);
  const std::string bytes = out.str();
  CHECK(bytes.size() == 128 + 6 * 4);
  {
    std::ofstream file(dir / "t.npy", std::ios::binary);
    file << bytes;
  }
  const augment::Sample back = codec.read(dir / "t.npy");
  CHECK(augment::tensor_of(back).shape == t.shape);
  CHECK(augment::tensor_of(back).values == t.values);
  CHECK(codec.output_extension(".png") == ".npy");
  {
    std::ofstream file(dir / "cut.npy", std::ios::binary);
    file << bytes.substr(0, bytes.size() - 3);
  }
  CHECK_THROWS_WITH_AS(codec.read(dir / "cut.npy"), doctest::Contains(((dir / "cut.npy").string() + ": ").c_str()),
                       augment::DataError);
}

TEST_CASE("training from a folder of images: labels from subfolders, learned, the same bytes with 0, 1 or 2 producers") {
  TempDir dir("train_bars");
  write_bars(dir / "bars");
  const auto a = run(bars_config(), dir.path(), "a", 0);
  REQUIRE(a.members.size() == 1);
  CHECK(a.train_rows == 60);
  CHECK(a.validation_rows == 20);
  REQUIRE(a.targets.size() == 1);
  CHECK(a.targets[0].labels == std::vector<std::string>{"h", "v"});
  const double accuracy = *a.members[0].validation.get("val_accuracy");
  CHECK(accuracy >= 0.9);  // bars are easy: a random guess scores 0.5
  const auto b = run(bars_config(), dir.path(), "b", 3);
  CHECK(read_bytes(dir / "a" / "model.ckpt") == read_bytes(dir / "b" / "model.ckpt"));
  json two = bars_config();
  two["producers"] = 2;
  run(two, dir.path(), "c", 3);
  CHECK(read_bytes(dir / "a" / "model.ckpt") == read_bytes(dir / "c" / "model.ckpt"));
}

TEST_CASE("training from files: a damaged file or one outside a class folder stops with its name") {
  TempDir dir("train_bars_bad");
  write_bars(dir / "bars");
  write_bytes(dir / "bars" / "h" / "broken.png", "\x89PNG\r\n\x1a\n not really");
  try {
    run(bars_config(), dir.path(), "", 0);
    FAIL("expected a DataError");
  } catch (const augment::DataError& e) {
    CHECK(std::string(e.what()).find("broken.png: ") != std::string::npos);
  }
  fs::remove(dir / "bars" / "h" / "broken.png");
  cv::imwrite((dir / "bars" / "loose.png").string(), cv::Mat(12, 12, CV_8UC1, cv::Scalar(0)));
  try {
    run(bars_config(), dir.path(), "", 0);
    FAIL("expected a DataError");
  } catch (const augment::DataError& e) {
    CHECK(std::string(e.what()).find("loose.png: not in a class subfolder") != std::string::npos);
  }
}

TEST_CASE("training from files: the model's input shape must be the pipeline's tensor shape") {
  TempDir dir("train_bars_shape");
  write_bars(dir / "bars");
  json config = bars_config();
  config["model"]["input_shape"] = {1, 12, 12};
  try {
    run(config, dir.path(), "", 0);
    FAIL("expected a SpecError");
  } catch (const augment::SpecError& e) {
    CHECK(std::string(e.what()) == "model.input_shape: [1,12,12], but the pipeline gives tensors of shape [1, 10, 10]");
  }
  json no_tensor = bars_config();
  no_tensor["pipeline"]["stages"].erase(2);
  CHECK_THROWS_AS(run(no_tensor, dir.path(), "", 0), augment::SpecError);
}

TEST_CASE("training from files: keys under data.root, so the data through a symlink trains the same checkpoint") {
  TempDir dir("train_bars_root");
  write_bars(dir / "data" / "bars");
  // A manifest beside the images, going up from its folder: keys are bars/h/b0.png, ...
  {
    fs::create_directories(dir / "data" / "lists");
    std::ofstream list(dir / "data" / "lists" / "all.csv");
    list << "path,label\n";
    for (int n = 0; n < 40; ++n)
      for (const std::string label : {"h", "v"}) list << "../bars/" << label << "/b" << n << ".png," << label << "\n";
  }
  fs::create_directory_symlink(dir / "data", dir / "link");
  auto through = [&](const std::string& base, const std::string& output) {
    json config = bars_config();
    config["epochs"] = 2;
    config["data"]["file"] = base + "/lists/all.csv";
    config["data"]["root"] = base;
    run(config, dir.path(), output, 0);
    return read_bytes(dir / output / "model.ckpt");
  };
  CHECK(through("data", "real") == through((dir / "link").string(), "linked"));
  // Without the root, ../ leaves the manifest's folder.
  json config = bars_config();
  config["data"]["file"] = "data/lists/all.csv";
  CHECK_THROWS_WITH_AS(run(config, dir.path(), "", 0), doctest::Contains("path leaves the manifest's folder: ../bars/h/b0.png"),
                       augment::DataError);
  // A class folder under a root above it keeps its classes.
  config = bars_config();
  config["epochs"] = 1;
  config["data"]["file"] = "data/bars";
  config["data"]["root"] = "data";
  CHECK(run(config, dir.path(), "", 0).targets[0].labels == std::vector<std::string>{"h", "v"});
}
