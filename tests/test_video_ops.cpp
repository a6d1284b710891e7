// The video ops through pipelines: samplers keep the frames their rules name (worked out by
// hand), image ops lifted to frames use one draw per clip (each frame then equals the image op
// replayed with that draw) or one per frame, optical flow turns n frames into n - 1 fields.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "augment/core/error.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/core/tensor.hpp"
#include "augment/image/image.hpp"
#include "augment/image/register_transforms.hpp"
#include "augment/video/register_transforms.hpp"
#include "augment/video/video.hpp"
#include "video_test_helpers.hpp"

namespace {

using video_test::same_pixels;
using augment::video::Video;
using nlohmann::json;

const augment::Registry& registry() {
  static const augment::Registry r =
      augment::make_registry({augment::image::register_transforms, augment::video::register_transforms});
  return r;
}

augment::Pipeline video_pipeline(const json& stages) {
  return augment::Pipeline::from_json({{"kind", "video"}, {"stages", stages}}, registry());
}

/// n frames, frame k a 24x16 gradient with k added, so every frame differs and flips show.
Video numbered_video(int n) {
  std::vector<cv::Mat> frames;
  for (int k = 0; k < n; ++k) {
    cv::Mat f(16, 24, CV_8UC3);
    for (int y = 0; y < 16; ++y)
      for (int x = 0; x < 24; ++x) f.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(x * 10 + k), uchar(y * 15), uchar(k * 20));
    frames.push_back(f);
  }
  return Video(frames, 25.0);
}

Video square_video() {
  std::vector<cv::Mat> frames;
  for (int f = 0; f < video_test::kSquareFrames; ++f) frames.push_back(video_test::square_frame(f));
  return Video(frames, video_test::kSquareFps);
}

std::vector<std::int64_t> source_indices(const augment::Sample& sample) {
  std::vector<std::int64_t> out;
  for (const auto& frame : sample.as<Video>().frames) out.push_back(frame.source_index);
  return out;
}

std::vector<std::int64_t> run_indices(const json& stages, Video video, std::uint64_t seed = 1) {
  augment::Sample sample(augment::Kind::video, std::move(video));
  video_pipeline(stages).run(sample, augment::Rng::derive(seed, "clip", 0, 0));
  return source_indices(sample);
}

}  // namespace

TEST_CASE("video ops: sample_uniform keeps segment centres, repeating frames when n exceeds the count") {
  // floor((2k + 1) * 10 / 8) for k = 0..3.
  CHECK(run_indices({{{"op", "sample_uniform"}, {"n", 4}}}, numbered_video(10)) == std::vector<std::int64_t>{1, 3, 6, 8});
  // floor((2k + 1) * 3 / 12) for k = 0..5.
  CHECK(run_indices({{{"op", "sample_uniform"}, {"n", 6}}}, numbered_video(3)) ==
        std::vector<std::int64_t>{0, 0, 1, 1, 2, 2});
}

TEST_CASE("video ops: sample_uniform in random mode draws one frame inside each segment, the same for a seed") {
  const json stages = {{{"op", "sample_uniform"}, {"n", 4}, {"mode", "random"}}};
  std::set<std::vector<std::int64_t>> seen;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const auto picked = run_indices(stages, numbered_video(20), seed);
    REQUIRE(picked.size() == 4);
    for (std::int64_t k = 0; k < 4; ++k) {
      CHECK(picked[std::size_t(k)] >= 5 * k);  // segment k is frames 5k..5k+4
      CHECK(picked[std::size_t(k)] < 5 * (k + 1));
    }
    CHECK(run_indices(stages, numbered_video(20), seed) == picked);
    seen.insert(picked);
  }
  CHECK(seen.size() > 5);
}

TEST_CASE("video ops: sample_stride keeps every k-th frame from the offset and refuses an offset past the end") {
  CHECK(run_indices({{{"op", "sample_stride"}, {"step", 3}, {"offset", 1}}}, numbered_video(10)) ==
        std::vector<std::int64_t>{1, 4, 7});
  CHECK_THROWS_AS(run_indices({{{"op", "sample_stride"}, {"step", 3}, {"offset", 10}}}, numbered_video(10)),
                  augment::DataError);
}

