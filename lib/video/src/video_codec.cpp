#include "augment/video/video_codec.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>

#include <opencv2/core/utility.hpp>

#include "augment/core/error.hpp"
#include "augment/core/paths.hpp"
#include "frames_output.hpp"
#include "video_writer.hpp"

namespace augment::video {
namespace {

namespace fs = std::filesystem;

// Video files we write. Matroska is read but not written: its muxer puts a random segment UID
// in every file, so the same frames would not give the same bytes.
bool is_write_container(const std::string& extension) { return extension == ".avi" || extension == ".mp4"; }

bool is_frame_format(const std::string& extension) {
  static const std::vector<std::string> formats{".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff", ".bmp"};
  return std::find(formats.begin(), formats.end(), extension) != formats.end();
}

bool printable(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
}

const Video& video_of(const Sample& sample) { return sample.as<Video>(); }

}  // namespace

VideoCodec::VideoCodec(VideoWriteOptions options) : options_(std::move(options)) {
  options_.container = ascii_lower(options_.container);
  options_.frame_format = ascii_lower(options_.frame_format);
  if (!options_.container.empty() && !is_write_container(options_.container))
    throw std::invalid_argument("container must be .avi or .mp4, got '" + options_.container + "'");
  if (!options_.fourcc.empty() && (options_.fourcc.size() != 4 || !printable(options_.fourcc)))
    throw std::invalid_argument("fourcc must be 4 printable characters (\"MJPG\"), got '" + options_.fourcc + "'");
  // An encoder FFmpeg lacks would otherwise fail every file of a run, one by one: refuse it now,
  // in each container the outputs may use (the source's .avi or .mp4 when none is given).
  if (!options_.fourcc.empty())
    for (const char* container : {".avi", ".mp4"})
      if ((options_.container.empty() || options_.container == container) && !detail::can_write(container, options_.fourcc))
        throw std::invalid_argument("fourcc '" + options_.fourcc + "': FFmpeg cannot write it in " + container +
                                    (options_.container.empty() ? " (set the container to one that takes it)" : ""));
  if (!is_frame_format(options_.frame_format))
    throw std::invalid_argument("frame_format must be .png, .jpg, .webp, .tif or .bmp, got '" + options_.frame_format + "'");
  image::ImageCodec check_image_options(options_.image);  // throws std::invalid_argument when out of range
  if (options_.limits.max_frames < 1) throw std::invalid_argument("max_frames must be at least 1");
}

std::vector<std::string> VideoCodec::extensions() const {
  return {".avi", ".mp4", ".m4v", ".mkv", ".mov", ".webm", ".mpg", ".mpeg"};
}

Sample VideoCodec::read(const std::filesystem::path& file) const {
  Video video(std::make_shared<VideoInfo>(probe_video(file, options_.limits)));
  video.source_extension = lower_extension(file);
  return Sample(Kind::video, std::move(video));
}

std::string VideoCodec::output_extension(const std::string& source_extension) const {
  if (options_.output == VideoOutput::frames) return ".csv";
  if (!options_.container.empty()) return options_.container;
  const std::string source = ascii_lower(source_extension);
  return is_write_container(source) ? source : ".avi";
}

void VideoCodec::settle(Sample& sample) const { sample.as<Video>().settle(); }

void VideoCodec::write(const Sample& sample, const std::string& extension, std::ostream& out) const {
  if (ascii_lower(extension) == ".csv")
    throw UsageError("a frames manifest names its frames folder after its own file: write it with write_as()");
  write_video(sample, extension, out, {});
}

void VideoCodec::write_video(const Sample& sample, const std::string& extension, std::ostream& out,
                             const std::filesystem::path& output) const {
  const std::string ext = ascii_lower(extension);
  if (!is_write_container(ext))
    throw DataError("cannot write video as '" + extension + "': the video formats written are .avi and .mp4");
  const std::string fourcc = options_.fourcc.empty() ? detail::default_fourcc(ext) : options_.fourcc;
  detail::write_video_file(video_of(sample), ext, fourcc, out, output);
}

void VideoCodec::write_as(const Sample& sample, const std::string& extension, const std::filesystem::path& output,
                          std::ostream& out) const {
  if (ascii_lower(extension) != ".csv") return write_video(sample, extension, out, output);  // encoded beside it
  detail::write_frames_manifest(video_of(sample), output.stem().string(), options_.frame_format, out);
}

void VideoCodec::write_companions(const Sample& sample, const std::filesystem::path& output,
                                  Durability durability) const {
  if (lower_extension(output) != ".csv") return;
  const fs::path folder = output.parent_path() / output.stem();
  detail::write_frame_files(video_of(sample), folder, {options_.frame_format, options_.image}, durability);
}

void VideoCodec::prepare_parallel_run() const { cv::setNumThreads(0); }

}  // namespace augment::video
