// Probing and decoding video files, and the lazy Video sample: frame counts come from decoding
// (never the header), pixels from one sequential pass, and every unusable file is a DataError
// that starts with its path. Expected values are those scripts/make-video-corpus wrote and
// checked with Python's cv2 (corpora/video/README.md).
#include <doctest/doctest.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "augment/core/error.hpp"
#include "augment/core/limits.hpp"
#include "augment/video/video.hpp"
#include "augment/video/video_reader.hpp"
#include "file_test_helpers.hpp"
#include "video_test_helpers.hpp"

namespace {

using video_test::corpus;
using video_test::same_pixels;
namespace fs = std::filesystem;
using augment::DataError;
using augment::video::decode_frames;
using augment::video::probe_video;
using augment::video::Video;
using augment::video::VideoInfo;

/// The message of the DataError `fn` throws (fails the test when it throws nothing or another type).
template <class Fn>
std::string data_error(Fn fn) {
  try {
    fn();
  } catch (const DataError& e) {
    return e.what();
  } catch (const std::exception& e) {
    FAIL("expected a DataError, got: " << e.what());
  }
  FAIL("expected a DataError");
  return {};
}

std::string probe_error(const fs::path& file) {
  return data_error([&] { probe_video(file); });
}

Video square_video() { return Video(std::make_shared<VideoInfo>(probe_video(corpus("square.avi")))); }

/// Every frame of `file` in order, decoded through decode_frames.
std::vector<cv::Mat> decode_all(const fs::path& file, std::int64_t count) {
  std::vector<std::int64_t> indices;
  for (std::int64_t i = 0; i < count; ++i) indices.push_back(i);
  std::vector<cv::Mat> frames;
  decode_frames(file, indices, [&](std::int64_t, const cv::Mat& pixels) { frames.push_back(pixels.clone()); });
  return frames;
}

}  // namespace

TEST_CASE("probe_video reports what the square clip holds, counted by decoding") {
  const VideoInfo info = probe_video(corpus("square.avi"));
  CHECK(info.path == corpus("square.avi"));
  CHECK(info.decoded_frames == video_test::kSquareFrames);
  CHECK(info.header_frames == video_test::kSquareFrames);
  CHECK(info.fps == doctest::Approx(video_test::kSquareFps));
  CHECK(info.width == video_test::kSquareWidth);
  CHECK(info.height == video_test::kSquareHeight);
  CHECK(info.type == CV_8UC3);
  CHECK(info.fourcc == "FFV1");
}

TEST_CASE("square.avi is lossless: every frame decodes to the synthetic clip's pixels") {
  const std::vector<cv::Mat> frames = decode_all(corpus("square.avi"), video_test::kSquareFrames);
  REQUIRE(frames.size() == static_cast<std::size_t>(video_test::kSquareFrames));
  for (int f = 0; f < video_test::kSquareFrames; ++f) {
    CAPTURE(f);
    CHECK(same_pixels(frames[static_cast<std::size_t>(f)], video_test::square_frame(f)));
  }
}

TEST_CASE("probe_video reads the vtest clip the corpus script cut: 100 frames at 768x576") {
  const VideoInfo info = probe_video(corpus("vtest-clip.avi"));
  CHECK(info.decoded_frames == 100);
  CHECK(info.header_frames == 100);
  CHECK(info.fps == doctest::Approx(10.0));
  CHECK(info.width == 768);
  CHECK(info.height == 576);
  CHECK(info.type == CV_8UC3);
  CHECK(info.fourcc == "XVID");
}

TEST_CASE("a header that claims 444 frames is reported but not believed: 40 decode") {
  const VideoInfo info = probe_video(corpus("lying-header.avi"));
  CHECK(info.header_frames == 444);
  CHECK(info.decoded_frames == 40);
}

TEST_CASE("OpenCV's tree.avi claims 444 frames and 68 decode") {
  const fs::path tree = "/usr/share/doc/opencv-doc/examples/data/tree.avi";
  if (!fs::exists(tree)) {
    MESSAGE("skipped: " << tree << " is not installed (Debian package opencv-doc)");
    return;
  }
  const VideoInfo info = probe_video(tree);
  CHECK(info.header_frames == 444);
  CHECK(info.decoded_frames == 68);
  CHECK(info.width == 320);
  CHECK(info.height == 240);
  CHECK(info.fourcc == "cvid");
}

TEST_CASE("a container without frames is a DataError that says what the header claimed") {
  const fs::path file = corpus("no-frames.avi");
  const std::string message = probe_error(file);
  CHECK(message == file.string() + ": no frame decodes (the header gives no frame count)");
}

