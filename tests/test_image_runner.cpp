// Images through the dataset runner with their targets: a mask beside the image, boxes and
// keypoints from manifest columns, all moved by the same drawn params.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <opencv2/imgcodecs.hpp>

#include "augment/core/csv.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/image/register_transforms.hpp"
#include "augment/runner/run_dataset.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

TEST_CASE("image runner: hflip moves the mask beside the image and the manifest's boxes and keypoints") {
  const fs::path root = fs::temp_directory_path() / ("augment-image-runner-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "in");
  // 40x20 image with a bright rectangle over columns 4..11, rows 2..9; its mask labels it 7.
  cv::Mat pixels(20, 40, CV_8UC3, cv::Scalar::all(0)), mask(20, 40, CV_8UC1, cv::Scalar(0));
  pixels(cv::Rect(4, 2, 8, 8)).setTo(cv::Scalar::all(255));
  mask(cv::Rect(4, 2, 8, 8)).setTo(7);
  REQUIRE(cv::imwrite((root / "in" / "a.png").string(), pixels));
  REQUIRE(cv::imwrite((root / "in" / "a.mask.png").string(), mask));
  std::ofstream(root / "in" / "list.csv") << "path,boxes,keypoints,label\n"
                                          << "a.png,\"[[4,2,12,10,\"\"rect\"\"]]\",\"[[8,6]]\",cat\n";
  augment::Registry registry;
  augment::image::register_transforms(registry);
  const auto pipeline = augment::Pipeline::from_json({{"kind", "image"}, {"stages", {{{"op", "hflip"}}}}}, registry);
  augment::runner::DatasetRunOptions o;
  o.input = root / "in" / "list.csv";
  o.output = root / "out";
  const auto summary = augment::runner::run_dataset(pipeline, registry, o);
  CHECK(summary.failed == 0);
  CHECK(summary.written == 1);

  cv::Mat flipped_mask = cv::imread((root / "out" / "a.mask.png").string(), cv::IMREAD_UNCHANGED);
  REQUIRE_FALSE(flipped_mask.empty());
  cv::Mat expected;
  cv::flip(mask, expected, 1);  // columns 4..11 → 28..35
  CHECK(cv::countNonZero(flipped_mask != expected) == 0);

  augment::CsvReader manifest(root / "out" / "manifest.csv");
  CHECK(manifest.header() == std::vector<std::string>{"index", "path", "source", "copy", "boxes", "keypoints", "label", "params"});
  augment::CsvRow row;
  REQUIRE(manifest.next(row));
  // x' = 40 − x: the box [4, 12] → [28, 36], the keypoint 8 → 32; y unchanged; labels kept.
  CHECK(json::parse(row.fields[4]) == json::parse(R"([[28.0, 2.0, 36.0, 10.0, "rect"]])"));
  CHECK(json::parse(row.fields[5]) == json::parse("[[32.0, 6.0]]"));
  CHECK(row.fields[6] == "cat");
  fs::remove_all(root);
}

TEST_CASE("image runner: a mask of another size and a malformed boxes column are reported with the file") {
  const fs::path root = fs::temp_directory_path() / ("augment-image-runner-bad-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "in");
  REQUIRE(cv::imwrite((root / "in" / "a.png").string(), cv::Mat(20, 40, CV_8UC1, cv::Scalar(9))));
  REQUIRE(cv::imwrite((root / "in" / "a.mask.png").string(), cv::Mat(10, 10, CV_8UC1, cv::Scalar(1))));
  REQUIRE(cv::imwrite((root / "in" / "b.png").string(), cv::Mat(20, 40, CV_8UC1, cv::Scalar(9))));
  std::ofstream(root / "in" / "list.csv") << "path,boxes\na.png,[]\nb.png,\"[[5,5,1,1]]\"\n";
  augment::Registry registry;
  augment::image::register_transforms(registry);
  const auto pipeline = augment::Pipeline::from_json({{"kind", "image"}, {"stages", {{{"op", "vflip"}}}}}, registry);
  augment::runner::DatasetRunOptions o;
  o.input = root / "in" / "list.csv";
  o.output = root / "out";
  std::vector<std::string> errors;
  o.on_error = [&](const std::string& e) { errors.push_back(e); };
  CHECK(augment::runner::run_dataset(pipeline, registry, o).failed == 2);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0] == (root / "in" / "a.mask.png").string() + ": the mask is 10x10, the image 40x20");
  CHECK(errors[1] == (root / "in" / "b.png").string() + ": column 'boxes': a box needs x1 < x2 and y1 < y2, got [5,5,1,1]");
  fs::remove_all(root);
}
