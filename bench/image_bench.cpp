// Image geometry cost on one 500×375 RGB photo, one thread (OpenCV's threading disabled with
// cv::setNumThreads(1); the runner parallelizes over samples instead).
//   - images/s of each geometry stage run alone through Pipeline::run, pixels included;
//   - rotate + scale + shear fused into one warp vs the same three stages warped one after
//     another (apply_geometry() between): fusion should make it ≥ 2.5× faster;
//   - hflip through the pipeline vs a raw cv::flip of the same photo: the pipeline machinery
//     (type-erased sample, JSON record, RNG streams) should cost < 20%.
// Prints those ratios after Google Benchmark's table.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "augment/core/pipeline.hpp"
#include "augment/core/registry.hpp"
#include "augment/image/affine.hpp"
#include "augment/image/image.hpp"
#include "augment/image/perspective.hpp"
#include "augment/image/register_transforms.hpp"
#include "opencv_build_info.hpp"
#include "ratio_reporter.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const cv::Size kPhotoSize(500, 375);
std::string photo_source;

// corpora/images/home.jpg (the corpus's benchmark photo, 512×384), else an OpenCV sample photo,
// else a synthetic picture; resized to 500×375 (the usual size of a Pascal VOC / COCO photo).
const cv::Mat& photo() {
  static const cv::Mat p = [] {
    cv::Mat m;
    for (const fs::path& candidate : {fs::path(AUGMENT_SOURCE_DIR) / "corpora" / "images" / "home.jpg",
                                     fs::path("/usr/share/doc/opencv-doc/examples/data/home.jpg"),
                                     fs::path("/usr/share/doc/opencv-doc/examples/data/fruits.jpg")}) {
      if (!fs::is_regular_file(candidate)) continue;
      m = cv::imread(candidate.string(), cv::IMREAD_COLOR);
      if (m.empty()) continue;
      photo_source = candidate.string();
      break;
    }
    if (m.empty()) {
      m.create(kPhotoSize, CV_8UC3);
      cv::randu(m, cv::Scalar::all(0), cv::Scalar::all(255));
      cv::GaussianBlur(m, m, {0, 0}, 3);
      cv::circle(m, {250, 190}, 90, cv::Scalar(40, 200, 90), cv::FILLED);
      photo_source = "synthetic";
    }
    if (m.size() != kPhotoSize) cv::resize(m, m, kPhotoSize, 0, 0, cv::INTER_AREA);
    return m;
  }();
  return p;
}

const augment::Registry& registry() {
  static const augment::Registry r = augment::make_registry({augment::image::register_transforms});
  return r;
}

augment::Pipeline pipeline(const json& stages) {
  return augment::Pipeline::from_json({{"kind", "image"}, {"stages", stages}}, registry());
}

const json kRotate = {{"op", "rotate"}, {"degrees", 20}};
const json kScale = {{"op", "scale"}, {"factor", 1.1}};
const json kShear = {{"op", "shear"}, {"x", 10}, {"y", 5}};

// Runs `p` on a fresh copy of the photo per iteration, warp included: images/s.
void run_on_photo(benchmark::State& state, const augment::Pipeline& p) {
  const cv::Mat& src = photo();
  std::uint64_t i = 0;
  for (auto _ : state) {
    augment::Sample s = augment::image::make_sample(augment::image::Image(src));
    benchmark::DoNotOptimize(p.run(s, augment::Rng(++i)));
    benchmark::DoNotOptimize(augment::image::image_of(s).pixels().data);
  }
  state.SetItemsProcessed(state.iterations());
}

// One geometry stage alone.
void BM_stage(benchmark::State& state, json stage) { run_on_photo(state, pipeline(json::array({std::move(stage)}))); }

void BM_rotate_scale_shear_fused(benchmark::State& state) {
  run_on_photo(state, pipeline(json::array({kRotate, kScale, kShear})));
}

