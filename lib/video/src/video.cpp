#include "augment/video/video.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>

#include <tbb/parallel_for.h>

#include "augment/core/error.hpp"
#include "augment/video/video_reader.hpp"

namespace augment::video {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;

// Decoding needs the file the frames came from, and only pixel frames can be decoded: a flow
// field exists only in memory.
const VideoInfo& decodable_source(const Video& video) {
  if (!video.info) throw UsageError("video frames without pixels and without a source file to decode them from");
  if (video.content != FrameContent::pixels)
    throw UsageError(video.info->path.string() + ": flow frames without their fields (flow is not decoded from the file)");
  return *video.info;
}

// The source indices of the frames still to decode, ascending, each once.
std::vector<std::int64_t> unloaded_indices(const std::vector<Frame>& frames) {
  std::vector<std::int64_t> indices;
  for (const Frame& f : frames)
    if (f.pixels.empty()) indices.push_back(f.source_index);
  std::sort(indices.begin(), indices.end());
  indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
  return indices;
}

// A loaded frame's pixels with its pending geometry applied (a copy of the warp's result; the
// frame itself is not changed).
cv::Mat settled_pixels(const Frame& f) {
  if (!f.pending_geometry) return f.pixels;
  image::Image warped = *f.pending_geometry;
  return warped.pixels();
}

std::size_t mat_bytes(const cv::Mat& m) { return m.total() * m.elemSize(); }

// Loaded frames that share pixels (a repeated frame) count once.
std::size_t loaded_bytes(const std::vector<Frame>& frames) {
  std::set<const uchar*> seen;
  std::size_t bytes = 0;
  for (const Frame& f : frames)
    if (!f.pixels.empty() && seen.insert(f.pixels.datastart).second) bytes += mat_bytes(f.pixels);
  return bytes;
}

std::size_t decoded_frame_bytes(const VideoInfo& info) {
  return static_cast<std::size_t>(info.width) * static_cast<std::size_t>(info.height) *
         static_cast<std::size_t>(CV_ELEM_SIZE(info.type));
}

std::string megabytes(std::size_t bytes) { return std::to_string((bytes + kMiB - 1) / kMiB) + " MB"; }

void check_budget(const VideoInfo& info, std::size_t bytes, std::size_t max_bytes, const char* what) {
  if (bytes <= max_bytes) return;
  throw DataError(info.path.string() + ": " + what + " would take " + megabytes(bytes) + ", more than the " +
                  std::to_string(max_bytes / kMiB) + " MB limit; sample frames first");
}

}  // namespace

Video::Video(std::shared_ptr<const VideoInfo> source) : info(std::move(source)) {
  if (!info) throw std::invalid_argument("Video: no video info");
  fps = info->fps;
  frames.resize(static_cast<std::size_t>(info->decoded_frames));
  for (std::size_t i = 0; i < frames.size(); ++i) frames[i].source_index = static_cast<std::int64_t>(i);
}

Video::Video(std::vector<cv::Mat> pixels, double rate) : fps(rate) {
  frames.resize(pixels.size());
  for (std::size_t i = 0; i < frames.size(); ++i) {
    if (pixels[i].empty()) throw std::invalid_argument("Video: frame " + std::to_string(i) + " is empty");
    frames[i].source_index = static_cast<std::int64_t>(i);
    frames[i].pixels = std::move(pixels[i]);
  }
}

bool Video::loaded() const {
  return std::all_of(frames.begin(), frames.end(), [](const Frame& f) { return !f.pixels.empty(); });
}

void Video::load(std::size_t max_bytes) {
  const std::vector<std::int64_t> wanted = unloaded_indices(frames);
  if (wanted.empty()) return;
  const VideoInfo& source = decodable_source(*this);
  check_budget(source, loaded_bytes(frames) + wanted.size() * decoded_frame_bytes(source), max_bytes, "frames");

  std::vector<cv::Mat> decoded(wanted.size());
  std::size_t next = 0;
  decode_frames(source.path, wanted, [&](std::int64_t, const cv::Mat& pixels) { decoded[next++] = pixels.clone(); });
  // A frame selected twice shares one decoded copy.
  for (Frame& f : frames) {
    if (!f.pixels.empty()) continue;
    const auto at = std::lower_bound(wanted.begin(), wanted.end(), f.source_index) - wanted.begin();
    f.pixels = decoded[static_cast<std::size_t>(at)];
  }
}

void Video::settle() {
  tbb::parallel_for(std::size_t{0}, frames.size(), [&](std::size_t k) {
    Frame& f = frames[k];
    if (!f.pending_geometry) return;
    f.pixels = settled_pixels(f);
    f.pending_geometry.reset();
  });
}

void Video::for_each_frame(const std::function<void(std::size_t position, const cv::Mat& pixels)>& fn) const {
  const std::vector<std::int64_t> wanted = unloaded_indices(frames);
  std::size_t next = 0;  // the next position to give
  if (wanted.empty()) {
    for (; next < frames.size(); ++next) fn(next, settled_pixels(frames[next]));
    return;
  }
  const VideoInfo& source = decodable_source(*this);

  // One decoding pass in source order, giving positions in their own order. A decoded frame is
  // kept only while a later position still needs it: one frame at a time for a selection that
  // runs forward; a clip overlapping the previous one keeps the overlap; a reversed selection
  // keeps them all (within the load limit).
  std::map<std::int64_t, std::size_t> uses;  // source index -> positions not yet given
  for (const Frame& f : frames)
    if (f.pixels.empty()) ++uses[f.source_index];
  std::map<std::int64_t, cv::Mat> held;
  std::size_t held_bytes = 0;

  auto give_ready = [&] {
    for (; next < frames.size(); ++next) {
      const Frame& f = frames[next];
      if (!f.pixels.empty()) {
        fn(next, settled_pixels(f));
        continue;
      }
      const auto it = held.find(f.source_index);
      if (it == held.end()) return;
      fn(next, it->second);
      if (--uses[f.source_index] == 0) {
        held_bytes -= mat_bytes(it->second);
        held.erase(it);
      }
    }
  };
  decode_frames(source.path, wanted, [&](std::int64_t index, const cv::Mat& pixels) {
    held.emplace(index, pixels);  // no copy: given at once when its position is next
    held_bytes += mat_bytes(pixels);
    give_ready();
    // Still needed later: own a copy, as the decoder reuses its buffer.
    if (auto it = held.find(index); it != held.end()) {
      it->second = it->second.clone();
      check_budget(source, held_bytes, kDefaultMaxLoadedBytes, "frames held to give them in this order");
    }
  });
  give_ready();  // loaded frames after the last decoded one
}

cv::Size Video::frame_size() const {
  for (const Frame& f : frames)
    if (!f.pixels.empty()) return f.pixels.size();
  return info ? cv::Size(info->width, info->height) : cv::Size();
}

int Video::frame_type() const {
  for (const Frame& f : frames)
    if (!f.pixels.empty()) return f.pixels.type();
  return info ? info->type : 0;
}

void keep_positions(Video& video, std::span<const std::size_t> positions) {
  std::vector<Frame> kept;
  kept.reserve(positions.size());
  for (const std::size_t p : positions) {
    if (p >= video.frames.size())
      throw std::out_of_range("keep_positions: position " + std::to_string(p) + " of a video of " +
                              std::to_string(video.frames.size()) + " frames");
    kept.push_back(video.frames[p]);
  }
  video.frames = std::move(kept);
}

}  // namespace augment::video
