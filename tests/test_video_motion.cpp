// MotionScorer: scores by hand on solid frames, then on the synthetic moving-square clip, whose
// moving frames are known (video_test::square_moves), and on a clip with two known hard cuts.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <vector>

#include <opencv2/core.hpp>

#include "augment/core/error.hpp"
#include "augment/video/frame_sampling.hpp"
#include "augment/video/motion_score.hpp"
#include "video_test_helpers.hpp"

using augment::video::MotionMeasure;
using augment::video::MotionScorer;
namespace v = augment::video;

namespace {

std::vector<double> square_clip_scores(MotionMeasure measure, int width) {
  MotionScorer scorer(measure, width);
  std::vector<double> scores;
  for (int f = 0; f < video_test::kSquareFrames; ++f) scores.push_back(scorer.add(video_test::square_frame(f)));
  return scores;
}

double score_pair(MotionMeasure measure, int width, const cv::Mat& a, const cv::Mat& b) {
  MotionScorer scorer(measure, width);
  CHECK(scorer.add(a) == 0.0);  // the first frame has nothing to compare with
  return scorer.add(b);
}

cv::Mat solid(cv::Scalar colour, int type = CV_8UC3, cv::Size size = {64, 48}) { return {size, type, colour}; }

// Three scenes: frames 0..9 an orange field, 10..13 a blue field, 14..29 a yellow and purple
// checkerboard, each frame with its own small noise (so scores inside a scene are not 0). No
// colour is near gray or pure red, where noise flips the hue (PySceneDetect's hue difference is
// not circular: 179 and 0 are far apart).
std::vector<cv::Mat> three_scene_clip() {
  cv::RNG rng(12345);
  std::vector<cv::Mat> frames;
  for (int f = 0; f < 30; ++f) {
    cv::Mat frame;
    if (f < 10) {
      frame = solid({30, 100, 210}, CV_8UC3, {96, 72});
    } else if (f < 14) {
      frame = solid({200, 120, 30}, CV_8UC3, {96, 72});
    } else {
      frame = solid({160, 40, 120}, CV_8UC3, {96, 72});
      for (int y = 0; y < frame.rows; ++y)
        for (int x = 0; x < frame.cols; ++x)
          if ((x / 8 + y / 8) % 2 == 0) frame.at<cv::Vec3b>(y, x) = {30, 220, 230};
    }
    cv::Mat noise(frame.size(), CV_16SC3);
    rng.fill(noise, cv::RNG::UNIFORM, -3, 4);
    cv::Mat noisy;
    frame.convertTo(noisy, CV_16SC3);
    noisy += noise;
    noisy.convertTo(frame, CV_8UC3);
    frames.push_back(frame);
  }
  return frames;
}

}  // namespace

TEST_CASE("difference: the mean absolute difference of the gray frames") {
  CHECK(score_pair(MotionMeasure::difference, 64, solid(cv::Scalar(10), CV_8UC1), solid(cv::Scalar(50), CV_8UC1)) ==
        doctest::Approx(40.0));
  CHECK(score_pair(MotionMeasure::difference, 64, solid({0, 0, 0}), solid({255, 255, 255})) == doctest::Approx(255.0));
  // BGRA: the alpha plays no part.
  CHECK(score_pair(MotionMeasure::difference, 64, solid({20, 20, 20, 0}, CV_8UC4), solid({20, 20, 20, 255}, CV_8UC4)) ==
        0.0);
  // 200x100, left half changes by 100: reduced to 8x4, still half the pixels by 100 -> 50.
  cv::Mat half = solid(cv::Scalar(0), CV_8UC1, {200, 100});
  half(cv::Rect(0, 0, 100, 100)).setTo(100);
  CHECK(score_pair(MotionMeasure::difference, 8, solid(cv::Scalar(0), CV_8UC1, {200, 100}), half) ==
        doctest::Approx(50.0));
  // A frame narrower than `width` keeps its size: one pixel of 24 changes by 240 -> exactly 10.
  cv::Mat dot = solid(cv::Scalar(0), CV_8UC1, {6, 4});
  dot.at<uchar>(1, 2) = 240;
  CHECK(score_pair(MotionMeasure::difference, 8, solid(cv::Scalar(0), CV_8UC1, {6, 4}), dot) == doctest::Approx(10.0));
}

TEST_CASE("difference: 16-bit and float frames are scaled to 8 bits") {
  const double eight = score_pair(MotionMeasure::difference, 32, solid(cv::Scalar::all(50)), solid(cv::Scalar::all(90)));
  CHECK(eight == doctest::Approx(40.0));
  CHECK(score_pair(MotionMeasure::difference, 32, solid(cv::Scalar::all(50 * 257), CV_16UC3),
                   solid(cv::Scalar::all(90 * 257), CV_16UC3)) == doctest::Approx(eight));
  CHECK(score_pair(MotionMeasure::difference, 32, solid(cv::Scalar::all(50 / 255.0), CV_32FC3),
                   solid(cv::Scalar::all(90 / 255.0), CV_32FC3)) == doctest::Approx(eight));
}

