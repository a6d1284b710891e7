// The video reader (lib/video video_reader.hpp) on any bytes written to a scratch file, as
// `augment run` opens a video: probe (decode every frame once, bounded), then decode the first
// and last frames the probe promised. Byte 0 picks the file's extension, since FFmpeg's
// probing looks at it; kept cheap with a low frame cap.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "augment/core/error.hpp"
#include "augment/video/video_reader.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace augment;
  fuzz::use_fuzz_limits();
  if (size < 1) return 0;
  static const char* const extensions[] = {".avi", ".mp4", ".mkv", ".webm"};
  const auto file = fuzz::scratch_file(std::string("clip") + extensions[data[0] & 3], data + 1, size - 1);
  try {
    video::ProbeLimits probe_limits;
    probe_limits.max_frames = 64;
    const video::VideoInfo info = video::probe_video(file, probe_limits);
    if (info.decoded_frames < 1 || info.width < 1 || info.height < 1)
      fuzz::fail("probe_video accepted a video without a decodable frame");
    std::vector<std::int64_t> indices{0};
    if (info.decoded_frames > 1) indices.push_back(info.decoded_frames - 1);
    video::decode_frames(file, indices, [&](std::int64_t, const cv::Mat& pixels) {
      if (pixels.cols != info.width || pixels.rows != info.height) fuzz::fail("a frame of another size than probed");
    });
  } catch (const Error&) {
  }
  return 0;
}
