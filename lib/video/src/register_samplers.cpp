// The frame samplers. Each keeps some of the current frames (positions 0..count-1 of what the
// stages before left), so they compose: scene_cuts then sample_uniform, sample_clip then
// sample_stride. What a sampler chose is in its params — drawn positions for the random ones,
// the positions a content-based one computed (motion, cuts) — so a run's record replays without
// decoding and tells which frames were kept.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "augment/core/error.hpp"
#include "augment/video/frame_sampling.hpp"
#include "augment/video/motion_score.hpp"
#include "register_groups.hpp"

namespace augment::video::detail {
namespace {

using nlohmann::json;

std::size_t size_setting(const json& settings, const char* name) { return settings[name].get<std::size_t>(); }

std::size_t frame_count(const Video& video) {
  if (video.frames.empty()) throw DataError("the video has no frames to sample");
  return video.frames.size();
}

// A frame position from params: an integer in [0, count).
std::size_t position_of(const json& p, std::size_t count, const char* what) {
  if (!p.is_number_integer() || p.get<std::int64_t>() < 0 || p.get<std::uint64_t>() >= count)
    throw UsageError(std::string(what) + " " + p.dump() + " is not one of the " + std::to_string(count) + " frames");
  return p.get<std::size_t>();
}

std::vector<std::size_t> positions_param(const json& params, std::size_t count) {
  if (!params.is_object() || !params.contains("positions") || !params["positions"].is_array())
    throw UsageError("params need a \"positions\" list, got " + params.dump());
  std::vector<std::size_t> positions;
  for (const json& p : params["positions"]) positions.push_back(position_of(p, count, "position"));
  return positions;
}

// --- sample_uniform ---

class SampleUniform final : public Transform {
 public:
  SampleUniform(const OpInfo& info, const json& settings)
      : Transform(info, settings), n_(size_setting(settings, "n")), random_(settings["mode"] == "random") {}
  bool is_random() const override { return random_; }
  json draw(Rng& rng, const Sample& sample) const override {
    if (!random_) return json::object();
    return {{"positions", uniform_positions_jittered(frame_count(video_of(sample)), n_, rng)}};
  }
  void apply(Sample& sample, const json& params) const override {
    Video& video = video_of(sample);
    const std::size_t count = frame_count(video);
    const auto positions = random_ ? positions_param(params, count) : uniform_positions(count, n_);
    keep_positions(video, positions);
  }

 private:
  std::size_t n_;
  bool random_;
};

OpInfo sample_uniform_op() {
  return {.name = "sample_uniform", .input = Kind::video, .output = Kind::video,
          .doc = "N frames spread evenly: the centre of each of n equal segments (mode center) or a random frame in "
                 "each (mode random); with n above the frame count, frames repeat in order so there are always n.",
          .params = {{.name = "n", .type = ParamType::integer, .required = true, .minimum = 1.0, .maximum = 1e6,
                      .doc = "frames to keep"},
                     {.name = "mode", .type = ParamType::string, .default_value = "center",
                      .choices = {"center", "random"}, .doc = "segment centres, or one random frame per segment"}},
          .random = true,
          .create = make_transform<SampleUniform>};
}

// --- sample_stride ---

class SampleStride final : public Transform {
 public:
  SampleStride(const OpInfo& info, const json& settings)
      : Transform(info, settings), step_(size_setting(settings, "step")), offset_(size_setting(settings, "offset")) {}
  void apply(Sample& sample, const json&) const override {
    Video& video = video_of(sample);
    const std::size_t count = frame_count(video);
    if (offset_ >= count)
      throw DataError("offset " + std::to_string(offset_) + " is past the last of the " + std::to_string(count) +
                      " frames");
    keep_positions(video, stride_positions(count, step_, offset_));
  }

 private:
  std::size_t step_, offset_;
};

OpInfo sample_stride_op() {
  return {.name = "sample_stride", .input = Kind::video, .output = Kind::video,
          .doc = "Every step-th frame, starting at offset.",
          .params = {{.name = "step", .type = ParamType::integer, .required = true, .minimum = 1.0, .maximum = 1e9,
                      .doc = "keep one frame in step"},
                     {.name = "offset", .type = ParamType::integer, .default_value = 0, .minimum = 0.0, .maximum = 1e9,
                      .doc = "the first frame kept"}},
          .create = make_transform<SampleStride>};
}

// --- sample_clip ---

class SampleClip final : public Transform {
 public:
  SampleClip(const OpInfo& info, const json& settings)
      : Transform(info, settings),
        length_(size_setting(settings, "length")),
        step_(size_setting(settings, "step")),
        stride_(size_setting(settings, "stride")),
        jitter_(size_setting(settings, "jitter")),
        mode_(settings["mode"].get<std::string>()) {
    if (stride_ == 0) stride_ = clip_span(length_, step_);
  }
  bool is_random() const override { return mode_ == "random" || (mode_ == "sliding" && jitter_ > 0); }

