// The optical_flow op: the frames become the flow fields between consecutive frames, frame k's
// field mapping frame k to frame k + 1 (k = 0..n-2). Pairs that straddle two clips of a sliding
// sample_clip are skipped: those frames were never next to each other.
#include <string>
#include <vector>

#include <tbb/parallel_for.h>

#include "augment/core/error.hpp"
#include "augment/video/optical_flow.hpp"
#include "register_groups.hpp"

namespace augment::video::detail {
namespace {

using nlohmann::json;

class OpticalFlow final : public Transform {
 public:
  OpticalFlow(const OpInfo& info, const json& settings) : Transform(info, settings) {
    settings_.method = settings["method"] == "farneback" ? FlowMethod::farneback : FlowMethod::dis;
    settings_.dis_preset = settings["preset"].get<std::string>();
    settings_.levels = settings["levels"].get<int>();
    settings_.window_size = settings["window_size"].get<int>();
    settings_.iterations = settings["iterations"].get<int>();
  }

  void apply(Sample& sample, const json&) const override {
    Video& video = video_of(sample);
    require_pixels(video, "optical_flow");
    std::vector<std::size_t> pairs;  // k: a field from frame k to frame k + 1
    for (std::size_t k = 0; k + 1 < video.frames.size(); ++k)
      if (video.frames[k].clip == video.frames[k + 1].clip) pairs.push_back(k);
    if (pairs.empty())
      throw DataError("optical flow needs two consecutive frames; the video has " +
                      std::to_string(video.frames.size()));
    video.load();
    video.settle();
    std::vector<Frame> fields(pairs.size());
    tbb::parallel_for(std::size_t{0}, pairs.size(), [&](std::size_t i) {
      const Frame& from = video.frames[pairs[i]];
      const Frame& to = video.frames[pairs[i] + 1];
      fields[i] = {.source_index = from.source_index, .flow_to = to.source_index, .clip = from.clip,
                   .pixels = compute_flow(from.pixels, to.pixels, settings_)};
    });
    video.frames = std::move(fields);
    video.content = FrameContent::flow;
  }

 private:
  FlowSettings settings_;
};

OpInfo optical_flow_op() {
  return {.name = "optical_flow", .input = Kind::video, .output = Kind::video,
          .doc = "Dense optical flow between consecutive frames (DIS or Farneback): n frames become n - 1 fields, "
                 "written as Middlebury .flo plus a colour-coded PNG, or as a colour-coded video.",
          .params = {{.name = "method", .type = ParamType::string, .default_value = "dis",
                      .choices = {"dis", "farneback"}, .doc = "OpenCV's DIS (fast) or Farneback"},
                     {.name = "preset", .type = ParamType::string, .default_value = "medium",
                      .choices = {"ultrafast", "fast", "medium"}, .doc = "DIS: speed against accuracy"},
                     {.name = "levels", .type = ParamType::integer, .default_value = 3, .minimum = 1.0,
                      .maximum = 10.0, .doc = "Farneback: pyramid levels"},
                     {.name = "window_size", .type = ParamType::integer, .default_value = 15, .minimum = 3.0,
                      .maximum = 101.0, .doc = "Farneback: averaging window, in pixels"},
                     {.name = "iterations", .type = ParamType::integer, .default_value = 3, .minimum = 1.0,
                      .maximum = 50.0, .doc = "Farneback: iterations per level"}},
          .create = make_transform<OpticalFlow>};
}

}  // namespace

void register_flow(Registry& registry) { registry.add(optical_flow_op()); }

}  // namespace augment::video::detail
