#pragma once
// Each group of video ops registers itself; register_transforms calls them all.
#include "augment/core/registry.hpp"
#include "augment/video/video.hpp"

namespace augment::video::detail {

void register_samplers(Registry& registry);   // sample_uniform, sample_stride, sample_clip, sample_motion, scene_cuts
void register_flow(Registry& registry);       // optical_flow
void register_lifted_image_ops(Registry& registry);  // every image → image op, per frame

/// The Video a stage was given; UsageError when the sample holds something else.
Video& video_of(Sample& sample);
const Video& video_of(const Sample& sample);
/// Throws UsageError naming `what` when the frames hold optical flow rather than pixels.
void require_pixels(const Video& video, const char* what);

}  // namespace augment::video::detail
