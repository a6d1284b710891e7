#pragma once
// Scores of change between consecutive frames, fed one frame at a time so a whole video can be
// scored while decoding it. Frames are reduced first to `width` pixels wide (keeping aspect,
// INTER_AREA) so a score costs little and does not depend on sensor noise at full resolution.
#include <memory>

#include <opencv2/core.hpp>

namespace augment::video {

enum class MotionMeasure {
  /// Mean absolute difference of the downscaled gray frames (0..255).
  difference,
  /// Mean magnitude of DIS optical flow (ultrafast preset) between the downscaled gray frames,
  /// in downscaled pixels.
  flow,
  /// PySceneDetect's content score: the mean over H, S and V of the mean absolute difference of
  /// the downscaled frames in HSV (OpenCV's 8-bit HSV: H in 0..179). For scene cuts.
  content,
};

class MotionScorer {
 public:
  /// width >= 8. Throws std::invalid_argument otherwise.
  MotionScorer(MotionMeasure measure, int width);
  ~MotionScorer();
  MotionScorer(MotionScorer&&) noexcept;
  MotionScorer& operator=(MotionScorer&&) noexcept;

  /// The score of `frame` (8-bit gray, BGR or BGRA; 16-bit and float are scaled to 8 bits)
  /// against the frame added before it; 0 for the first. Throws DataError when the frame size
  /// changes or the frame is empty.
  double add(const cv::Mat& frame);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace augment::video
