#pragma once
#include "augment/core/registry.hpp"
#include "augment/video/video_codec.hpp"

namespace augment::video {

/// Adds the video ops (samplers, scene cuts, optical flow), the video codec, and every image op
/// that maps image to image lifted to take videos (applied to each frame, with one draw for the
/// whole clip unless `per_frame`). Register the image module first: only the image ops already
/// in `registry` are lifted. The codec writes video files; for frame images or other settings,
/// registry.replace_codec(std::make_shared<VideoCodec>(options)).
void register_transforms(Registry& registry);

}  // namespace augment::video
