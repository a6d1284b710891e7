#pragma once
// A video sample: the frames a pipeline has selected from a source file, in order, each with
// its index in the source's decoded stream. Frames are decoded lazily: reading a file only
// probes it (counting the frames that really decode), samplers choose frames by index without
// decoding pixels, and pixels are decoded in one sequential pass when a stage first needs them
// (load()) or one at a time while writing (for_each_frame()). So "sample 8 frames of an hour of
// video" never holds more than a few frames.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "augment/image/image.hpp"

namespace augment::video {

/// What probing a video file found. The container's frame count is kept for reports only: it
/// can lie (OpenCV's tree.avi claims 444 frames and 68 decode), so every index is into the
/// frames that decoded.
struct VideoInfo {
  std::filesystem::path path;
  double fps = 0;                    // the container's rate; 0 when it gives none
  int width = 0, height = 0;         // of the decoded frames
  int type = 0;                      // OpenCV type of the decoded frames (CV_8UC3: BGR)
  std::int64_t header_frames = -1;   // what the container claims; -1 when it says nothing
  std::int64_t decoded_frames = 0;   // frames that decode, counted by decoding them
  std::string fourcc;                // the stream's codec tag ("XVID"), printable or empty
};

/// What a video's frames hold: decoded pixels, or optical flow fields (CV_32FC2, (dx, dy) in
/// pixels) from one frame to the next, made by the optical_flow op.
enum class FrameContent { pixels, flow };

struct Frame {
  std::int64_t source_index = 0;  // index among the source's decoded frames, from 0
  std::int64_t flow_to = -1;      // a flow field: the frame it maps to (source_index: from)
  int clip = 0;                   // the window of sample_clip the frame belongs to
  cv::Mat pixels;                 // empty until loaded
  /// Geometry that lifted image stages (rotate, hflip, ...) composed but did not apply yet, so a
  /// run of them warps each frame once, as on images; `pixels` are then the pixels before it.
  /// Video::settle() applies it; for_each_frame() gives frames with it applied.
  std::shared_ptr<const image::Image> pending_geometry;
};

/// Loading more than this many bytes of pixels is refused with a DataError naming the size:
/// an hour of 1080p is 670 GB decoded. Sample frames before pixel stages.
inline constexpr std::size_t kDefaultMaxLoadedBytes = std::size_t{4} << 30;

class Video {
 public:
  Video() = default;
  /// Every decoded frame of the probed file, none loaded; fps from the info.
  explicit Video(std::shared_ptr<const VideoInfo> info);
  /// Frames made in memory (synthetic clips, tests): source indices 0..n-1, all loaded.
  Video(std::vector<cv::Mat> frames, double fps);

  std::shared_ptr<const VideoInfo> info;  // null for a video made in memory
  std::vector<Frame> frames;
  FrameContent content = FrameContent::pixels;
  double fps = 0;
  /// The format the video was read from (".avi"), used to pick the output container.
  std::string source_extension;

  /// Whether every frame has its pixels.
  bool loaded() const;
  /// Decodes the pixels of every frame not yet loaded, in one sequential pass over the source
  /// (a frame selected twice is decoded once). Throws DataError "PATH: reason" when the file no
  /// longer yields them, or when the frames would take more than `max_bytes`.
  void load(std::size_t max_bytes = kDefaultMaxLoadedBytes);
  /// Applies every frame's pending geometry (after load(), before reading `pixels` directly).
  void settle();
  /// Calls `fn(position, pixels)` for every frame in order, pending geometry applied; unloaded frames are decoded in one
  /// pass and not kept, so writing a long selection holds one frame at a time. A selection that
  /// goes back in the source (overlapping clips, a reversed clip) holds the decoded frames a
  /// later position still needs, within kDefaultMaxLoadedBytes (DataError beyond).
  void for_each_frame(const std::function<void(std::size_t position, const cv::Mat& pixels)>& fn) const;

  /// Size and OpenCV type of the frames: the first loaded frame's, else the probed file's.
  cv::Size frame_size() const;
  int frame_type() const;
};

/// Keeps `positions` of the current frames, in that order (a position may repeat: a clip
/// padded by repeating its last frame). Throws std::out_of_range for a position past the end.
void keep_positions(Video& video, std::span<const std::size_t> positions);

}  // namespace augment::video
