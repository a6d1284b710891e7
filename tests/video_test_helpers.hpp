#pragma once
// The synthetic clip with known motion that video tests (and scripts/make-video-corpus, which
// writes corpora/video/square.avi from the same rules) use: a 32×32 checkered square on a plain
// gray 160×120 background, 40 frames at 10 fps, that moves only in two known stretches.
//
//   frames  0..9   still at (24, 40)
//   frames 10..19  moving +3 px in x and +1 px in y per frame (ends at (54, 50))
//   frames 20..29  still
//   frames 30..34  moving -2 px in x and +2 px in y per frame (ends at (44, 60))
//   frames 35..39  still
//
// "Frame f moves" means the square is elsewhere in frame f than in frame f - 1.
#include <filesystem>
#include <string>

#include <opencv2/core.hpp>

namespace video_test {

inline constexpr int kSquareFrames = 40;
inline constexpr int kSquareWidth = 160, kSquareHeight = 120, kSquareSide = 32;
inline constexpr double kSquareFps = 10.0;

/// Top-left corner of the square in frame f.
inline cv::Point square_position(int f) {
  cv::Point p(24, 40);
  for (int g = 1; g <= f; ++g) {
    if (g >= 10 && g <= 19) p += cv::Point(3, 1);
    if (g >= 30 && g <= 34) p += cv::Point(-2, 2);
  }
  return p;
}

/// The shift of the square from frame f - 1 to frame f.
inline cv::Point square_shift(int f) { return f == 0 ? cv::Point(0, 0) : square_position(f) - square_position(f - 1); }

inline bool square_moves(int f) { return square_shift(f) != cv::Point(0, 0); }

/// Frame f, 8-bit BGR: background (60, 60, 60); the square's 4×4-pixel cells alternate between
/// (40, 200, 230) and (230, 90, 30), cell (0, 0) the first colour, so the texture moves with it.
inline cv::Mat square_frame(int f) {
  cv::Mat frame(kSquareHeight, kSquareWidth, CV_8UC3, cv::Scalar(60, 60, 60));
  const cv::Point p = square_position(f);
  for (int v = 0; v < kSquareSide; ++v)
    for (int u = 0; u < kSquareSide; ++u)
      frame.at<cv::Vec3b>(p.y + v, p.x + u) =
          ((u / 4 + v / 4) % 2 == 0) ? cv::Vec3b(40, 200, 230) : cv::Vec3b(230, 90, 30);
  return frame;
}

/// A file of corpora/video/.
inline std::filesystem::path corpus(const std::string& name) {
  return std::filesystem::path(AUGMENT_SOURCE_DIR) / "corpora" / "video" / name;
}

/// Same size, type and every value.
inline bool same_pixels(const cv::Mat& a, const cv::Mat& b) {
  return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}

}  // namespace video_test
