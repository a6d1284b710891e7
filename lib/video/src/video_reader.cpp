#include "augment/video/video_reader.hpp"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include <opencv2/core/utils/logger.hpp>
#include <opencv2/videoio.hpp>

#include "augment/core/error.hpp"
#include "augment/core/limits.hpp"
#include "ffmpeg_log.hpp"

namespace augment::video {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const fs::path& file, const std::string& reason) {
  throw DataError(file.string() + ": " + reason);
}

// What OpenCV would only report as "cannot open", told apart first.
void check_readable(const fs::path& file) {
  std::error_code ec;
  const fs::file_status status = fs::status(file, ec);
  if (!fs::exists(status)) fail(file, "cannot read: no such file");
  if (fs::is_directory(status)) fail(file, "is a directory, not a video file");
  const auto size = fs::file_size(file, ec);
  if (ec) fail(file, "cannot read: " + ec.message());
  if (size == 0) fail(file, "empty file");
}

// A frame's width × height against the image_pixels limit. From the stream's parameters before
// any frame is decoded; a size FFmpeg does not know (0) is checked again on the first frame.
void check_frame_size(const fs::path& file, double width, double height) {
  if (!std::isfinite(width) || !std::isfinite(height) || width <= 0 || height <= 0) return;
  const auto w = static_cast<std::uint64_t>(width), h = static_cast<std::uint64_t>(height);
  try {
    check_limit("image_pixels", w * h, "video frame of " + std::to_string(w) + "x" + std::to_string(h));
  } catch (const DataError& e) {
    fail(file, e.what());
  }
}

// Always the FFmpeg backend: left to choose, OpenCV tries GStreamer and its image-sequence
// reader too, which print errors for files that are not videos. Hardware decoding is refused
// by name: a GPU decoder need not give the same pixels as FFmpeg's software one.
cv::VideoCapture open_capture(const fs::path& file) {
  check_readable(file);
  detail::quiet_ffmpeg_logs();
  cv::VideoCapture capture;
  try {
    capture.open(file.string(), cv::CAP_FFMPEG, {cv::CAP_PROP_HW_ACCELERATION, cv::VIDEO_ACCELERATION_NONE});
  } catch (const cv::Exception& e) {
    fail(file, "cannot open with FFmpeg: " + e.err);
  }
  if (!capture.isOpened()) fail(file, "not a video FFmpeg can decode (unknown container, or no video stream)");
  check_frame_size(file, capture.get(cv::CAP_PROP_FRAME_WIDTH), capture.get(cv::CAP_PROP_FRAME_HEIGHT));
  return capture;
}

// The codec tag as text when it is four printable characters ("XVID"); empty otherwise.
std::string printable_fourcc(double property) {
  if (!std::isfinite(property) || property <= 0) return {};
  const auto tag = static_cast<std::uint32_t>(property);
  std::string text;
  for (int shift = 0; shift < 32; shift += 8) {
    const auto c = static_cast<char>((tag >> shift) & 0xFF);
    if (c < 0x20 || c > 0x7E) return {};
    text += c;
  }
  return text;
}

std::string header_claim(std::int64_t header_frames) {
  return header_frames > 0 ? "the header claims " + std::to_string(header_frames) + " frames"
                           : "the header gives no frame count";
}

void check_indices(std::span<const std::int64_t> indices) {
  for (std::size_t i = 0; i < indices.size(); ++i) {
    if (indices[i] < 0) throw std::invalid_argument("decode_frames: negative frame index " + std::to_string(indices[i]));
    if (i > 0 && indices[i] <= indices[i - 1])
      throw std::invalid_argument("decode_frames: frame indices must ascend without repeats; " +
                                  std::to_string(indices[i]) + " follows " + std::to_string(indices[i - 1]));
  }
}

}  // namespace

VideoInfo probe_video(const std::filesystem::path& file, const ProbeLimits& limits) {
  cv::VideoCapture capture = open_capture(file);
  VideoInfo info;
  info.path = file;
  const double claimed = capture.get(cv::CAP_PROP_FRAME_COUNT);
  info.header_frames = std::isfinite(claimed) && claimed >= 1 ? static_cast<std::int64_t>(std::llround(claimed)) : -1;
  const double fps = capture.get(cv::CAP_PROP_FPS);
  info.fps = std::isfinite(fps) && fps > 0 ? fps : 0;
  info.fourcc = printable_fourcc(capture.get(cv::CAP_PROP_FOURCC));

  // Count what decodes: grab() decodes without converting to BGR, so counting costs the
  // decoding alone. Only frame 0 is converted, for the frames' size and type.
  while (capture.grab()) {
    if (info.decoded_frames == limits.max_frames)
      fail(file, "more than " + std::to_string(limits.max_frames) + " frames, the most a video may have here (" +
                     header_claim(info.header_frames) + ")");
    if (info.decoded_frames == 0) {
      cv::Mat first;
      if (!capture.retrieve(first) || first.empty()) fail(file, "frame 0 does not decode");
      check_frame_size(file, first.cols, first.rows);
      info.width = first.cols;
      info.height = first.rows;
      info.type = first.type();
    }
    ++info.decoded_frames;
  }
  if (info.decoded_frames == 0) fail(file, "no frame decodes (" + header_claim(info.header_frames) + ")");
  return info;
}

void decode_frames(const std::filesystem::path& file, std::span<const std::int64_t> indices,
                   const std::function<void(std::int64_t index, const cv::Mat& pixels)>& fn) {
  check_indices(indices);
  if (indices.empty()) return;
  cv::VideoCapture capture = open_capture(file);
  cv::Mat pixels;
  std::size_t next = 0;
  for (std::int64_t index = 0; next < indices.size(); ++index) {
    if (!capture.grab())
      fail(file, "ends after " + std::to_string(index) + " frames; frame " + std::to_string(indices[next]) + " was wanted");
    if (index != indices[next]) continue;
    if (!capture.retrieve(pixels) || pixels.empty()) fail(file, "frame " + std::to_string(index) + " does not decode");
    fn(index, pixels);
    ++next;
  }
}

namespace detail {

void quiet_ffmpeg_logs() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (!std::getenv("OPENCV_FFMPEG_LOGLEVEL") && !std::getenv("OPENCV_FFMPEG_DEBUG"))
      ::setenv("OPENCV_FFMPEG_LOGLEVEL", "-8", 0);
    // OpenCV's own lines about the capture ("[ERROR:0@0.1] ... Could not open codec") say the
    // same without the file; the DataError that follows names it.
    if (!std::getenv("OPENCV_LOG_LEVEL")) cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
  });
}

}  // namespace detail

}  // namespace augment::video
