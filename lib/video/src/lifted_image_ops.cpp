// Image ops lifted to videos: every op that maps an image to an image also takes a video and is
// applied to each frame. By default one draw serves the whole clip (a clip flips, crops and
// brightens as a whole, so motion stays coherent); `per_frame: true` draws for each frame from
// its own stream. Draws depend only on a frame's size and type (crop windows, warp matrices),
// so drawing for an undecoded clip uses a blank frame of the probed size.
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <tbb/parallel_for.h>

#include "augment/core/error.hpp"
#include "augment/image/image.hpp"
#include "register_groups.hpp"

namespace augment::video::detail {
namespace {

using nlohmann::json;

Sample frame_sample(const cv::Mat& pixels) { return image::make_sample(image::Image(pixels)); }

json without_per_frame(json settings) {
  settings.erase("per_frame");
  return settings;
}

/// Feeds every frame of each video to the image op's fitter (decoding one frame at a time).
class FrameFitter final : public Fitter {
 public:
  explicit FrameFitter(std::unique_ptr<Fitter> inner) : inner_(std::move(inner)) {}
  void add(const Sample& sample) override {
    const Video& video = video_of(sample);
    require_pixels(video, "fitting");
    video.for_each_frame([&](std::size_t, const cv::Mat& pixels) { inner_->add(frame_sample(pixels)); });
  }
  void merge(const Fitter& other) override { inner_->merge(*dynamic_cast<const FrameFitter&>(other).inner_); }
  json state() const override { return inner_->state(); }

 private:
  std::unique_ptr<Fitter> inner_;
};

class PerFrame final : public Transform {
 public:
  PerFrame(const OpInfo& info, const json& settings, std::shared_ptr<const OpInfo> image_op)
      : Transform(info, settings),
        image_op_(std::move(image_op)),
        inner_(image_op_->create(*image_op_, without_per_frame(settings))),
        per_frame_(settings.value("per_frame", false)) {}

  bool is_random() const override { return inner_->is_random(); }
  bool needs_fit() const override { return inner_->needs_fit(); }
  bool is_fitted() const override { return inner_->is_fitted(); }
  std::unique_ptr<Fitter> make_fitter() const override {
    auto inner = inner_->make_fitter();
    return inner ? std::make_unique<FrameFitter>(std::move(inner)) : nullptr;
  }
  json state() const override { return inner_->state(); }
  void set_state(const json& state) override { inner_->set_state(state); }

  json draw(Rng& rng, const Sample& sample) const override {
    const Video& video = video_of(sample);
    require_pixels(video, info().name.c_str());
    if (video.frames.empty()) return json::object();
    std::optional<Sample> blank;  // one blank frame serves every undecoded frame
    if (!per_frame_) return inner_->draw(rng, frame_for_drawing(video, 0, blank));
    json frames = json::array();
    for (std::size_t k = 0; k < video.frames.size(); ++k) {
      Rng own = rng.fork(k);  // each frame its own stream: frame k draws the same whatever the others do
      frames.push_back(inner_->draw(own, frame_for_drawing(video, k, blank)));
    }
    return {{"frames", std::move(frames)}};
  }

  void apply(Sample& sample, const json& params) const override {
    Video& video = video_of(sample);
    require_pixels(video, info().name.c_str());
    if (per_frame_ && (!params.contains("frames") || !params["frames"].is_array() ||
                       params["frames"].size() != video.frames.size()))
      throw UsageError("per-frame params need a \"frames\" list of " + std::to_string(video.frames.size()) +
                       " entries, got " + params.dump());
    video.load();
    // apply is a pure function of (frame, params), so frames may run in any order on any thread.
    tbb::parallel_for(std::size_t{0}, video.frames.size(), [&](std::size_t k) {
      Frame& f = video.frames[k];
      // The frame as an image with the geometry earlier stages left pending, so that this
      // stage fuses with them (one warp for rotate + hflip, as on images).
      Sample frame = image::make_sample(f.pending_geometry ? *f.pending_geometry : image::Image(f.pixels));
      inner_->apply(frame, per_frame_ ? params["frames"][k] : params);
      image::Image& result = image::image_of(frame);
      f.pixels = result.pixels_before_geometry();
      f.pending_geometry = result.has_pending_geometry() ? std::make_shared<const image::Image>(std::move(result)) : nullptr;
    });
  }

 private:
  // Frame k as the image op sees it when drawing: its pixels when decoded, else a blank frame
  // of the probed size and type (draws read only the size and type), made once in `blank`.
  // (Copies of a Sample share the pixels: returning one costs no pixel copy.)
  static Sample frame_for_drawing(const Video& video, std::size_t k, std::optional<Sample>& blank) {
    const Frame& f = video.frames[k];
    if (f.pending_geometry) return image::make_sample(*f.pending_geometry);
    if (!f.pixels.empty()) return frame_sample(f.pixels);
    if (!blank) blank = frame_sample(cv::Mat::zeros(video.frame_size(), video.frame_type()));
    return *blank;
  }

  std::shared_ptr<const OpInfo> image_op_;
  std::unique_ptr<Transform> inner_;
  bool per_frame_;
};

OpInfo lifted(const OpInfo& image_op) {
  auto inner = std::make_shared<const OpInfo>(image_op);
  OpInfo info = image_op;
  info.input = info.output = Kind::video;
  info.doc = "Per frame: " + image_op.doc;
  info.lifted_from = Kind::image;
  info.params.push_back({.name = "per_frame", .type = ParamType::boolean, .default_value = false,
                         .doc = "draw for each frame (true) or once for the whole clip (false)"});
  if (image_op.check)
    info.check = [inner](const json& settings) { inner->check(without_per_frame(settings)); };
  info.create = [inner](const OpInfo& self, const json& settings) -> std::unique_ptr<Transform> {
    return std::make_unique<PerFrame>(self, settings, inner);
  };
  return info;
}

}  // namespace

Video& video_of(Sample& sample) { return sample.as<Video>(); }
const Video& video_of(const Sample& sample) { return sample.as<Video>(); }

void require_pixels(const Video& video, const char* what) {
  if (video.content != FrameContent::pixels)
    throw UsageError(std::string(what) + " takes frames of pixels; these frames hold optical flow");
}

void register_lifted_image_ops(Registry& registry) {
  for (const OpInfo* op : registry.ops(Kind::image))
    if (op->output == Kind::image) registry.add(lifted(*op));
}

}  // namespace augment::video::detail
