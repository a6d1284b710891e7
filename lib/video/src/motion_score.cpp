#include "augment/video/motion_score.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>

#include "augment/core/error.hpp"
#include "dis_flow.hpp"

namespace augment::video {

struct MotionScorer::State {
  MotionMeasure measure;
  int width;
  cv::Size frame_size;             // of the first frame; later frames must match
  cv::Size reduced_size;           // what frames are reduced to
  cv::Mat previous;                // the previous reduced frame: gray, or HSV for content
  cv::Ptr<cv::DISOpticalFlow> dis; // kept between frames: its buffers are reused
};

namespace {

std::string size_text(cv::Size s) { return std::to_string(s.width) + "x" + std::to_string(s.height); }

// `width` wide with the aspect kept (rounded half up, at least 1 row); a narrower frame keeps
// its size rather than being enlarged.
cv::Size reduced_size(cv::Size frame, int width) {
  if (frame.width <= width) return frame;
  const auto h = static_cast<int>(std::lround(static_cast<double>(frame.height) * width / frame.width));
  return {width, std::max(1, h)};
}

// Reduced, then 8-bit (16-bit and [0, 1] float scaled to 0..255, as the image ops read them).
cv::Mat reduce_to_8bit(const cv::Mat& frame, cv::Size size) {
  cv::Mat small;
  if (frame.size() == size)
    small = frame;
  else
    cv::resize(frame, small, size, 0, 0, cv::INTER_AREA);
  switch (small.depth()) {
    case CV_8U: return small;
    case CV_16U: small.convertTo(small, CV_8U, 255.0 / 65535.0); return small;
    case CV_32F:
    case CV_64F: small.convertTo(small, CV_8U, 255.0); return small;
    default: throw DataError("motion score: frames must be 8- or 16-bit unsigned or float");
  }
}

cv::Mat to_gray(const cv::Mat& m) {
  if (m.channels() == 1) return m;
  cv::Mat gray;
  cv::cvtColor(m, gray, m.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
  return gray;
}

cv::Mat to_hsv(const cv::Mat& m) {
  cv::Mat bgr, hsv;
  if (m.channels() == 3)
    bgr = m;
  else
    cv::cvtColor(m, bgr, m.channels() == 4 ? cv::COLOR_BGRA2BGR : cv::COLOR_GRAY2BGR);
  cv::cvtColor(bgr, hsv, cv::COLOR_BGR2HSV);
  return hsv;
}

}  // namespace

MotionScorer::MotionScorer(MotionMeasure measure, int width) {
  if (width < 8) throw std::invalid_argument("MotionScorer: width must be >= 8, got " + std::to_string(width));
  state_ = std::make_unique<State>();
  state_->measure = measure;
  state_->width = width;
  if (measure == MotionMeasure::flow) state_->dis = cv::DISOpticalFlow::create(cv::DISOpticalFlow::PRESET_ULTRAFAST);
}

MotionScorer::~MotionScorer() = default;
MotionScorer::MotionScorer(MotionScorer&&) noexcept = default;
MotionScorer& MotionScorer::operator=(MotionScorer&&) noexcept = default;

double MotionScorer::add(const cv::Mat& frame) {
  State& s = *state_;
  if (frame.empty()) throw DataError("motion score: the frame is empty");
  if (frame.channels() != 1 && frame.channels() != 3 && frame.channels() != 4)
    throw DataError("motion score: frames must have 1, 3 or 4 channels, got " + std::to_string(frame.channels()));
  if (s.previous.empty()) {
    s.frame_size = frame.size();
    s.reduced_size = reduced_size(frame.size(), s.width);
  } else if (frame.size() != s.frame_size) {
    throw DataError("motion score: the frame size changed from " + size_text(s.frame_size) + " to " +
                    size_text(frame.size()));
  }
  const cv::Mat small = reduce_to_8bit(frame, s.reduced_size);
  cv::Mat current = s.measure == MotionMeasure::content ? to_hsv(small) : to_gray(small);
  // Owned, so the caller's frame may change after add() returns.
  if (current.data == frame.data) current = current.clone();

  double score = 0;
  if (!s.previous.empty()) {
    switch (s.measure) {
      case MotionMeasure::difference: {
        cv::Mat diff;
        cv::absdiff(current, s.previous, diff);
        score = cv::mean(diff)[0];
        break;
      }
      case MotionMeasure::flow: {
        const cv::Mat flow = detail::dis_flow(*s.dis, s.previous, current);
        cv::Mat parts[2], magnitude;
        cv::split(flow, parts);
        cv::magnitude(parts[0], parts[1], magnitude);
        score = cv::mean(magnitude)[0];
        break;
      }
      case MotionMeasure::content: {
        // PySceneDetect: mean over H, S and V of each channel's mean absolute difference.
        cv::Mat diff;
        cv::absdiff(current, s.previous, diff);
        const cv::Scalar m = cv::mean(diff);
        score = (m[0] + m[1] + m[2]) / 3.0;
        break;
      }
    }
  }
  s.previous = current;
  return score;
}

}  // namespace augment::video
