#pragma once
// Decoding video files with OpenCV's videoio, always through its FFmpeg backend (asking for it
// by name keeps GStreamer and the image-sequence reader from guessing at non-video files).
//
// A header's frame count is never trusted: probing decodes (grabs) every frame and counts what
// decodes; a broken frame the decoder conceals counts, one it cannot decode ends the stream
// there. Reading stops at `max_frames`, so a damaged file cannot keep us decoding forever.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>

#include <opencv2/core.hpp>

#include "augment/video/video.hpp"

namespace augment::video {

struct ProbeLimits {
  std::int64_t max_frames = std::int64_t{1} << 24;  // 16.7 M frames: 77 hours at 60 fps
};

/// Opens `file`, decodes every frame once (grab only; the first is retrieved for its size and
/// type) and reports what it found. Throws DataError "PATH: reason": missing, empty, not a video
/// FFmpeg can open, no frame decodes (with what the header claimed), more than max_frames.
VideoInfo probe_video(const std::filesystem::path& file, const ProbeLimits& limits = {});

/// Decodes `file` from its start and calls `fn(index, pixels)` for each index in `indices`
/// (ascending, without repeats); frames in between are grabbed, not converted. Stops after the
/// last index. Throws DataError "PATH: reason" when the file cannot be opened or ends first.
/// `pixels` is only valid during the call.
void decode_frames(const std::filesystem::path& file, std::span<const std::int64_t> indices,
                   const std::function<void(std::int64_t index, const cv::Mat& pixels)>& fn);

}  // namespace augment::video
