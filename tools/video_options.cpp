#include "video_options.hpp"

#include <stdexcept>

#include "augment/core/error.hpp"

namespace augment::cli {

namespace po = boost::program_options;

void add_video_options(po::options_description& options, VideoArgs& args) {
  options.add_options()
      ("video-output", po::value(&args.output), "videos: write 'video' files (default) or 'frames' (images + a frames manifest)")
      ("video-format", po::value(&args.container), "videos: container of video files, avi (Motion JPEG) or mp4 (MPEG-4); "
                                                   "default: the source's when it is one of those, else avi")
      ("fourcc", po::value(&args.fourcc), "videos: the codec of video files as a four-character code (e.g. FFV1, lossless in avi)")
      ("frame-format", po::value(&args.frame_format), "videos: image format of frames: png (default), jpg, webp, tif, bmp")
      ("jpeg-quality", po::value(&args.jpeg_quality), "videos: JPEG quality of jpg frames, 0..100 (default 95)");
}

std::shared_ptr<const video::VideoCodec> make_video_codec(const VideoArgs& args) {
  video::VideoWriteOptions o;
  if (!args.output.empty()) {
    if (args.output != "video" && args.output != "frames")
      throw UsageError("--video-output must be 'video' or 'frames', got '" + args.output + "'");
    o.output = args.output == "frames" ? video::VideoOutput::frames : video::VideoOutput::video;
  }
  if (!args.container.empty()) o.container = "." + args.container;
  o.fourcc = args.fourcc;
  if (!args.frame_format.empty()) o.frame_format = "." + args.frame_format;
  if (args.jpeg_quality >= 0) o.image.jpeg_quality = args.jpeg_quality;
  try {
    return std::make_shared<const video::VideoCodec>(o);  // validates every setting
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
}

}  // namespace augment::cli
