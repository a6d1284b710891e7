#pragma once
// Reading and writing video samples. Reading probes the file (video_reader.hpp); pixels are
// decoded when a stage needs them. Writing makes either
//   - a video file: .avi with Motion JPEG, or .mp4 with MPEG-4 part 2 (FFmpeg's own encoders,
//     which OpenCV runs single-threaded, so the same frames give the same bytes on any
//     machine); flow is written colour-coded on one scale for the whole clip; or
//   - frame images: the output is a frames manifest `<stem>.csv` (columns path, source_frame,
//     time, and clip / flow_to, colour when they apply; paths relative to the manifest, so it
//     is itself a dataset `augment run` can take) and the images `<stem>/f<source_frame:06>.png`
//     beside it (a flow field: `<stem>/f<from:06>-<to:06>.flo` in Middlebury format plus a
//     colour-coded image of the same name). A frame selected twice is one file listed twice,
//     unless a stage made its copies differ: then each version is a file, `f000010_1.png`.
//     Every file is written under a temporary name and renamed.
//
// The manifest names its frames folder after its own file, so it is written by write_as(),
// which is given the output path; write() cannot write it. write_as() and write_companions()
// derive the folder from the same path, so they agree without sharing state.
#include <string>
#include <vector>

#include "augment/core/sample_codec.hpp"
#include "augment/image/image_codec.hpp"
#include "augment/video/video_reader.hpp"

namespace augment::video {

enum class VideoOutput { video, frames };

struct VideoWriteOptions {
  VideoOutput output = VideoOutput::video;
  /// ".avi" or ".mp4"; empty: the source's own when it is one of those, else ".avi".
  std::string container;
  /// Four-character codec for video files; empty: MJPG for .avi, mp4v for .mp4.
  std::string fourcc;
  /// Frame images: ".png" (default), ".jpg", ".webp", ".tif", ".bmp".
  std::string frame_format = ".png";
  image::ImageWriteOptions image;
  ProbeLimits limits;
};

class VideoCodec final : public SampleCodec {
 public:
  /// Throws std::invalid_argument for an unknown container or frame format, or a fourcc that is
  /// not 4 characters or that FFmpeg cannot write in the container(s) outputs may use (checked
  /// with a test encode, only when a fourcc is given).
  explicit VideoCodec(VideoWriteOptions options = {});

  Kind kind() const override { return Kind::video; }
  /// .avi .mp4 .m4v .mkv .mov .webm .mpg .mpeg
  std::vector<std::string> extensions() const override;
  /// Probes the file: a Video of all its decoded frames, none loaded yet.
  Sample read(const std::filesystem::path& file) const override;
  /// ".csv" for frames; the container otherwise.
  std::string output_extension(const std::string& source_extension) const override;
  /// A video file for ".avi" or ".mp4" (frames decoded and encoded one at a time). Throws
  /// DataError for another extension or frames a video file cannot hold, and UsageError for
  /// ".csv": the frames manifest needs its own path (write_as).
  void write(const Sample& sample, const std::string& extension, std::ostream& out) const override;
  /// write(), except that ".csv" writes the frames manifest of the file `output`, listing
  /// `<output stem>/f000010.png`.
  void write_as(const Sample& sample, const std::string& extension, const std::filesystem::path& output,
                std::ostream& out) const override;
  /// For an output ending in .csv: the frame files its manifest lists, in `<output stem>/`
  /// beside it; then the frame files an earlier run left there and this one did not write are
  /// removed (only names of the frame pattern: f000010.png, f000010-000011.flo; other files
  /// stay). Nothing for a video file.
  void write_companions(const Sample& sample, const std::filesystem::path& output, Durability durability) const override;
  /// Applies the frames' pending geometry (Video::settle).
  void settle(Sample& sample) const override;
  /// cv::setNumThreads(0): the runner's workers already run files in parallel. (OpenCV 4.6 has
  /// no property for FFmpeg's decoding threads; the decoded pixels do not depend on them.)
  void prepare_parallel_run() const override;

  const VideoWriteOptions& options() const { return options_; }

 private:
  // A video file; FFmpeg encodes it under a temporary name beside `output` (or in the system's
  // temporary folder when there is none) before its bytes go to `out`.
  void write_video(const Sample& sample, const std::string& extension, std::ostream& out,
                   const std::filesystem::path& output) const;

  VideoWriteOptions options_;
};

}  // namespace augment::video