  json draw(Rng& rng, const Sample& sample) const override {
    if (!is_random()) return json::object();
    const std::size_t count = frame_count(video_of(sample));
    const std::size_t last_start = last_start_for(count);
    if (mode_ == "random") return {{"start", rng.integer(0, static_cast<std::int64_t>(last_start))}};
    // Sliding with jitter: each window start moves by up to `jitter` frames, staying in range.
    json starts = json::array();
    for (const std::size_t s : sliding_starts(count, clip_span(length_, step_), stride_)) {
      const auto lo = static_cast<std::int64_t>(s > jitter_ ? s - jitter_ : 0);
      const auto hi = static_cast<std::int64_t>(std::min(s + jitter_, last_start));
      starts.push_back(rng.integer(lo, std::max(lo, hi)));
    }
    return {{"starts", std::move(starts)}};
  }

  void apply(Sample& sample, const json& params) const override {
    Video& video = video_of(sample);
    const std::size_t count = frame_count(video);
    const std::vector<std::size_t> starts = window_starts(count, params);
    std::vector<std::size_t> positions;
    std::vector<int> clips;
    for (std::size_t w = 0; w < starts.size(); ++w)
      for (const std::size_t p : clip_positions(count, length_, step_, starts[w])) {
        positions.push_back(p);
        clips.push_back(static_cast<int>(w));
      }
    keep_positions(video, positions);
    for (std::size_t k = 0; k < clips.size(); ++k) video.frames[k].clip = clips[k];
  }

 private:
  std::size_t last_start_for(std::size_t count) const {
    const std::size_t span = clip_span(length_, step_);
    return count > span ? count - span : 0;
  }

  std::vector<std::size_t> window_starts(std::size_t count, const json& params) const {
    if (mode_ == "center") return {last_start_for(count) / 2};
    if (mode_ == "sliding" && jitter_ == 0) return sliding_starts(count, clip_span(length_, step_), stride_);
    const char* key = mode_ == "random" ? "start" : "starts";
    if (!params.is_object() || !params.contains(key))
      throw UsageError(std::string("params need \"") + key + "\", got " + params.dump());
    const json starts = mode_ == "random" ? json::array({params[key]}) : params[key];
    std::vector<std::size_t> out;
    for (const json& s : starts) out.push_back(position_of(s, count, "clip start"));
    return out;
  }

  std::size_t length_, step_, stride_, jitter_;
  std::string mode_;
};

OpInfo sample_clip_op() {
  return {.name = "sample_clip", .input = Kind::video, .output = Kind::video,
          .doc = "A clip of length frames step apart: at a random start, the centre, or every sliding window "
                 "(frames tagged with their window); a video shorter than the clip repeats its last frame.",
          .params = {{.name = "length", .type = ParamType::integer, .required = true, .minimum = 1.0, .maximum = 1e6,
                      .doc = "frames per clip"},
                     {.name = "step", .type = ParamType::integer, .default_value = 1, .minimum = 1.0, .maximum = 1e6,
                      .doc = "source frames between a clip's frames"},
                     {.name = "mode", .type = ParamType::string, .default_value = "random",
                      .choices = {"random", "center", "sliding"}, .doc = "where the clip starts"},
                     {.name = "stride", .type = ParamType::integer, .default_value = 0, .minimum = 0.0, .maximum = 1e9,
                      .doc = "sliding: frames between window starts (0: windows side by side)"},
                     {.name = "jitter", .type = ParamType::integer, .default_value = 0, .minimum = 0.0, .maximum = 1e6,
                      .doc = "sliding: each window start moves by a random shift of up to this many frames"}},
          .random = true,
          .create = make_transform<SampleClip>};
}

// --- scores for the content-based samplers ---

std::vector<double> frame_scores(const Video& video, MotionMeasure measure, int width) {
  require_pixels(video, measure == MotionMeasure::content ? "scene_cuts" : "sample_motion");
  MotionScorer scorer(measure, width);
  std::vector<double> scores;
  scores.reserve(video.frames.size());
  video.for_each_frame([&](std::size_t, const cv::Mat& pixels) { scores.push_back(scorer.add(pixels)); });
  return scores;
}

// --- sample_motion ---

class SampleMotion final : public Transform {
 public:
  SampleMotion(const OpInfo& info, const json& settings)
      : Transform(info, settings),
        n_(size_setting(settings, "n")),
        measure_(settings["measure"] == "flow" ? MotionMeasure::flow : MotionMeasure::difference),
        width_(settings["width"].get<int>()),
        smooth_(size_setting(settings, "smooth")),
        peaks_(settings["select"] == "peaks"),
        min_distance_(size_setting(settings, "min_distance")) {}

  // Deterministic, but computed while drawing so the record holds the chosen positions.
  json draw(Rng&, const Sample& sample) const override {
    const Video& video = video_of(sample);
    frame_count(video);
    const std::vector<double> scores = smooth_scores(frame_scores(video, measure_, width_), smooth_);
    std::vector<std::size_t> positions =
        peaks_ ? peak_positions(scores, n_, min_distance_) : cumulative_motion_positions(scores, n_);
    if (positions.empty()) positions = uniform_positions(scores.size(), n_);  // nothing moves anywhere
    return {{"positions", positions}};
  }
  void apply(Sample& sample, const json& params) const override {
    Video& video = video_of(sample);
    keep_positions(video, positions_param(params, frame_count(video)));
  }

