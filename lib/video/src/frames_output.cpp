#include "frames_output.hpp"

#include <charconv>
#include <cstdio>
#include <map>
#include <regex>
#include <set>
#include <system_error>
#include <vector>

#include "augment/core/csv.hpp"
#include "augment/core/error.hpp"
#include "augment/video/optical_flow.hpp"
#include "video_writer.hpp"

namespace augment::video::detail {
namespace {

namespace fs = std::filesystem;

// "f000010", or "f000010-000011" for the flow from frame 10 to frame 11.
std::string frame_stem(const Frame& frame, FrameContent content) {
  char name[64];
  if (content == FrameContent::flow)
    std::snprintf(name, sizeof name, "f%06lld-%06lld", static_cast<long long>(frame.source_index),
                  static_cast<long long>(frame.flow_to));
  else
    std::snprintf(name, sizeof name, "f%06lld", static_cast<long long>(frame.source_index));
  return name;
}

// Whether two frames of one source frame hold the same picture: both still undecoded (the same
// decode), the same buffer (load() shares a repeated frame's), or equal values.
bool same_picture(const cv::Mat& a, const cv::Mat& b) {
  if (a.empty() || b.empty()) return a.empty() && b.empty();
  if (a.size() != b.size() || a.type() != b.type()) return false;
  if (a.data == b.data && a.step == b.step) return true;
  return cv::norm(a.reshape(1), b.reshape(1), cv::NORM_INF) == 0;
}

// The file stem of each position. Positions showing one source frame share its file while their
// pictures are the same (a clip padded by repeating, overlapping clips left as decoded); a
// version that differs (a per-frame draw changed one copy) gets its own file, "f000010_1".
// A pure function of the sample, so the manifest and the frame files agree.
std::vector<std::string> frame_stems(const Video& video) {
  std::map<std::string, std::vector<std::size_t>> versions;  // stem -> first position of each version
  std::vector<std::string> stems;
  stems.reserve(video.frames.size());
  for (std::size_t p = 0; p < video.frames.size(); ++p) {
    const std::string base = frame_stem(video.frames[p], video.content);
    std::vector<std::size_t>& seen = versions[base];
    std::size_t version = 0;
    while (version < seen.size() && !same_picture(video.frames[seen[version]].pixels, video.frames[p].pixels)) ++version;
    if (version == seen.size()) seen.push_back(p);
    stems.push_back(version == 0 ? base : base + "_" + std::to_string(version));
  }
  return stems;
}

// A name frame_stems() makes, with a frame image or .flo extension: what an earlier run may
// have left.
bool is_frame_file_name(const std::string& name) {
  static const std::regex pattern(R"(f\d{6,}(-\d{6,})?(_\d+)?\.(png|jpg|jpeg|webp|tif|tiff|bmp|flo))");
  return std::regex_match(name, pattern);
}

std::string source_time(const Video& video, const Frame& frame) {
  const double fps = video.info ? video.info->fps : video.fps;
  if (!(fps > 0)) return {};
  // to_chars: the same digits whatever the C locale says the decimal point is.
  char text[64];
  const auto end = std::to_chars(text, text + sizeof text, static_cast<double>(frame.source_index) / fps,
                                 std::chars_format::fixed, 6).ptr;
  return {text, end};
}

bool has_clips(const Video& video) {
  for (const Frame& f : video.frames)
    if (f.clip != 0) return true;
  return false;
}

void write_file(const fs::path& target, const std::vector<std::uint8_t>& bytes, Durability durability) {
  try {
    AtomicOutputFile file(target, durability);
    file.stream().write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    file.commit();
  } catch (const DataError& e) {
    const std::string message = e.what();
    if (message.starts_with(target.string())) throw;
    throw DataError(target.string() + ": " + message);
  }
}

// Encodes for one file, naming it in the error.
template <class Encode>
std::vector<std::uint8_t> encoded_for(const fs::path& target, Encode encode) {
  try {
    return encode();
  } catch (const DataError& e) {
    throw DataError(target.string() + ": " + e.what());
  }
}

// .flo holds float32 pairs: a field of doubles is narrowed to them.
std::vector<std::uint8_t> flo_bytes(const cv::Mat& flow) {
  if (flow.channels() != 2)
    throw DataError("a flow frame has 2 channels (dx, dy), got " + std::to_string(flow.channels()));
  if (flow.depth() == CV_32F) return encode_flo(flow);
  cv::Mat narrowed;
  flow.convertTo(narrowed, CV_32F);
  return encode_flo(narrowed);
}

void make_folder(const fs::path& folder) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec || !fs::is_directory(folder))
    throw DataError(folder.string() + ": cannot make the frames folder" + (ec ? ": " + ec.message() : ""));
}

void remove_stale_frames(const fs::path& folder, const std::set<std::string>& written) {
  std::error_code ec;
  std::vector<fs::path> stale;
  for (auto it = fs::directory_iterator(folder, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (it->is_regular_file(ec) && is_frame_file_name(name) && !written.contains(name)) stale.push_back(it->path());
  }
  for (const fs::path& file : stale)
    if (!fs::remove(file, ec) && ec) throw DataError(file.string() + ": cannot remove a stale frame file: " + ec.message());
}

}  // namespace

void write_frames_manifest(const Video& video, const std::string& folder, const std::string& image_extension,
                           std::ostream& out) {
  if (video.frames.empty()) throw DataError("no frames to write");
  const bool flow = video.content == FrameContent::flow;
  const bool clips = has_clips(video);
  std::vector<std::string> header{"path", "source_frame", "time"};
  if (clips) header.emplace_back("clip");
  if (flow) header.insert(header.end(), {"flow_to", "colour"});
  const std::vector<std::string> stems = frame_stems(video);
  CsvWriter csv(out);
  csv.write_row(header);
  for (std::size_t p = 0; p < video.frames.size(); ++p) {
    const Frame& f = video.frames[p];
    const std::string stem = folder + "/" + stems[p];
    std::vector<std::string> row{stem + (flow ? ".flo" : image_extension), std::to_string(f.source_index),
                                 source_time(video, f)};
    if (clips) row.push_back(std::to_string(f.clip));
    if (flow) row.insert(row.end(), {std::to_string(f.flow_to), stem + image_extension});
    csv.write_row(row);
  }
  if (!out) throw DataError("cannot write the frames manifest: the output stream failed");
}

void write_frame_files(const Video& video, const std::filesystem::path& folder, const FrameFileFormat& format,
                       Durability durability) {
  if (video.frames.empty()) throw DataError("no frames to write");
  make_folder(folder);
  const bool flow = video.content == FrameContent::flow;
  const double scale = flow ? flow_colour_scale(video) : 0;
  const std::vector<std::string> stems = frame_stems(video);
  std::set<std::string> written;
  video.for_each_frame([&](std::size_t position, const cv::Mat& pixels) {
    const std::string& stem = stems[position];
    const std::string image_name = stem + format.image_extension;
    if (written.contains(image_name)) return;  // the same picture: one file, listed on each of its rows
    if (flow) {
      const fs::path flo = folder / (stem + ".flo");
      write_file(flo, encoded_for(flo, [&] { return flo_bytes(pixels); }), durability);
      written.insert(stem + ".flo");
    }
    const fs::path image = folder / image_name;
    write_file(image, encoded_for(image, [&] {
                 return image::encode_image(flow ? flow_colour_frame(pixels, scale) : pixels, format.image_extension,
                                            format.image);
               }),
               durability);
    written.insert(image_name);
  });
  remove_stale_frames(folder, written);
}

}  // namespace augment::video::detail
