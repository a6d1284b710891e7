#pragma once
// augment preview on a video file (preview_command dispatches here by the input's extension):
// one row per variant, its frames side by side, so a clip-wide draw shows as every frame of a
// row changed alike.
#include <cstdint>
#include <string>

namespace augment::cli {

struct VideoPreviewOptions {
  std::string pipeline_file;
  std::string input;
  std::string output;  // the picture (PNG, JPEG...: any image codec's extension)
  int count = 4;
  std::uint64_t seed = 0;
  int max_side = 160;  // of each frame's thumbnail, pixels
};

int preview_video(const VideoPreviewOptions& options);

}  // namespace augment::cli