TEST_CASE("a truncated clip yields the frames before the cut") {
  const fs::path file = corpus("truncated.avi");
  const VideoInfo info = probe_video(file);
  CHECK(info.header_frames == 40);
  CHECK(info.decoded_frames > 0);
  CHECK(info.decoded_frames < 40);
  // The frame the cut goes through (the last) may come out damaged; those before are intact.
  const std::vector<cv::Mat> frames = decode_all(file, info.decoded_frames);
  for (std::size_t f = 0; f + 1 < frames.size(); ++f) {
    CAPTURE(f);
    CHECK(same_pixels(frames[f], video_test::square_frame(static_cast<int>(f))));
  }
}

TEST_CASE("files that are not videos are DataErrors starting with their path") {
  file_test::ScratchFolder dir;
  SUBCASE("not a video") {
    const fs::path file = corpus("not-a-video.mp4");
    CHECK(probe_error(file).starts_with(file.string() + ": not a video FFmpeg can decode"));
  }
  SUBCASE("missing") {
    const fs::path file = dir / "missing.avi";
    CHECK(probe_error(file) == file.string() + ": cannot read: no such file");
  }
  SUBCASE("empty") {
    const fs::path file = dir / "empty.avi";
    file_test::write_all(file, "");
    CHECK(probe_error(file) == file.string() + ": empty file");
  }
  SUBCASE("a folder") {
    const fs::path folder = dir / "clip.avi";
    fs::create_directory(folder);
    CHECK(probe_error(folder) == folder.string() + ": is a directory, not a video file");
  }
}

TEST_CASE("probing stops at max_frames with an error") {
  const fs::path file = corpus("square.avi");
  const std::string message = data_error([&] { probe_video(file, {.max_frames = 10}); });
  CHECK(message.starts_with(file.string() + ": more than 10 frames"));
  CHECK(probe_video(file, {.max_frames = 40}).decoded_frames == 40);
}

TEST_CASE("decode_frames gives exactly the frames asked for, in order") {
  const std::vector<std::int64_t> wanted{0, 12, 13, 39};
  std::vector<std::int64_t> given;
  decode_frames(corpus("square.avi"), wanted, [&](std::int64_t index, const cv::Mat& pixels) {
    given.push_back(index);
    CHECK(same_pixels(pixels, video_test::square_frame(static_cast<int>(index))));
  });
  CHECK(given == wanted);
}

TEST_CASE("decode_frames takes ascending indices without repeats") {
  const auto nothing = [](std::int64_t, const cv::Mat&) {};
  const std::vector<std::int64_t> repeat{3, 3}, descending{5, 2}, negative{-1, 2};
  CHECK_THROWS_AS(decode_frames(corpus("square.avi"), repeat, nothing), std::invalid_argument);
  CHECK_THROWS_AS(decode_frames(corpus("square.avi"), descending, nothing), std::invalid_argument);
  CHECK_THROWS_AS(decode_frames(corpus("square.avi"), negative, nothing), std::invalid_argument);
}

TEST_CASE("decode_frames past the end names the frame that was wanted") {
  const fs::path file = corpus("square.avi");
  const std::vector<std::int64_t> wanted{38, 45};
  int given = 0;
  const std::string message = data_error([&] {
    decode_frames(file, wanted, [&](std::int64_t, const cv::Mat&) { ++given; });
  });
  CHECK(message == file.string() + ": ends after 40 frames; frame 45 was wanted");
  CHECK(given == 1);
}

TEST_CASE("a probed Video lists every decoded frame, none loaded, sized from the probe") {
  const Video video = square_video();
  REQUIRE(video.frames.size() == 40);
  CHECK(video.fps == doctest::Approx(10.0));
  CHECK_FALSE(video.loaded());
  for (std::size_t i = 0; i < video.frames.size(); ++i) CHECK(video.frames[i].source_index == static_cast<std::int64_t>(i));
  CHECK(video.frame_size() == cv::Size(160, 120));
  CHECK(video.frame_type() == CV_8UC3);
}

TEST_CASE("Video::load decodes the selection, a repeated frame once and shared") {
  Video video = square_video();
  const std::vector<std::size_t> positions{3, 3, 17, 39, 39, 39};
  augment::video::keep_positions(video, positions);
  video.load();
  REQUIRE(video.loaded());
  REQUIRE(video.frames.size() == positions.size());
  for (std::size_t p = 0; p < positions.size(); ++p) {
    CAPTURE(p);
    CHECK(video.frames[p].source_index == static_cast<std::int64_t>(positions[p]));
    CHECK(same_pixels(video.frames[p].pixels, video_test::square_frame(static_cast<int>(positions[p]))));
  }
  CHECK(video.frames[0].pixels.data == video.frames[1].pixels.data);
  CHECK(video.frames[3].pixels.data == video.frames[5].pixels.data);
  CHECK(video.frames[0].pixels.data != video.frames[2].pixels.data);
}

