// Video decoding, sampling, optical flow and motion scores on corpora/video/vtest-clip.avi (the
// first 100 frames of OpenCV's vtest.avi, 768×576 MPEG-4; the whole vtest.avi from opencv-doc
// when the corpus is missing). OpenCV's own threading is off (cv::setNumThreads(1): the runner
// parallelizes over files); FFmpeg's decoder threads are FFmpeg's, the same in every benchmark,
// so everything is timed on the wall clock.
//   - raw OpenCV: cv::VideoCapture (FFmpeg, opened as our reader opens it) read() of every
//     frame: frames/s, the baseline;
//   - probe_video + Video::for_each_frame: our decode path. The probe decodes (grabs) every
//     frame once to count what decodes, so this is two passes; for_each_frame alone is timed too;
//   - decode + sample + augment: the codec's read (the probe), then a pipeline sample_uniform 16
//     → resize 224×224 → hflip (p 0.5), which decodes the 16 frames: source frames/s (frames in
//     the file per second of the whole pass);
//   - optical flow between consecutive frames at full resolution: Farneback and DIS per preset,
//     fields/s;
//   - MotionScorer per measure at width 64 (sample_motion's default) and 160: frames/s, frames
//     decoded beforehand.
// Prints frames/s and the ratios to raw OpenCV after Google Benchmark's table.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

#include "augment/core/pipeline.hpp"
#include "augment/core/registry.hpp"
#include "augment/image/register_transforms.hpp"
#include "augment/video/motion_score.hpp"
#include "augment/video/optical_flow.hpp"
#include "augment/video/register_transforms.hpp"
#include "augment/video/video.hpp"
#include "augment/video/video_reader.hpp"
#include "opencv_build_info.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using augment::video::FlowMethod;
using augment::video::FlowSettings;
using augment::video::MotionMeasure;

constexpr int kDecodedForCompute = 30;  // frames kept in memory for flow and motion scores

const fs::path& clip_path() {
  static const fs::path p = [] {
    for (const fs::path& candidate : {fs::path(AUGMENT_SOURCE_DIR) / "corpora" / "video" / "vtest-clip.avi",
                                     fs::path("/usr/share/doc/opencv-doc/examples/data/vtest.avi")})
      if (fs::is_regular_file(candidate)) return candidate;
    return fs::path();
  }();
  return p;
}

const augment::video::VideoInfo& clip_info() {
  static const augment::video::VideoInfo info = augment::video::probe_video(clip_path());
  return info;
}

// The first frames, decoded once (BGR).
const std::vector<cv::Mat>& clip_frames() {
  static const std::vector<cv::Mat> frames = [] {
    std::vector<cv::Mat> out;
    cv::VideoCapture capture(clip_path().string(), cv::CAP_FFMPEG);
    cv::Mat f;
    while (static_cast<int>(out.size()) < kDecodedForCompute && capture.read(f)) out.push_back(f.clone());
    return out;
  }();
  return frames;
}

const augment::Registry& registry() {
  static const augment::Registry r =
      augment::make_registry({augment::image::register_transforms, augment::video::register_transforms});
  return r;
}