TEST_CASE("video ops: sample_clip centre, random, short videos and sliding windows tagged by window") {
  // Span (4 - 1) * 2 + 1 = 7 of 20 frames: starts 0..13, the centre one 6.
  CHECK(run_indices({{{"op", "sample_clip"}, {"length", 4}, {"step", 2}, {"mode", "center"}}}, numbered_video(20)) ==
        std::vector<std::int64_t>{6, 8, 10, 12});
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    const auto clip = run_indices({{{"op", "sample_clip"}, {"length", 4}, {"step", 2}}}, numbered_video(20), seed);
    REQUIRE(clip.size() == 4);
    CHECK(clip[0] <= 13);
    for (std::size_t k = 1; k < 4; ++k) CHECK(clip[k] == clip[0] + 2 * std::int64_t(k));
  }
  // Shorter than the clip: the last frame repeats.
  CHECK(run_indices({{{"op", "sample_clip"}, {"length", 5}, {"mode", "center"}}}, numbered_video(3)) ==
        std::vector<std::int64_t>{0, 1, 2, 2, 2});
  // Windows of 4 every 3 frames over 10: starts 0, 3, 6.
  augment::Sample sample(augment::Kind::video, numbered_video(10));
  video_pipeline({{{"op", "sample_clip"}, {"length", 4}, {"mode", "sliding"}, {"stride", 3}}})
      .run(sample, augment::Rng::derive(1, "clip", 0, 0));
  CHECK(source_indices(sample) == std::vector<std::int64_t>{0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9});
  std::vector<int> clips;
  for (const auto& frame : sample.as<Video>().frames) clips.push_back(frame.clip);
  CHECK(clips == std::vector<int>{0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2});
}

TEST_CASE("video ops: sample_motion keeps only frames where the square moves, by either measure and selection") {
  for (const char* measure : {"difference", "flow"})
    for (const char* select : {"peaks", "cumulative"}) {
      CAPTURE(measure);
      CAPTURE(select);
      const auto picked = run_indices(
          {{{"op", "sample_motion"}, {"n", 6}, {"measure", measure}, {"select", select}, {"width", 80}}}, square_video());
      // Peaks may be fewer than n (the flow measure has 5 local maxima here); cumulative gives n.
      if (std::string(select) == "cumulative") CHECK(picked.size() == 6);
      CHECK(picked.size() >= 4);
      CHECK(picked.size() <= 6);
      for (const std::int64_t f : picked) {
        CAPTURE(f);
        CHECK(video_test::square_moves(int(f)));
      }
    }
}

TEST_CASE("video ops: a clip-wide draw gives every frame what the image op gives it with that one draw") {
  const json stages = {{{"op", "rotate"}, {"degrees", {-30, 30}}}, {{"op", "hflip"}, {"p", 0.5}},
                       {{"op", "brightness_contrast"}}};
  for (std::uint64_t seed = 0; seed < 4; ++seed) {
    CAPTURE(seed);
    const Video original = numbered_video(5);
    augment::Sample sample(augment::Kind::video, original);
    const json record = video_pipeline(stages).run(sample, augment::Rng(seed));
    CHECK_FALSE(record[0]["params"].contains("frames"));  // one draw
    const auto image_pipeline = augment::Pipeline::from_json({{"kind", "image"}, {"stages", stages}}, registry());
    for (std::size_t k = 0; k < 5; ++k) {
      augment::Sample frame = augment::image::make_sample(augment::image::Image(original.frames[k].pixels.clone()));
      image_pipeline.replay(frame, record);
      CHECK(same_pixels(augment::image::image_of(frame).pixels(), sample.as<Video>().frames[k].pixels));
    }
  }
}

TEST_CASE("video ops: per_frame draws for each frame, and each frame equals the image op with its own draw") {
  const Video original = numbered_video(4);
  augment::Sample sample(augment::Kind::video, original);
  const json record = video_pipeline({{{"op", "rotate"}, {"degrees", {-30, 30}}, {"per_frame", true}}})
                          .run(sample, augment::Rng(7));
  sample.as<Video>().settle();  // rotate leaves its warp pending, for a later stage to fuse with
  const json& frames = record[0]["params"]["frames"];
  REQUIRE(frames.size() == 4);
  CHECK(frames[0] != frames[1]);
  const auto rotate = augment::Pipeline::from_json({{"kind", "image"}, {"stages", {{{"op", "rotate"}, {"degrees", 0}}}}},
                                                   registry());
  for (std::size_t k = 0; k < 4; ++k) {
    augment::Sample frame = augment::image::make_sample(augment::image::Image(original.frames[k].pixels.clone()));
    rotate.replay(frame, json::array({{{"op", "rotate"}, {"params", frames[k]}}}));
    CHECK(same_pixels(augment::image::image_of(frame).pixels(), sample.as<Video>().frames[k].pixels));
  }
}

