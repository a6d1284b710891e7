#pragma once
// augment preview on an audio file (preview_command dispatches here by the input's extension).
#include <cstdint>
#include <string>

namespace augment::cli {

struct AudioPreviewOptions {
  std::string pipeline_file;
  std::string input;
  std::string output;  // the picture (PNG, JPEG...: any image codec's extension)
  int count = 4;
  std::uint64_t seed = 0;
  int width = 640;           // of each panel, pixels
  bool write_audio = false;  // also write each audio variant beside the picture
};

int preview_audio(const AudioPreviewOptions& options);

}  // namespace augment::cli
