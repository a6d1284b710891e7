#pragma once
// to_tensor on videos: the selected frames as one float32 tensor, what a network takes.
//   layout "frames_channels_height_width" (default): T×C×H×W, each frame as image to_tensor
//          gives it (order, scale); "stacked": (T·C)×H×W, the frames' channels one after
//          another, so a conv2d sees the whole clip at once ("early fusion" of a clip).
//   Optical-flow frames (optical_flow's output) give C = 2, (dx, dy) in pixels, unscaled.
// Every frame must have the same size: resize before (a DataError names the frame otherwise).
#include "augment/core/registry.hpp"
#include "augment/core/tensor.hpp"
#include "augment/video/video.hpp"

namespace augment::video {

enum class ClipLayout { frames_channels_height_width, stacked };

/// The frames of `video` (pending geometry applied) as one tensor; `where` names the video in errors.
Tensor video_to_tensor(const Video& video, bool rgb_order, bool unit_scale, ClipLayout layout, const std::string& where);

OpInfo video_to_tensor_op();

}  // namespace augment::video
