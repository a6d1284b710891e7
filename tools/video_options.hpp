#pragma once
// The options that say how `augment run` writes videos: as video files (the default) or as frame
// images with a frames manifest.
#include <boost/program_options.hpp>

#include <memory>
#include <string>

#include "augment/video/video_codec.hpp"

namespace augment::cli {

struct VideoArgs {
  std::string output;        // "video" or "frames"
  std::string container;     // "avi", "mp4"
  std::string fourcc;
  std::string frame_format;  // "png", "jpg", ...
  int jpeg_quality = -1;     // -1: the codec's default

  bool any() const { return !output.empty() || !container.empty() || !fourcc.empty() || !frame_format.empty() || jpeg_quality >= 0; }
};

void add_video_options(boost::program_options::options_description& options, VideoArgs& args);

/// The video codec the options ask for. Throws UsageError naming the option on a bad value.
std::shared_ptr<const video::VideoCodec> make_video_codec(const VideoArgs& args);

}  // namespace augment::cli
