#include "video_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>

#include <opencv2/videoio.hpp>

#include "augment/core/error.hpp"
#include "augment/video/optical_flow.hpp"
#include "ffmpeg_log.hpp"

namespace augment::video::detail {
namespace {

namespace fs = std::filesystem;

constexpr double kDefaultFps = 25;

std::atomic<unsigned long> temp_counter{0};

// A fresh file for FFmpeg to write (it writes to a path, not a stream), removed when done, also
// after an error: `.NAME.tmp.PID.N.ext` beside the output it becomes, else in the system's
// temporary folder. Created exclusively, so two writers (or another user's file of the same
// name) never share it.
class TemporaryVideo {
 public:
  TemporaryVideo(const fs::path& output, const std::string& extension) {
    const fs::path folder = output.empty() ? fs::temp_directory_path() : output.parent_path();
    const std::string name = output.empty() ? "augment-video" : "." + output.filename().string();
    for (;;) {
      path_ = folder / (name + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(temp_counter++) + extension);
      const int fd = ::open(path_.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
      if (fd >= 0) {
        ::close(fd);
        return;
      }
      if (errno != EEXIST)
        throw DataError("cannot make a temporary file in " + folder.string() + ": " + std::strerror(errno));
    }
  }
  ~TemporaryVideo() {
    std::error_code ignored;
    fs::remove(path_, ignored);
  }
  TemporaryVideo(const TemporaryVideo&) = delete;
  TemporaryVideo& operator=(const TemporaryVideo&) = delete;

  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string depth_name(int depth) {
  switch (depth) {
    case CV_8U: return "8-bit";
    case CV_8S: return "8-bit signed";
    case CV_16U: return "16-bit";
    case CV_16S: return "16-bit signed";
    case CV_32S: return "32-bit integer";
    case CV_32F: return "32-bit float";
    case CV_64F: return "64-bit float";
    default: return "depth " + std::to_string(depth);
  }
}

std::string size_text(cv::Size s) { return std::to_string(s.width) + "x" + std::to_string(s.height); }

// What FFmpeg's writer takes as OpenCV gives it: 8-bit gray or BGR of one size. OpenCV would
// drop the last column or row of an odd size (and ignore a frame of another size) silently.
void check_frame(const cv::Mat& frame, std::size_t position, const std::optional<cv::Size>& first_size) {
  const std::string where = "frame " + std::to_string(position) + ": ";
  if (frame.depth() != CV_8U)
    throw DataError(where + "cannot write " + depth_name(frame.depth()) + " pixels to a video file: it holds 8-bit "
                    "only (convert first, or write frame images)");
  if (frame.channels() != 1 && frame.channels() != 3)
    throw DataError(where + "cannot write " + std::to_string(frame.channels()) + " channels to a video file: it holds "
                    "gray or BGR (1 or 3 channels)" + (frame.channels() == 4 ? ", no alpha" : ""));
  if (first_size && frame.size() != *first_size)
    throw DataError(where + "is " + size_text(frame.size()) + " but the first frame is " + size_text(*first_size) +
                    ": a video's frames share one size");
  if (frame.cols % 2 != 0 || frame.rows % 2 != 0)
    throw DataError(where + "is " + size_text(frame.size()) + ": FFmpeg's writer needs an even width and height "
                    "(crop or pad first, or write frame images)");
}

void copy_file_to(const fs::path& file, std::ostream& out) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (ec || size == 0) throw DataError("FFmpeg's writer produced no data");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw DataError("cannot read back the encoded video from " + file.string());
  out << in.rdbuf();
  if (!out) throw DataError("cannot write the encoded video: the output stream failed");
}

void check_flow(const cv::Mat& flow) {
  if (flow.channels() != 2)
    throw DataError("a flow frame has 2 channels (dx, dy), got " + std::to_string(flow.channels()));
}

int fourcc_code(const std::string& fourcc) {
  return cv::VideoWriter::fourcc(fourcc[0], fourcc[1], fourcc[2], fourcc[3]);
}

}  // namespace

std::string default_fourcc(const std::string& container) { return container == ".mp4" ? "mp4v" : "MJPG"; }

void write_video_file(const Video& video, const std::string& container, const std::string& fourcc, std::ostream& out,
                      const fs::path& output) {
  if (video.frames.empty()) throw DataError("no frames to write");
  if (fourcc.size() != 4) throw DataError("a codec tag has 4 characters, got '" + fourcc + "'");
  const double fps = std::isfinite(video.fps) && video.fps > 0 ? video.fps : kDefaultFps;
  const bool flow = video.content == FrameContent::flow;
  const double scale = flow ? flow_colour_scale(video) : 0;

  quiet_ffmpeg_logs();
  TemporaryVideo file(output, container);
  {
    cv::VideoWriter writer;
    std::optional<cv::Size> first_size;
    video.for_each_frame([&](std::size_t position, const cv::Mat& pixels) {
      const cv::Mat frame = flow ? flow_colour_frame(pixels, scale) : pixels;
      check_frame(frame, position, first_size);
      if (!first_size) {  // opened at the first frame, whose size and channels it takes
        first_size = frame.size();
        bool opened = false;
        try {
          opened = writer.open(file.path().string(), cv::CAP_FFMPEG, fourcc_code(fourcc), fps, frame.size(),
                               frame.channels() == 3);
        } catch (const cv::Exception& e) {
          throw DataError("cannot write " + container + " with codec '" + fourcc + "': " + e.err);
        }
        if (!opened)
          throw DataError("cannot write " + container + " with codec '" + fourcc + "': FFmpeg's writer refused it");
      }
      writer.write(frame);
    });
    writer.release();  // writes the trailer (the AVI index, the MP4 moov box)
  }
  copy_file_to(file.path(), out);
}

bool can_write(const std::string& container, const std::string& fourcc) {
  if (fourcc.size() != 4) return false;
  const cv::Mat frame(16, 16, CV_8UC3, cv::Scalar(0, 128, 255));
  Video probe({frame, frame}, kDefaultFps);
  std::ostringstream sink;
  try {
    write_video_file(probe, container, fourcc, sink);
  } catch (const DataError&) {
    return false;
  }
  return true;
}

double flow_colour_scale(const Video& video) {
  float largest = 0;
  video.for_each_frame([&](std::size_t, const cv::Mat& field) {
    check_flow(field);
    cv::Mat flow = field;
    if (flow.depth() != CV_32F) field.convertTo(flow, CV_32F);
    for (int y = 0; y < flow.rows; ++y) {
      const auto* row = flow.ptr<cv::Vec2f>(y);
      for (int x = 0; x < flow.cols; ++x) {
        const float u = row[x][0], v = row[x][1];
        if (!(std::fabs(u) <= 1e9F) || !(std::fabs(v) <= 1e9F)) continue;  // unknown flow
        largest = std::max(largest, std::sqrt(u * u + v * v));
      }
    }
  });
  return largest > 0 ? static_cast<double>(largest) : 1.0;
}

cv::Mat flow_colour_frame(const cv::Mat& flow, double scale) {
  check_flow(flow);
  return flow_to_colour(flow, scale);
}

}  // namespace augment::video::detail