TEST_CASE("video ops: a run's record replays to the same frames without drawing") {
  const json stages = {{{"op", "sample_uniform"}, {"n", 3}, {"mode", "random"}},
                       {{"op", "random_resized_crop"}, {"width", 12}, {"height", 8}},
                       {{"op", "hflip"}, {"p", 0.5}}};
  const auto pipeline = video_pipeline(stages);
  augment::Sample ran(augment::Kind::video, numbered_video(9));
  const json record = pipeline.run(ran, augment::Rng(3));
  augment::Sample replayed(augment::Kind::video, numbered_video(9));
  pipeline.replay(replayed, record);
  ran.as<Video>().settle();
  replayed.as<Video>().settle();
  REQUIRE(source_indices(replayed) == source_indices(ran));
  for (std::size_t k = 0; k < 3; ++k)
    CHECK(same_pixels(replayed.as<Video>().frames[k].pixels, ran.as<Video>().frames[k].pixels));
  CHECK(ran.as<Video>().frames[0].pixels.size() == cv::Size(12, 8));
}

TEST_CASE("video ops: optical_flow turns n frames into n - 1 fields that follow the square") {
  augment::Sample sample(augment::Kind::video, square_video());
  video_pipeline({{{"op", "sample_stride"}, {"step", 1}, {"offset", 11}}, {{"op", "sample_uniform"}, {"n", 3}},
                  {{"op", "optical_flow"}}})
      .run(sample, augment::Rng(0));
  const Video& video = sample.as<Video>();
  CHECK(video.content == augment::video::FrameContent::flow);
  REQUIRE(video.frames.size() == 2);
  // Offset 11 leaves frames 11..39; segment centres of 29 frames in 3: 4, 14, 24 → 15, 25, 35.
  CHECK(video.frames[0].source_index == 15);
  CHECK(video.frames[0].flow_to == 25);
  CHECK(video.frames[1].source_index == 25);
  CHECK(video.frames[1].flow_to == 35);
  CHECK(video.frames[0].pixels.type() == CV_32FC2);
  // Image ops refuse flow fields.
  CHECK_THROWS_AS(video_pipeline({{{"op", "hflip"}}}).run(sample, augment::Rng(0)), augment::UsageError);
}

TEST_CASE("video ops: a lifted fittable op fits on every frame of every video") {
  const Video a = numbered_video(3), b = numbered_video(2);
  auto pipeline = video_pipeline({{{"op", "standardize"}}});
  pipeline.fit([&]() -> augment::SampleBlockReader {
    return [&, next = 0](std::vector<augment::Sample>& block) mutable {
      block.clear();
      if (next == 0) block.emplace_back(augment::Kind::video, a);
      if (next == 1) block.emplace_back(augment::Kind::video, b);
      ++next;
      return !block.empty();
    };
  });
  auto images = augment::Pipeline::from_json({{"kind", "image"}, {"stages", {{{"op", "standardize"}}}}}, registry());
  images.fit([&]() -> augment::SampleBlockReader {
    return [&, next = std::size_t{0}](std::vector<augment::Sample>& block) mutable {
      block.clear();
      const std::vector<cv::Mat> all = {a.frames[0].pixels, a.frames[1].pixels, a.frames[2].pixels,
                                        b.frames[0].pixels, b.frames[1].pixels};
      if (next < all.size()) block.push_back(augment::image::make_sample(augment::image::Image(all[next++])));
      return !block.empty();
    };
  });
  CHECK(pipeline.to_json()["stages"][0]["state"] == images.to_json()["stages"][0]["state"]);
}

TEST_CASE("video ops: lifted ops keep the image op's parameters and checks") {
  CHECK_THROWS_AS(video_pipeline({{{"op", "rotate"}, {"degrees", "a lot"}}}), augment::SpecError);
  CHECK_THROWS_AS(video_pipeline({{{"op", "hflip"}, {"per_frame", 3}}}), augment::SpecError);
  CHECK_THROWS_AS(video_pipeline({{{"op", "sample_motion"}, {"n", 3}, {"smooth", 4}}}), augment::SpecError);
  const auto* op = registry().find("resize", augment::Kind::video);
  REQUIRE(op != nullptr);
  CHECK(op->find_param("per_frame") != nullptr);
  CHECK(op->find_param("width") != nullptr);
}

