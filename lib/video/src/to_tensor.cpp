#include "augment/video/to_tensor.hpp"

#include <opencv2/core.hpp>

#include "augment/core/error.hpp"
#include "augment/image/to_tensor.hpp"
#include "register_groups.hpp"

namespace augment::video {
namespace {

class VideoToTensor final : public Transform {
 public:
  VideoToTensor(const OpInfo& info, const nlohmann::json& settings)
      : Transform(info, settings),
        rgb_(settings["order"] != "bgr"),
        unit_scale_(settings["scale"] == "unit"),
        layout_(settings["layout"] == "stacked" ? ClipLayout::stacked : ClipLayout::frames_channels_height_width) {}

  void apply(Sample& sample, const nlohmann::json&) const override {
    const Video& video = detail::video_of(sample);
    const std::string where = video.info ? video.info->path.string() : std::string("video");
    sample = make_sample(video_to_tensor(video, rgb_, unit_scale_, layout_, where));
  }

 private:
  bool rgb_, unit_scale_;
  ClipLayout layout_;
};

}  // namespace

Tensor video_to_tensor(const Video& video, bool rgb_order, bool unit_scale, ClipLayout layout, const std::string& where) {
  if (video.frames.empty()) throw DataError(where + ": to_tensor: the video has no frames");
  const bool flow = video.content == FrameContent::flow;
  Tensor clip;
  std::vector<std::size_t> frame_shape;
  video.for_each_frame([&](std::size_t position, const cv::Mat& pixels) {
    // Flow fields are displacements in pixels: never rescaled, never reordered.
    image::Image frame(pixels);
    const Tensor t = image::image_to_tensor(frame, flow || !rgb_order ? image::ChannelOrder::bgr : image::ChannelOrder::rgb,
                                            unit_scale && !flow);
    if (position == 0) {
      frame_shape = t.shape;
      clip.values.reserve(t.values.size() * video.frames.size());
    } else if (t.shape != frame_shape) {
      throw DataError(where + ": to_tensor: frame " + std::to_string(position) + " is " + std::to_string(t.shape[2]) + "×" +
                      std::to_string(t.shape[1]) + "×" + std::to_string(t.shape[0]) + ", frame 0 " +
                      std::to_string(frame_shape[2]) + "×" + std::to_string(frame_shape[1]) + "×" +
                      std::to_string(frame_shape[0]) + " (width×height×channels); resize the frames first");
    }
    clip.values.insert(clip.values.end(), t.values.begin(), t.values.end());
  });
  const std::size_t frames = video.frames.size();
  if (layout == ClipLayout::stacked) clip.shape = {frames * frame_shape[0], frame_shape[1], frame_shape[2]};
  else clip.shape = {frames, frame_shape[0], frame_shape[1], frame_shape[2]};
  return clip;
}

OpInfo video_to_tensor_op() {
  return {
      .name = "to_tensor",
      .input = Kind::video,
      .output = Kind::tensor,
      .doc = "Video → float32 T×C×H×W tensor of its frames (each as image to_tensor makes it), or (T·C)×H×W "
             "stacked for a conv2d over the whole clip; flow frames give C = 2 (dx, dy) in pixels.",
      .params = {{.name = "order", .type = ParamType::string, .default_value = "rgb", .choices = {"rgb", "bgr"},
                  .doc = "channel order of colour frames: rgb or OpenCV's bgr"},
                 {.name = "scale", .type = ParamType::string, .default_value = "unit", .choices = {"unit", "none"},
                  .doc = "unit: 8-bit levels / 255 (flow is never scaled); none: levels as they are"},
                 {.name = "layout", .type = ParamType::string, .default_value = "frames_channels_height_width",
                  .choices = {"frames_channels_height_width", "stacked"},
                  .doc = "T×C×H×W, or the frames' channels stacked: (T·C)×H×W"}},
      .create = make_transform<VideoToTensor>,
  };
}

}  // namespace augment::video
