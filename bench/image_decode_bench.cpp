// JPEG decoding cost: augment's strict decoder (libjpeg-turbo directly, warnings as errors, the
// size checked from the header, EXIF orientation read) against cv::imdecode(IMREAD_UNCHANGED) on
// the same bytes of corpora/images/home.jpg (512×384, baseline 4:2:0), one thread. Both give the
// same pixels; the strict path should cost no more than a few percent over imdecode.
// BM_interleaved times both in every iteration (thread CPU time around each call) so that the
// machine's load drifting between two separate benchmarks does not weigh on one side only; its
// ratio is the one to quote. Prints the ratios after Google Benchmark's table.
#include <benchmark/benchmark.h>

#include <ctime>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "augment/image/image_codec.hpp"
#include "opencv_build_info.hpp"
#include "ratio_reporter.hpp"

namespace {

const std::vector<std::uint8_t>& photo_bytes() {
  static const std::vector<std::uint8_t> bytes = [] {
    std::ifstream in(std::filesystem::path(AUGMENT_SOURCE_DIR) / "corpora" / "images" / "home.jpg", std::ios::binary);
    return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }();
  return bytes;
}

void BM_decode_image_jpeg(benchmark::State& state) {
  const auto& bytes = photo_bytes();
  for (auto _ : state) {
    cv::Mat pixels = augment::image::decode_image(bytes);
    benchmark::DoNotOptimize(pixels.data);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_imdecode_jpeg(benchmark::State& state) {
  const auto& bytes = photo_bytes();
  const cv::Mat encoded(1, static_cast<int>(bytes.size()), CV_8U, const_cast<std::uint8_t*>(bytes.data()));
  for (auto _ : state) {
    cv::Mat pixels = cv::imdecode(encoded, cv::IMREAD_UNCHANGED);
    benchmark::DoNotOptimize(pixels.data);
  }
  state.SetItemsProcessed(state.iterations());
}

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

double interleaved_ratio = 0;

void BM_interleaved(benchmark::State& state) {
  const auto& bytes = photo_bytes();
  const cv::Mat encoded(1, static_cast<int>(bytes.size()), CV_8U, const_cast<std::uint8_t*>(bytes.data()));
  double ours = 0, theirs = 0;
  for (auto _ : state) {
    const double t0 = thread_cpu_seconds();
    cv::Mat a = augment::image::decode_image(bytes);
    const double t1 = thread_cpu_seconds();
    cv::Mat b = cv::imdecode(encoded, cv::IMREAD_UNCHANGED);
    const double t2 = thread_cpu_seconds();
    benchmark::DoNotOptimize(a.data);
    benchmark::DoNotOptimize(b.data);
    ours += t1 - t0;
    theirs += t2 - t1;
  }
  state.counters["ratio"] = theirs > 0 ? ours / theirs : 0;
  interleaved_ratio = state.counters["ratio"];
}

}  // namespace

int main(int argc, char** argv) {
  cv::setNumThreads(1);
  if (photo_bytes().empty()) {
    std::fprintf(stderr, "image_decode_bench: cannot read corpora/images/home.jpg\n");
    return 1;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RegisterBenchmark("BM_decode_image_jpeg", BM_decode_image_jpeg)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_imdecode_jpeg", BM_imdecode_jpeg)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_interleaved", BM_interleaved)->Unit(benchmark::kMicrosecond);

  const cv::Mat decoded = augment::image::decode_image(photo_bytes());
  std::printf("photo: home.jpg (%dx%d, %zu bytes), OpenCV %s (%s)\n", decoded.cols, decoded.rows, photo_bytes().size(),
              CV_VERSION, augment::bench::opencv_parallel_framework().c_str());
  std::fflush(stdout);
  augment::bench::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  const double ours = reporter.cpu("BM_decode_image_jpeg"), theirs = reporter.cpu("BM_imdecode_jpeg");
  std::printf("\nratios (CPU time):\n");
  if (interleaved_ratio > 0)
    std::printf("%-44s %s = %.3fx   (%s)\n", "strict JPEG decode / imdecode, interleaved:", "BM_interleaved",
                interleaved_ratio, "goal <= 1.05x");
  if (ours > 0 && theirs > 0)
    std::printf("%-44s %s / %s = %.3fx\n", "the same, separate benchmarks:", "BM_decode_image_jpeg",
                "BM_imdecode_jpeg", ours / theirs);
  return 0;
}