TEST_CASE("content: PySceneDetect's mean of the H, S and V mean absolute differences") {
  // Red (0, 0, 255) is HSV (0, 255, 255); blue (255, 0, 0) is (120, 255, 255): (120 + 0 + 0) / 3.
  CHECK(score_pair(MotionMeasure::content, 32, solid({0, 0, 255}), solid({255, 0, 0})) == doctest::Approx(40.0));
  // Gray 128 is HSV (0, 0, 128): from red (0 + 255 + 127) / 3.
  CHECK(score_pair(MotionMeasure::content, 32, solid({0, 0, 255}), solid({128, 128, 128})) ==
        doctest::Approx(382.0 / 3.0));
  // A gray input frame is taken as BGR gray: V alone changes.
  CHECK(score_pair(MotionMeasure::content, 32, solid(cv::Scalar(30), CV_8UC1), solid(cv::Scalar(90), CV_8UC1)) ==
        doctest::Approx(20.0));
}

TEST_CASE("the square clip: difference and flow scores are > 0 exactly where the square moves") {
  for (const int width : {160, 64, 32}) {
    CAPTURE(width);
    const std::vector<double> difference = square_clip_scores(MotionMeasure::difference, width);
    const std::vector<double> flow = square_clip_scores(MotionMeasure::flow, width);
    REQUIRE(difference.size() == static_cast<std::size_t>(video_test::kSquareFrames));
    CHECK(difference[0] == 0.0);
    CHECK(flow[0] == 0.0);
    for (int f = 1; f < video_test::kSquareFrames; ++f) {
      CAPTURE(f);
      const auto i = static_cast<std::size_t>(f);
      if (video_test::square_moves(f)) {
        CHECK(difference[i] > 0.5);
        CHECK(flow[i] > 0.1);
      } else {
        CHECK(difference[i] == 0.0);
        CHECK(std::abs(flow[i]) < 1e-6);
      }
    }
  }
}

TEST_CASE("the square clip: peaks and cumulative motion pick only moving frames") {
  for (const MotionMeasure measure : {MotionMeasure::difference, MotionMeasure::flow}) {
    const std::vector<double> scores = square_clip_scores(measure, 64);
    const std::vector<std::size_t> peaks = v::peak_positions(scores, 4, 3);
    CHECK(!peaks.empty());
    CHECK(peaks.size() <= 4);
    for (const std::size_t p : peaks) CHECK(video_test::square_moves(static_cast<int>(p)));
    const std::vector<std::size_t> steps = v::cumulative_motion_positions(scores, 8);
    CHECK(steps.size() == 8);
    for (const std::size_t p : steps) CHECK(video_test::square_moves(static_cast<int>(p)));
    // Both stretches of motion are represented (frames 10..19 and 30..34).
    bool first = false, second = false;
    for (const std::size_t p : steps) (p < 25 ? first : second) = true;
    CHECK(first);
    CHECK(second);
  }
}

TEST_CASE("content scores and scene_starts find the two hard cuts") {
  MotionScorer scorer(MotionMeasure::content, 64);
  std::vector<double> scores;
  for (const cv::Mat& frame : three_scene_clip()) scores.push_back(scorer.add(frame));
  for (std::size_t i = 1; i < scores.size(); ++i) {
    CAPTURE(i);
    if (i == 10 || i == 14)
      CHECK(scores[i] > 30.0);
    else
      CHECK(scores[i] < 3.0);
  }
  // PySceneDetect's default threshold, 27.
  CHECK(v::scene_starts(scores, 27, 1) == std::vector<std::size_t>{0, 10, 14});
  // The cut at 14 is 4 frames after the one at 10.
  CHECK(v::scene_starts(scores, 27, 5) == std::vector<std::size_t>{0, 10});
  CHECK(v::scene_starts(scores, 27, 12) == std::vector<std::size_t>{0, 14});
  CHECK(v::scene_starts(scores, 27, 15) == std::vector<std::size_t>{0});
}

TEST_CASE("MotionScorer: flow on frames too small for DIS's pyramid, moves, errors") {
  // DIS cannot run on 20x4 as it is (OpenCV throws, or crashes on short wide frames): padded.
  MotionScorer tiny(MotionMeasure::flow, 8);
  cv::Mat a = solid(cv::Scalar(0), CV_8UC1, {20, 4});
  cv::Mat b = a.clone();
  b(cv::Rect(5, 0, 4, 4)).setTo(200);
  CHECK(tiny.add(a) == 0.0);
  CHECK(std::isfinite(tiny.add(b)));
  MotionScorer wide(MotionMeasure::flow, 64);
  CHECK(wide.add(solid(cv::Scalar(0), CV_8UC1, {200, 12})) == 0.0);
  CHECK(std::isfinite(wide.add(solid(cv::Scalar(9), CV_8UC1, {200, 12}))));

  MotionScorer first(MotionMeasure::difference, 16);
  CHECK(first.add(solid(cv::Scalar::all(10))) == 0.0);
  MotionScorer moved(std::move(first));
  CHECK(moved.add(solid(cv::Scalar::all(30))) == doctest::Approx(20.0));

  CHECK_THROWS_AS(MotionScorer(MotionMeasure::difference, 7), std::invalid_argument);
  CHECK_THROWS_AS(moved.add(cv::Mat()), augment::DataError);
  CHECK_THROWS_WITH_AS(moved.add(solid(cv::Scalar::all(0), CV_8UC3, {32, 48})),
                       "motion score: the frame size changed from 64x48 to 32x48", augment::DataError);
  CHECK_THROWS_AS(moved.add(solid(cv::Scalar::all(0), CV_8UC2)), augment::DataError);
  CHECK_THROWS_AS(moved.add(solid(cv::Scalar::all(0), CV_16SC3)), augment::DataError);
}
