#pragma once
// Encoding a video sample as a video file (VideoCodec's video output), and what the frames
// output shares with it.
#include <filesystem>
#include <ostream>
#include <string>

#include "augment/video/video.hpp"

namespace augment::video::detail {

/// The codec tag written when none is asked for: MJPG in .avi, mp4v (MPEG-4 part 2) in .mp4.
/// Both are FFmpeg's own encoders, which OpenCV opens single-threaded: the same frames give
/// the same bytes on any machine.
std::string default_fourcc(const std::string& container);

/// Encodes the frames (decoded one at a time) as a `container` (".avi", ".mp4") file with the
/// codec `fourcc` at the video's fps (25 when it has none) and copies its bytes onto `out`.
/// Frames must be 8-bit gray or BGR of one even size; flow is written colour-coded (see
/// flow_colour_scale). Throws DataError with the reason: no frames, another depth or channel
/// count, a size change, an odd size, or FFmpeg refusing the container or codec.
/// FFmpeg writes to a path, so the file is encoded under a temporary name first: beside
/// `output` when one is given (same file system; named `.NAME.tmp.PID.N.ext`, which the runner's
/// --resume clears when a killed run left it), else in the system's temporary folder.
void write_video_file(const Video& video, const std::string& container, const std::string& fourcc, std::ostream& out,
                      const std::filesystem::path& output = {});

/// Whether FFmpeg's writer, through OpenCV, takes `fourcc` in `container`: a test encode of two
/// small frames into a temporary file (OpenCV only learns it when it opens the writer).
bool can_write(const std::string& container, const std::string& fourcc);

/// The magnitude colour-coding uses for every frame of a flow video: the largest (dx, dy)
/// length over the whole clip (unknown flow, above 1e9 or NaN, left out), so one colour means
/// one motion in every frame rather than each frame stretching its own range. 1 when the clip
/// holds no motion (all white either way).
double flow_colour_scale(const Video& video);

/// A flow field as the Middlebury colour image, on the clip's common `scale`.
cv::Mat flow_colour_frame(const cv::Mat& flow, double scale);

}  // namespace augment::video::detail
