// The video codec: reading probes, writing makes an .avi/.mp4 that reads back (the same bytes
// every time) or a frames manifest with its frame files, whose text and pixels are checked
// exactly. Frames that a video file cannot hold are DataErrors with the reason.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "augment/core/atomic_file.hpp"
#include "augment/core/error.hpp"
#include "augment/video/optical_flow.hpp"
#include "augment/video/video.hpp"
#include "augment/video/video_codec.hpp"
#include "augment/video/video_reader.hpp"
#include "file_test_helpers.hpp"
#include "video_test_helpers.hpp"

namespace {

using video_test::corpus;
using video_test::same_pixels;
namespace fs = std::filesystem;
using augment::DataError;
using augment::Durability;
using augment::Kind;
using augment::Sample;
using augment::video::FrameContent;
using augment::video::probe_video;
using augment::video::Video;
using augment::video::VideoCodec;
using augment::video::VideoInfo;
using augment::video::VideoOutput;
using augment::video::VideoWriteOptions;

Sample video_sample(Video video) { return Sample(Kind::video, std::move(video)); }

/// The square clip as read from the corpus, with only `positions` of its frames kept.
Sample square_sample(const VideoCodec& codec, const std::vector<std::size_t>& positions) {
  Sample sample = codec.read(corpus("square.avi"));
  augment::video::keep_positions(sample.as<Video>(), positions);
  return sample;
}

std::string encode(const VideoCodec& codec, const Sample& sample, const std::string& extension) {
  std::ostringstream out;
  codec.write(sample, extension, out);
  return out.str();
}

std::string write_error(const VideoCodec& codec, const Sample& sample, const std::string& extension) {
  try {
    encode(codec, sample, extension);
  } catch (const DataError& e) {
    return e.what();
  }
  FAIL("expected a DataError writing " << extension);
  return {};
}

/// Writes the frames output as the runner does (manifest to `output`, frame files beside it)
/// and returns the manifest's text.
std::string write_frames(const VideoCodec& codec, const Sample& sample, const fs::path& output) {
  std::ostringstream out;
  codec.write_as(sample, ".csv", output, out);
  codec.write_companions(sample, output, Durability::atomic_only);
  file_test::write_all(output, out.str());
  return out.str();
}

std::vector<std::string> file_names(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

/// Mean absolute difference per channel value.
double mean_difference(const cv::Mat& a, const cv::Mat& b) {
  return cv::norm(a, b, cv::NORM_L1) / static_cast<double>(a.total() * static_cast<std::size_t>(a.channels()));
}

/// Three constant flow fields, (1, 0), (0, 2) and (3, 4) pixels, from frame i to i + 1 of a 8x6 clip.
Video flow_video() {
  Video video({cv::Mat(6, 8, CV_32FC2, cv::Scalar(1, 0)), cv::Mat(6, 8, CV_32FC2, cv::Scalar(0, 2)),
               cv::Mat(6, 8, CV_32FC2, cv::Scalar(3, 4))},
              10);
  video.content = FrameContent::flow;
  for (std::size_t i = 0; i < video.frames.size(); ++i) video.frames[i].flow_to = static_cast<std::int64_t>(i) + 1;
  return video;
}

}  // namespace

TEST_CASE("reading a video probes it: all its frames, none decoded") {
  const VideoCodec codec;
  const Sample sample = codec.read(corpus("square.avi"));
  CHECK(sample.kind() == Kind::video);
  const Video& video = sample.as<Video>();
  REQUIRE(video.info != nullptr);
  CHECK(video.info->decoded_frames == 40);
  CHECK(video.frames.size() == 40);
  CHECK_FALSE(video.loaded());
  CHECK(video.source_extension == ".avi");
  CHECK(video.fps == doctest::Approx(10.0));
}

TEST_CASE("reading a bad file is a DataError starting with its path") {
  const VideoCodec codec;
  for (const char* name : {"not-a-video.mp4", "no-frames.avi"}) {
    CAPTURE(name);
    try {
      codec.read(corpus(name));
      FAIL("expected a DataError");
    } catch (const DataError& e) {
      CHECK(std::string(e.what()).starts_with(corpus(name).string() + ": "));
    }
  }
}

TEST_CASE("extensions and output extensions") {
  const VideoCodec codec;
  const std::vector<std::string> read{".avi", ".mp4", ".m4v", ".mkv", ".mov", ".webm", ".mpg", ".mpeg"};
  CHECK(codec.extensions() == read);
  CHECK(codec.output_extension(".avi") == ".avi");
  CHECK(codec.output_extension(".MP4") == ".mp4");
  CHECK(codec.output_extension(".mkv") == ".avi");
  CHECK(VideoCodec(VideoWriteOptions{.container = ".mp4"}).output_extension(".avi") == ".mp4");
  CHECK(VideoCodec(VideoWriteOptions{.output = VideoOutput::frames}).output_extension(".avi") == ".csv");
}

TEST_CASE("bad write options are refused when the codec is made") {
  CHECK_THROWS_AS(VideoCodec(VideoWriteOptions{.container = ".mkv"}), std::invalid_argument);
  CHECK_THROWS_AS(VideoCodec(VideoWriteOptions{.fourcc = "MJP"}), std::invalid_argument);
  CHECK_THROWS_AS(VideoCodec(VideoWriteOptions{.frame_format = ".gif"}), std::invalid_argument);
  // A codec FFmpeg has no encoder or tag for, found by a test encode rather than file by file.
  CHECK_THROWS_AS(VideoCodec(VideoWriteOptions{.fourcc = "ZZZZ"}), std::invalid_argument);
  CHECK_THROWS_AS(VideoCodec(VideoWriteOptions{.fourcc = "FFV1"}), std::invalid_argument);  // not in .mp4
  CHECK_NOTHROW(VideoCodec(VideoWriteOptions{.container = ".avi", .fourcc = "FFV1"}));
  VideoWriteOptions bad_quality;
  bad_quality.image.jpeg_quality = 101;
  CHECK_THROWS_AS(VideoCodec{bad_quality}, std::invalid_argument);
}

TEST_CASE("writing .avi: Motion JPEG that reads back close to the frames, the same bytes every time") {
  file_test::ScratchFolder dir;
  const VideoCodec codec;
  const Sample sample = codec.read(corpus("square.avi"));  // frames decoded while writing
  const std::string bytes = encode(codec, sample, ".avi");
  CHECK(encode(codec, sample, ".avi") == bytes);
  file_test::write_all(dir / "out.avi", bytes);

  const VideoInfo info = probe_video(dir / "out.avi");
  CHECK(info.decoded_frames == 40);
  CHECK(info.width == 160);
  CHECK(info.height == 120);
  CHECK(info.fps == doctest::Approx(10.0));
  CHECK(info.fourcc == "MJPG");
  Video back(std::make_shared<VideoInfo>(info));
  back.load();
  for (int f = 0; f < 40; ++f) {
    CAPTURE(f);
    // JPEG halves the chroma resolution: the checkerboard's colour edges blur, the rest stays.
    CHECK(mean_difference(back.frames[static_cast<std::size_t>(f)].pixels, video_test::square_frame(f)) < 4.0);
  }
}

TEST_CASE("writing .mp4: MPEG-4 part 2, the selected frames, the same bytes every time") {
  file_test::ScratchFolder dir;
  const VideoCodec codec;
  const Sample sample = square_sample(codec, {0, 10, 20, 30, 39, 39});
  const std::string bytes = encode(codec, sample, ".mp4");
  CHECK(encode(codec, sample, ".mp4") == bytes);
  file_test::write_all(dir / "out.mp4", bytes);
  const VideoInfo info = probe_video(dir / "out.mp4");
  CHECK(info.decoded_frames == 6);
  CHECK(info.fourcc == "mp4v");
  CHECK(info.width == 160);
}

TEST_CASE("gray frames are written as a gray video, at 25 fps when the video has none") {
  file_test::ScratchFolder dir;
  const VideoCodec codec;
  cv::Mat gray(120, 160, CV_8UC1, cv::Scalar(90));
  const Video video({gray, gray, gray}, 0);
  file_test::write_all(dir / "gray.avi", encode(codec, video_sample(video), ".avi"));
  const VideoInfo info = probe_video(dir / "gray.avi");
  CHECK(info.decoded_frames == 3);
  CHECK(info.fps == doctest::Approx(25.0));
}

TEST_CASE("frames a video file cannot hold are DataErrors with the reason") {
  const VideoCodec codec;
  const cv::Mat frame = video_test::square_frame(0);
  SUBCASE("no frames") { CHECK(write_error(codec, video_sample(Video({}, 10)), ".avi") == "no frames to write"); }
  SUBCASE("16-bit") {
    const std::string message = write_error(codec, video_sample(Video({cv::Mat(120, 160, CV_16UC3)}, 10)), ".avi");
    CHECK(message.starts_with("frame 0: cannot write 16-bit pixels to a video file"));
  }
  SUBCASE("alpha") {
    const std::string message = write_error(codec, video_sample(Video({cv::Mat(120, 160, CV_8UC4)}, 10)), ".avi");
    CHECK(message.starts_with("frame 0: cannot write 4 channels"));
  }
  SUBCASE("a size change") {
    const std::string message = write_error(codec, video_sample(Video({frame, frame(cv::Rect(0, 0, 80, 60))}, 10)), ".avi");
    CHECK(message == "frame 1: is 80x60 but the first frame is 160x120: a video's frames share one size");
  }
  SUBCASE("an odd size") {
    const std::string message = write_error(codec, video_sample(Video({cv::Mat(121, 160, CV_8UC3)}, 10)), ".avi");
    CHECK(message.starts_with("frame 0: is 160x121: FFmpeg's writer needs an even width and height"));
  }
  SUBCASE("not a container we write") {
    CHECK(write_error(codec, video_sample(Video({frame}, 10)), ".mkv").starts_with("cannot write video as '.mkv'"));
  }
}

TEST_CASE("write() cannot make a frames manifest: it needs its path") {
  const VideoCodec codec(VideoWriteOptions{.output = VideoOutput::frames});
  std::ostringstream out;
  CHECK_THROWS_AS(codec.write(video_sample(Video({video_test::square_frame(0)}, 10)), ".csv", out), augment::UsageError);
}

TEST_CASE("frames output of a video without frames is a DataError") {
  file_test::ScratchFolder dir;
  const VideoCodec codec(VideoWriteOptions{.output = VideoOutput::frames});
  std::ostringstream out;
  CHECK_THROWS_WITH_AS(codec.write_as(video_sample(Video({}, 10)), ".csv", dir / "empty.csv", out), "no frames to write",
                       DataError);
  CHECK_THROWS_WITH_AS(codec.write_companions(video_sample(Video({}, 10)), dir / "empty.csv", Durability::atomic_only),
                       "no frames to write", DataError);
  CHECK_FALSE(fs::exists(dir / "empty"));
}

TEST_CASE("frames output: the manifest lists <stem>/fNNNNNN.png, a repeated frame once on disk") {
  file_test::ScratchFolder dir;
  const VideoCodec codec(VideoWriteOptions{.output = VideoOutput::frames});
  const Sample sample = square_sample(codec, {0, 10, 10, 39});
  const std::string csv = write_frames(codec, sample, dir / "clip_1.csv");
  CHECK(csv ==
        "path,source_frame,time\n"
        "clip_1/f000000.png,0,0.000000\n"
        "clip_1/f000010.png,10,1.000000\n"
        "clip_1/f000010.png,10,1.000000\n"
        "clip_1/f000039.png,39,3.900000\n");
  CHECK(file_names(dir / "clip_1") == std::vector<std::string>{"f000000.png", "f000010.png", "f000039.png"});
  for (const int f : {0, 10, 39}) {
    CAPTURE(f);
    char name[32];
    std::snprintf(name, sizeof name, "clip_1/f%06d.png", f);
    CHECK(same_pixels(cv::imread((dir / name).string(), cv::IMREAD_UNCHANGED), video_test::square_frame(f)));
  }
}

TEST_CASE("frames output: copies of a frame a stage made different are files of their own") {
  file_test::ScratchFolder dir;
  const VideoCodec codec(VideoWriteOptions{.output = VideoOutput::frames});
  // Source frame 1 four times: as loaded (shared), a separate but equal copy, and a changed copy.
  Sample sample = square_sample(codec, {1, 1, 1, 1, 2});
  Video& video = sample.as<Video>();
  video.load();
  video.frames[2].pixels = video.frames[0].pixels.clone();
  const cv::Mat changed = video.frames[0].pixels + cv::Scalar(1, 1, 1);
  video.frames[3].pixels = changed;
  const std::string csv = write_frames(codec, sample, dir / "v.csv");
  CHECK(csv ==
        "path,source_frame,time\n"
        "v/f000001.png,1,0.100000\n"
        "v/f000001.png,1,0.100000\n"
        "v/f000001.png,1,0.100000\n"
        "v/f000001_1.png,1,0.100000\n"
        "v/f000002.png,2,0.200000\n");
  CHECK(file_names(dir / "v") == std::vector<std::string>{"f000001.png", "f000001_1.png", "f000002.png"});
  CHECK(same_pixels(cv::imread((dir / "v" / "f000001_1.png").string(), cv::IMREAD_UNCHANGED), changed));
  CHECK(same_pixels(cv::imread((dir / "v" / "f000001.png").string(), cv::IMREAD_UNCHANGED), video_test::square_frame(1)));
  // A rerun without the changed copy removes its file.
  write_frames(codec, square_sample(codec, {1, 2}), dir / "v.csv");
  CHECK(file_names(dir / "v") == std::vector<std::string>{"f000001.png", "f000002.png"});
}

TEST_CASE("frames output: a clip column when clips are numbered, an empty time without fps") {
  file_test::ScratchFolder dir;
  const VideoCodec codec(VideoWriteOptions{.output = VideoOutput::frames, .frame_format = ".bmp"});
  Video video({video_test::square_frame(0), video_test::square_frame(1), video_test::square_frame(2)}, 0);
  video.frames[2].clip = 1;
  const std::string csv = write_frames(codec, video_sample(video), dir / "a b.csv");
  CHECK(csv ==
        "path,source_frame,time,clip\n"
        "a b/f000000.bmp,0,,0\n"
        "a b/f000001.bmp,1,,0\n"
        "a b/f000002.bmp,2,,1\n");
  CHECK(same_pixels(cv::imread((dir / "a b" / "f000002.bmp").string(), cv::IMREAD_UNCHANGED), video_test::square_frame(2)));
}

TEST_CASE("frames output removes stale frame files of an earlier run and nothing else") {
  file_test::ScratchFolder dir;
  const fs::path folder = dir / "clip";
  fs::create_directories(folder / "f000006.png");  // a folder with a frame's name: not a frame file
  for (const char* name : {"f000005.png", "f000010.png", "f000007-000008.flo", "f000009.jpg", "f000010_2.png",
                           "notes.txt", "f12.png", "f000005.png.bak", ".f000001.png.tmp.1.2"})
    file_test::write_all(folder / name, "old");
  const VideoCodec codec(VideoWriteOptions{.output = VideoOutput::frames});
  write_frames(codec, square_sample(codec, {10, 11}), dir / "clip.csv");
  CHECK(file_names(folder) == std::vector<std::string>{".f000001.png.tmp.1.2", "f000005.png.bak", "f000006.png",
                                                       "f000010.png", "f000011.png", "f12.png", "notes.txt"});
  CHECK(same_pixels(cv::imread((folder / "f000010.png").string(), cv::IMREAD_UNCHANGED), video_test::square_frame(10)));
}

TEST_CASE("flow frames output: .flo fields and colour images on one scale for the clip") {
  file_test::ScratchFolder dir;
  const VideoCodec codec(VideoWriteOptions{.output = VideoOutput::frames});
  const Video video = flow_video();
  const std::string csv = write_frames(codec, video_sample(video), dir / "flow.csv");
  CHECK(csv ==
        "path,source_frame,time,flow_to,colour\n"
        "flow/f000000-000001.flo,0,0.000000,1,flow/f000000-000001.png\n"
        "flow/f000001-000002.flo,1,0.100000,2,flow/f000001-000002.png\n"
        "flow/f000002-000003.flo,2,0.200000,3,flow/f000002-000003.png\n");
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    const std::string stem = "f00000" + std::to_string(i) + "-00000" + std::to_string(i + 1);
    const std::string flo = file_test::read_all(dir / "flow" / (stem + ".flo"));
    const cv::Mat field = augment::video::decode_flo({reinterpret_cast<const std::uint8_t*>(flo.data()), flo.size()});
    CHECK(same_pixels(field, video.frames[i].pixels));
    // The largest motion of the clip is (3, 4): length 5, the scale of every frame.
    const cv::Mat colour = cv::imread((dir / "flow" / (stem + ".png")).string(), cv::IMREAD_UNCHANGED);
    CHECK(same_pixels(colour, augment::video::flow_to_colour(video.frames[i].pixels, 5.0)));
  }
  // Each frame on its own scale would saturate the small motion of frame 0.
  const cv::Mat first = cv::imread((dir / "flow" / "f000000-000001.png").string(), cv::IMREAD_UNCHANGED);
  CHECK_FALSE(same_pixels(first, augment::video::flow_to_colour(video.frames[0].pixels, 0)));
}

TEST_CASE("a flow video is written colour-coded") {
  file_test::ScratchFolder dir;
  const VideoCodec codec;
  Video video = flow_video();
  file_test::write_all(dir / "flow.avi", encode(codec, video_sample(video), ".avi"));
  const VideoInfo info = probe_video(dir / "flow.avi");
  CHECK(info.decoded_frames == 3);
  CHECK(info.width == 8);
  CHECK(info.height == 6);
}