void set_rate(benchmark::State& state, double frames_per_iteration) {
  state.counters["frames/s"] =
      benchmark::Counter(frames_per_iteration * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// As video_reader.cpp opens files: FFmpeg by name, no hardware decoding.
void BM_decode_raw_opencv(benchmark::State& state) {
  std::int64_t frames = 0;
  for (auto _ : state) {
    cv::VideoCapture capture(clip_path().string(), cv::CAP_FFMPEG,
                             {cv::CAP_PROP_HW_ACCELERATION, cv::VIDEO_ACCELERATION_NONE});
    cv::Mat f;
    frames = 0;
    while (capture.read(f)) ++frames;
    benchmark::DoNotOptimize(f.data);
  }
  set_rate(state, static_cast<double>(frames));
}

void BM_decode_probe_and_for_each_frame(benchmark::State& state) {
  for (auto _ : state) {
    const augment::video::Video video(
        std::make_shared<const augment::video::VideoInfo>(augment::video::probe_video(clip_path())));
    video.for_each_frame([](std::size_t, const cv::Mat& pixels) { benchmark::DoNotOptimize(pixels.data); });
  }
  set_rate(state, static_cast<double>(clip_info().decoded_frames));
}

void BM_decode_for_each_frame(benchmark::State& state) {
  const augment::video::Video video(std::make_shared<const augment::video::VideoInfo>(clip_info()));
  for (auto _ : state)
    video.for_each_frame([](std::size_t, const cv::Mat& pixels) { benchmark::DoNotOptimize(pixels.data); });
  set_rate(state, static_cast<double>(clip_info().decoded_frames));
}

void BM_pipeline_sample_resize_hflip(benchmark::State& state) {
  const augment::Pipeline pipeline = augment::Pipeline::from_json(
      {{"kind", "video"},
       {"stages", json::array({{{"op", "sample_uniform"}, {"n", 16}},
                               {{"op", "resize"}, {"width", 224}, {"height", 224}},
                               {{"op", "hflip"}, {"p", 0.5}}})}},
      registry());
  const augment::SampleCodec* codec = registry().codec_for(augment::Kind::video, clip_path().extension().string());
  if (codec == nullptr) {
    state.SkipWithError("no video codec registered");
    return;
  }
  std::uint64_t i = 0;
  for (auto _ : state) {
    augment::Sample sample = codec->read(clip_path());
    benchmark::DoNotOptimize(pipeline.run(sample, augment::Rng(++i)));
    const auto& video = sample.as<augment::video::Video>();
    if (!video.loaded()) state.SkipWithError("the pipeline left frames undecoded");
    benchmark::DoNotOptimize(video.frames.back().pixels.data);
  }
  set_rate(state, static_cast<double>(clip_info().decoded_frames));
}

// One field per iteration, cycling over consecutive pairs.
void BM_flow(benchmark::State& state, FlowSettings settings) {
  const auto& frames = clip_frames();
  std::size_t k = 0;
  for (auto _ : state) {
    const cv::Mat flow = augment::video::compute_flow(frames[k], frames[k + 1], settings);
    benchmark::DoNotOptimize(flow.data);
    k = (k + 1) % (frames.size() - 1);
  }
  set_rate(state, 1.0);
}

void BM_motion(benchmark::State& state, MotionMeasure measure, int width) {
  const auto& frames = clip_frames();
  for (auto _ : state) {
    augment::video::MotionScorer scorer(measure, width);
    double sum = 0;
    for (const cv::Mat& f : frames) sum += scorer.add(f);
    benchmark::DoNotOptimize(sum);
  }
  set_rate(state, static_cast<double>(frames.size()));
}

// Keeps each benchmark's frames/s (the median when repeated) for the summary.
class RateReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      const auto counter = r.counters.find("frames/s");
      if (counter == r.counters.end()) continue;
      std::string name = r.run_name.str();
      if (const auto at = name.rfind("/real_time"); at != std::string::npos) name.erase(at);
      const bool median = r.run_type == Run::RT_Aggregate && r.aggregate_name == "median";
      if (median || (r.run_type == Run::RT_Iteration && !medians_.count(name))) rate_[name] = counter->second.value;
      if (median) medians_[name] = true;
    }
    ConsoleReporter::ReportRuns(runs);
  }
  double rate(const std::string& name) const {
    const auto it = rate_.find(name);
    return it == rate_.end() ? 0.0 : it->second;
  }

 private:
  std::map<std::string, double> rate_;
  std::map<std::string, bool> medians_;
};