TEST_CASE("video ops: consecutive lifted geometry stages warp each frame once, as on images") {
  // rotate + scale on an image is one fused warp; as separate warps the result differs. The
  // video must match the fused one exactly.
  const json stages = {{{"op", "rotate"}, {"degrees", 17}}, {{"op", "scale"}, {"factor", 1.3}}};
  const Video original = numbered_video(2);
  augment::Sample sample(augment::Kind::video, original);
  video_pipeline(stages).run(sample, augment::Rng(0));
  CHECK(sample.as<Video>().frames[0].pending_geometry != nullptr);
  sample.as<Video>().settle();
  const auto fused = augment::Pipeline::from_json({{"kind", "image"}, {"stages", stages}}, registry());
  augment::Sample frame = augment::image::make_sample(augment::image::Image(original.frames[1].pixels.clone()));
  fused.run(frame, augment::Rng(0));
  CHECK(same_pixels(augment::image::image_of(frame).pixels(), sample.as<Video>().frames[1].pixels));
  // Two separate warps differ from it.
  augment::Sample twice = augment::image::make_sample(augment::image::Image(original.frames[1].pixels.clone()));
  augment::Pipeline::from_json({{"kind", "image"}, {"stages", {stages[0]}}}, registry()).run(twice, augment::Rng(0));
  augment::image::image_of(twice).apply_geometry();
  augment::Pipeline::from_json({{"kind", "image"}, {"stages", {stages[1]}}}, registry()).run(twice, augment::Rng(0));
  CHECK_FALSE(same_pixels(augment::image::image_of(twice).pixels(), sample.as<Video>().frames[1].pixels));
}

TEST_CASE("video ops: to_tensor gives T×C×H×W (RGB, [0, 1]) or the frames' channels stacked") {
  // Frame k at (y, x): B = x·10 + k, G = y·15, R = k·20 (numbered_video).
  const auto value = [](int k, int c, int y, int x) {  // c in RGB order
    const int level = c == 0 ? k * 20 : c == 1 ? y * 15 : x * 10 + k;
    return static_cast<float>(level) / 255.0f;
  };
  augment::Sample sample(augment::Kind::video, numbered_video(3));
  video_pipeline(json::array({{{"op", "sample_stride"}, {"step", 2}}, {{"op", "to_tensor"}}})).run(sample, augment::Rng::derive(1, "clip", 0, 0));
  REQUIRE(sample.kind() == augment::Kind::tensor);
  const auto& t = augment::tensor_of(sample);
  CHECK(t.shape == std::vector<std::size_t>{2, 3, 16, 24});  // frames 0 and 2
  for (const auto& [position, k] : {std::pair{0, 0}, std::pair{1, 2}})
    for (int c = 0; c < 3; ++c)
      for (const auto& [y, x] : {std::pair{0, 0}, std::pair{5, 7}, std::pair{15, 23}}) {
        const std::size_t at = ((static_cast<std::size_t>(position) * 3 + static_cast<std::size_t>(c)) * 16 +
                                static_cast<std::size_t>(y)) * 24 + static_cast<std::size_t>(x);
        CHECK(t.values[at] == doctest::Approx(value(k, c, y, x)).epsilon(1e-7));
      }

  augment::Sample stacked(augment::Kind::video, numbered_video(3));
  video_pipeline(json::array({{{"op", "to_tensor"}, {"layout", "stacked"}, {"order", "bgr"}, {"scale", "none"}}}))
      .run(stacked, augment::Rng::derive(1, "clip", 0, 0));
  const auto& s = augment::tensor_of(stacked);
  CHECK(s.shape == std::vector<std::size_t>{9, 16, 24});
  // Channel 3k + c is frame k's channel c in B, G, R order: frame 1's B at (2, 3) is 3·10 + 1.
  CHECK(s.values[(3 * 1 + 0) * 16 * 24 + 2 * 24 + 3] == 31.0f);
  CHECK(s.values[(3 * 2 + 2) * 16 * 24] == 40.0f);  // frame 2's R
}

TEST_CASE("video ops: to_tensor refuses frames of different sizes, naming the frame") {
  std::vector<cv::Mat> frames{cv::Mat(8, 8, CV_8UC3, cv::Scalar::all(1)), cv::Mat(8, 10, CV_8UC3, cv::Scalar::all(1))};
  augment::Sample sample(augment::Kind::video, Video(frames, 25.0));
  CHECK_THROWS_WITH_AS(video_pipeline(json::array({{{"op", "to_tensor"}}})).run(sample, augment::Rng::derive(1, "clip", 0, 0)),
                       doctest::Contains("frame 1 is 10×8×3, frame 0 8×8×3"), augment::DataError);
}