TEST_CASE("Video::load refuses more than max_bytes and names the sizes") {
  Video video = square_video();  // 40 frames of 160x120x3 = 2.2 MiB
  const std::string message = data_error([&] { video.load(std::size_t{1} << 20); });
  CHECK(message == corpus("square.avi").string() + ": frames would take 3 MB, more than the 1 MB limit; sample frames first");
  CHECK_FALSE(video.loaded());
  // Repeats count once: 3 distinct frames fit in 1 MiB.
  const std::vector<std::size_t> positions{0, 0, 0, 5, 9, 9};
  augment::video::keep_positions(video, positions);
  video.load(std::size_t{1} << 20);
  CHECK(video.loaded());
}

TEST_CASE("for_each_frame gives loaded and unloaded frames in position order") {
  Video video = square_video();
  const std::vector<std::size_t> positions{5, 2, 30, 2, 7, 7};
  augment::video::keep_positions(video, positions);
  // Position 2 (source frame 30) and position 4 (source frame 7) already hold other pixels: they
  // are given as they are, not decoded again.
  const cv::Mat marker(120, 160, CV_8UC3, cv::Scalar(1, 2, 3));
  video.frames[2].pixels = marker;
  video.frames[4].pixels = marker;
  std::vector<std::size_t> order;
  video.for_each_frame([&](std::size_t position, const cv::Mat& pixels) {
    order.push_back(position);
    CAPTURE(position);
    const cv::Mat expected = position == 2 || position == 4 ? marker : video_test::square_frame(static_cast<int>(positions[position]));
    CHECK(same_pixels(pixels, expected));
  });
  CHECK(order == std::vector<std::size_t>{0, 1, 2, 3, 4, 5});
  CHECK(video.frames[0].pixels.empty());  // nothing was kept
}

TEST_CASE("for_each_frame over a reversed selection") {
  Video video = square_video();
  const std::vector<std::size_t> positions{39, 20, 11, 10, 0};
  augment::video::keep_positions(video, positions);
  std::vector<std::size_t> order;
  video.for_each_frame([&](std::size_t position, const cv::Mat& pixels) {
    order.push_back(position);
    CHECK(same_pixels(pixels, video_test::square_frame(static_cast<int>(positions[position]))));
  });
  CHECK(order == std::vector<std::size_t>{0, 1, 2, 3, 4});
}

TEST_CASE("a Video made in memory is loaded, indexed 0..n-1") {
  const Video video({video_test::square_frame(0), video_test::square_frame(1)}, 12.5);
  CHECK(video.loaded());
  CHECK(video.info == nullptr);
  CHECK(video.fps == 12.5);
  CHECK(video.frames[1].source_index == 1);
  CHECK(video.frame_size() == cv::Size(160, 120));
  CHECK(video.frame_type() == CV_8UC3);
  CHECK_THROWS_AS(Video({cv::Mat()}, 10), std::invalid_argument);
}

TEST_CASE("keep_positions refuses a position past the end") {
  Video video({video_test::square_frame(0), video_test::square_frame(1)}, 10);
  const std::vector<std::size_t> past{0, 2};
  CHECK_THROWS_AS(augment::video::keep_positions(video, past), std::out_of_range);
  CHECK(video.frames.size() == 2);
}

TEST_CASE("a frame size over the image_pixels limit is refused from the stream header, before decoding") {
  const fs::path square = corpus("square.avi");
  const augment::Limits saved = augment::limits();
  augment::Limits lowered = saved;
  lowered.image_pixels = 160 * 120 - 1;
  augment::set_limits(lowered);
  const std::string probe = data_error([&] { probe_video(square); });
  const std::string decode = data_error([&] { decode_all(square, 1); });
  augment::set_limits(saved);
  const std::string expected = square.string() + ": video frame of 160x120: 19200 is over the image_pixels limit of "
                                                 "19199 (raise it with --limit image_pixels=N)";
  CHECK(probe == expected);
  CHECK(decode == expected);
  CHECK(probe_video(square).width == 160);

  // The same clip with its AVI stream header (strf's BITMAPINFOHEADER) declaring 15000x12000
  // (FFmpeg itself refuses frames of more than about 2^28 pixels).
  std::string bytes = file_test::read_all(square);
  const std::size_t strf = bytes.find("strf");
  REQUIRE(strf != std::string::npos);
  for (const auto& [at, value] : {std::pair{strf + 12, 15000}, std::pair{strf + 16, 12000}})  // biWidth, biHeight
    for (int i = 0; i < 4; ++i) bytes[at + static_cast<std::size_t>(i)] = static_cast<char>((value >> (8 * i)) & 0xFF);
  file_test::ScratchFolder dir;
  const fs::path huge = dir / "huge.avi";
  file_test::write_all(huge, bytes);
  CHECK(probe_error(huge) == huge.string() + ": video frame of 15000x12000: 180000000 is over the image_pixels limit "
                                             "of 178956970 (raise it with --limit image_pixels=N)");
}