FlowSettings flow_settings(FlowMethod method, const std::string& preset) {
  FlowSettings s;
  s.method = method;
  s.dis_preset = preset;
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  cv::setNumThreads(1);
  if (clip_path().empty()) {
    std::fprintf(stderr, "video_bench: neither corpora/video/vtest-clip.avi (scripts/make-video-corpus) nor "
                         "opencv-doc's vtest.avi is there\n");
    return 1;
  }
  const auto real_time = [](benchmark::internal::Benchmark* b) { b->Unit(benchmark::kMillisecond)->UseRealTime(); };
  real_time(benchmark::RegisterBenchmark("BM_decode_raw_opencv", BM_decode_raw_opencv));
  real_time(benchmark::RegisterBenchmark("BM_decode_probe_and_for_each_frame", BM_decode_probe_and_for_each_frame));
  real_time(benchmark::RegisterBenchmark("BM_decode_for_each_frame", BM_decode_for_each_frame));
  real_time(benchmark::RegisterBenchmark("BM_pipeline_sample_resize_hflip", BM_pipeline_sample_resize_hflip));
  const std::vector<std::pair<std::string, FlowSettings>> flows = {
      {"farneback", flow_settings(FlowMethod::farneback, "medium")},
      {"dis_ultrafast", flow_settings(FlowMethod::dis, "ultrafast")},
      {"dis_fast", flow_settings(FlowMethod::dis, "fast")},
      {"dis_medium", flow_settings(FlowMethod::dis, "medium")},
  };
  for (const auto& [name, settings] : flows)
    real_time(benchmark::RegisterBenchmark(("BM_flow/" + name).c_str(), BM_flow, settings));
  const std::vector<std::tuple<std::string, MotionMeasure, int>> motions = {
      {"difference/64", MotionMeasure::difference, 64}, {"flow/64", MotionMeasure::flow, 64},
      {"content/64", MotionMeasure::content, 64},       {"difference/160", MotionMeasure::difference, 160},
      {"flow/160", MotionMeasure::flow, 160},           {"content/160", MotionMeasure::content, 160},
  };
  for (const auto& [name, measure, width] : motions)
    real_time(benchmark::RegisterBenchmark(("BM_motion/" + name).c_str(), BM_motion, measure, width));

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const auto& info = clip_info();
  std::printf("clip: %s (%dx%d, %lld frames, %s), OpenCV %s (%s), threads %d\n", clip_path().c_str(), info.width,
              info.height, static_cast<long long>(info.decoded_frames), info.fourcc.c_str(), CV_VERSION,
              augment::bench::opencv_parallel_framework().c_str(), cv::getNumThreads());
  std::fflush(stdout);
  RateReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  const double raw = reporter.rate("BM_decode_raw_opencv");
  std::printf("\nratios (frames/s, wall clock; augment / raw OpenCV read(), higher is faster):\n");
  const std::pair<const char*, const char*> decoded[] = {
      {"BM_decode_probe_and_for_each_frame", "probe_video + for_each_frame (two passes)"},
      {"BM_decode_for_each_frame", "for_each_frame, probed beforehand"},
      {"BM_pipeline_sample_resize_hflip", "read + sample_uniform 16 + resize + hflip"},
  };
  if (raw > 0) std::printf("  %-44s %9.0f frames/s\n", "raw OpenCV read() of every frame", raw);
  for (const auto& [name, label] : decoded)
    if (const double r = reporter.rate(name); r > 0 && raw > 0)
      std::printf("  %-44s %9.0f frames/s   %.2fx\n", label, r, r / raw);
  std::printf("\nthroughput (wall clock, OpenCV on one thread, %dx%d):\n", info.width, info.height);
  for (const auto& [name, settings] : flows)
    if (const double r = reporter.rate("BM_flow/" + name); r > 0)
      std::printf("  flow %-39s %9.1f fields/s\n", name.c_str(), r);
  for (const auto& [name, measure, width] : motions)
    if (const double r = reporter.rate("BM_motion/" + name); r > 0)
      std::printf("  motion score %-31s %9.0f frames/s\n", name.c_str(), r);
  return 0;
}