 private:
  std::size_t n_;
  MotionMeasure measure_;
  int width_;
  std::size_t smooth_;
  bool peaks_;
  std::size_t min_distance_;
};

OpInfo sample_motion_op() {
  return {.name = "sample_motion", .input = Kind::video, .output = Kind::video,
          .doc = "N frames where things move: frames scored by motion against the previous one (downscaled), "
                 "smoothed, then the n highest peaks or n frames at equal steps of cumulative motion.",
          .params = {{.name = "n", .type = ParamType::integer, .required = true, .minimum = 1.0, .maximum = 1e6,
                      .doc = "frames to keep (peaks may find fewer)"},
                     {.name = "measure", .type = ParamType::string, .default_value = "difference",
                      .choices = {"difference", "flow"},
                      .doc = "mean absolute gray difference, or mean DIS optical-flow magnitude"},
                     {.name = "width", .type = ParamType::integer, .default_value = 64, .minimum = 8.0,
                      .maximum = 4096.0, .doc = "frames are scored at this width (aspect kept)"},
                     {.name = "smooth", .type = ParamType::integer, .default_value = 1, .minimum = 1.0,
                      .maximum = 1001.0, .doc = "moving-average window over scores, in frames (odd)"},
                     {.name = "select", .type = ParamType::string, .default_value = "peaks",
                      .choices = {"peaks", "cumulative"}, .doc = "highest local maxima, or equal steps of cumulative motion"},
                     {.name = "min_distance", .type = ParamType::integer, .default_value = 1, .minimum = 1.0,
                      .maximum = 1e6, .doc = "peaks: frames at least this far apart"}},
          .check = [](const json& s) {
            if (s["smooth"].get<int>() % 2 == 0)
              throw std::invalid_argument("smooth must be odd (a centred window), got " + s["smooth"].dump());
          },
          .create = make_transform<SampleMotion>};
}

// --- scene_cuts ---

class SceneCuts final : public Transform {
 public:
  SceneCuts(const OpInfo& info, const json& settings)
      : Transform(info, settings),
        threshold_(settings["threshold"].get<double>()),
        min_scene_length_(size_setting(settings, "min_scene_length")),
        width_(settings["width"].get<int>()),
        middle_(settings["keep"] == "middle") {}

  json draw(Rng&, const Sample& sample) const override {
    const Video& video = video_of(sample);
    const std::size_t count = frame_count(video);
    const std::vector<std::size_t> starts =
        scene_starts(frame_scores(video, MotionMeasure::content, width_), threshold_, min_scene_length_);
    std::vector<std::size_t> positions;
    for (std::size_t s = 0; s < starts.size(); ++s) {
      const std::size_t end = s + 1 < starts.size() ? starts[s + 1] : count;  // one past the scene
      positions.push_back(middle_ ? starts[s] + (end - starts[s] - 1) / 2 : starts[s]);
    }
    json cuts = json::array();
    for (const std::size_t s : starts) cuts.push_back(video.frames[s].source_index);
    return {{"positions", positions}, {"scene_starts", std::move(cuts)}};
  }
  void apply(Sample& sample, const json& params) const override {
    Video& video = video_of(sample);
    keep_positions(video, positions_param(params, frame_count(video)));
  }

 private:
  double threshold_;
  std::size_t min_scene_length_;
  int width_;
  bool middle_;
};

OpInfo scene_cuts_op() {
  return {.name = "scene_cuts", .input = Kind::video, .output = Kind::video,
          .doc = "One frame per scene: a cut where the HSV content difference to the previous frame reaches the "
                 "threshold (PySceneDetect's content detector) and the scene before is long enough.",
          .params = {{.name = "threshold", .type = ParamType::number, .default_value = 27.0, .minimum = 0.0,
                      .maximum = 255.0, .doc = "content score (0..255) that starts a new scene"},
                     {.name = "min_scene_length", .type = ParamType::integer, .default_value = 15, .minimum = 1.0,
                      .maximum = 1e9, .doc = "frames a scene lasts at least"},
                     {.name = "width", .type = ParamType::integer, .default_value = 64, .minimum = 8.0,
                      .maximum = 4096.0, .doc = "frames are compared at this width (aspect kept)"},
                     {.name = "keep", .type = ParamType::string, .default_value = "middle",
                      .choices = {"first", "middle"}, .doc = "which frame of each scene to keep"}},
          .create = make_transform<SceneCuts>};
}

}  // namespace

void register_samplers(Registry& registry) {
  registry.add(sample_uniform_op());
  registry.add(sample_stride_op());
  registry.add(sample_clip_op());
  registry.add(sample_motion_op());
  registry.add(scene_cuts_op());
}

}  // namespace augment::video::detail