void BM_rotate_scale_shear_separate(benchmark::State& state) {
  const augment::Pipeline stages[] = {pipeline(json::array({kRotate})), pipeline(json::array({kScale})),
                                      pipeline(json::array({kShear}))};
  const cv::Mat& src = photo();
  std::uint64_t i = 0;
  for (auto _ : state) {
    augment::Sample s = augment::image::make_sample(augment::image::Image(src));
    ++i;
    for (const auto& p : stages) {
      benchmark::DoNotOptimize(p.run(s, augment::Rng(i)));
      augment::image::image_of(s).apply_geometry();  // force the warp: no fusion
    }
    benchmark::DoNotOptimize(augment::image::image_of(s).pixels().data);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_hflip_pipeline(benchmark::State& state) { run_on_photo(state, pipeline(json::array({{{"op", "hflip"}}}))); }

void BM_hflip_raw_cv_flip(benchmark::State& state) {
  const cv::Mat& src = photo();
  for (auto _ : state) {
    cv::Mat out;
    cv::flip(src, out, 1);
    benchmark::DoNotOptimize(out.data);
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

int main(int argc, char** argv) {
  // OpenCV 4.6's parallel_for_ runs the body inline when the thread count set is 0 or 1; with 1
  // getNumThreads() also reports 1 under the TBB backend (with 0 it reports TBB's default).
  cv::setNumThreads(1);
  const std::vector<std::pair<std::string, json>> stages = {
      {"translate", {{"op", "translate"}, {"x", {-0.1, 0.1}}, {"y", {-0.1, 0.1}}}},
      {"scale", {{"op", "scale"}, {"factor", {0.8, 1.2}}}},
      {"hflip", {{"op", "hflip"}}},
      {"vflip", {{"op", "vflip"}}},
      {"rotate", {{"op", "rotate"}, {"degrees", {-30, 30}}}},
      {"rotate_90", {{"op", "rotate"}, {"degrees", 90}}},  // not square: interpolates
      {"shear", {{"op", "shear"}, {"x", {-15, 15}}, {"y", {-15, 15}}}},
      {"affine", {{"op", "affine"}, {"translate_x", {-0.1, 0.1}}, {"scale", {0.8, 1.2}}, {"rotate", {-30, 30}},
                  {"shear_x", {-10, 10}}}},
      {"perspective", {{"op", "perspective"}, {"scale", {0.05, 0.1}}}},
      {"rotate_cubic", {{"op", "rotate"}, {"degrees", {-30, 30}}, {"interpolation", "cubic"}}},
  };
  for (const auto& [name, stage] : stages)
    benchmark::RegisterBenchmark(("BM_stage/" + name).c_str(), BM_stage, stage)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_rotate_scale_shear_fused", BM_rotate_scale_shear_fused)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_rotate_scale_shear_separate", BM_rotate_scale_shear_separate)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_hflip_pipeline", BM_hflip_pipeline)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_hflip_raw_cv_flip", BM_hflip_raw_cv_flip)->Unit(benchmark::kMicrosecond);

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::printf("photo: %s (%dx%d), OpenCV %s (%s), threads %d\n", photo_source.c_str(), photo().cols, photo().rows,
              CV_VERSION, augment::bench::opencv_parallel_framework().c_str(), cv::getNumThreads());
  std::fflush(stdout);
  augment::bench::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  auto ratio = [&](const char* what, const char* slow, const char* fast, const char* goal) {
    const double a = reporter.cpu(slow), b = reporter.cpu(fast);
    if (a > 0 && b > 0) std::printf("%-44s %s / %s = %.2fx   (%s)\n", what, slow, fast, a / b, goal);
  };
  std::printf("\nratios (CPU time):\n");
  ratio("fusion speed-up, rotate+scale+shear:", "BM_rotate_scale_shear_separate", "BM_rotate_scale_shear_fused",
        "goal >= 2.5x");
  ratio("pipeline overhead, hflip:", "BM_hflip_pipeline", "BM_hflip_raw_cv_flip", "goal <= 1.2x");
  return 0;
}
