#include "augment/video/optical_flow.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>

#include "dis_flow.hpp"

namespace augment::video {
namespace detail {

namespace {

// DISOpticalFlowImpl::calc's choice of the coarsest pyramid level, computed the same way so the
// padding below is applied exactly when OpenCV would leave the preset's settings.
int opencv_coarsest_scale(cv::Size size, int patch_size) {
  const int longest = std::max(size.width, size.height), shortest = std::min(size.width, size.height);
  return std::min(static_cast<int>(std::log(longest / (4.0 * patch_size)) / std::log(2.0) + 0.5),
                  static_cast<int>(std::log(shortest / patch_size) / std::log(2.0)));
}

cv::Mat continuous(const cv::Mat& m) { return m.isContinuous() ? m : m.clone(); }

}  // namespace

cv::Mat dis_flow(cv::DISOpticalFlow& dis, const cv::Mat& from, const cv::Mat& to) {
  const int patch = dis.getPatchSize(), finest = dis.getFinestScale();
  cv::Mat flow;
  if (from.cols >= patch && from.rows >= patch && opencv_coarsest_scale(from.size(), patch) >= finest) {
    dis.calc(continuous(from), continuous(to), flow);
    return flow;
  }
  // Both OpenCV conditions hold with room to spare: shortest >= patch·2^finest and longest >=
  // 4·patch·2^finest (the log then is at least `finest`, well clear of the + 0.5 rounding).
  const int shortest = patch << finest, longest = (4 * patch) << finest;
  const bool wide = from.cols >= from.rows;
  const int want_w = std::max(from.cols, wide ? longest : shortest);
  const int want_h = std::max(from.rows, wide ? shortest : longest);
  cv::Mat a, b;
  cv::copyMakeBorder(from, a, 0, want_h - from.rows, 0, want_w - from.cols, cv::BORDER_REPLICATE);
  cv::copyMakeBorder(to, b, 0, want_h - to.rows, 0, want_w - to.cols, cv::BORDER_REPLICATE);
  dis.calc(a, b, flow);
  return flow(cv::Rect(0, 0, from.cols, from.rows)).clone();
}

}  // namespace detail

namespace {

int dis_preset(const std::string& name) {
  if (name == "ultrafast") return cv::DISOpticalFlow::PRESET_ULTRAFAST;
  if (name == "fast") return cv::DISOpticalFlow::PRESET_FAST;
  if (name == "medium") return cv::DISOpticalFlow::PRESET_MEDIUM;
  throw std::invalid_argument("compute_flow: dis_preset must be \"ultrafast\", \"fast\" or \"medium\", got \"" + name +
                              "\"");
}

void check_farneback(const FlowSettings& s) {
  const auto bad = [](const std::string& what) { throw std::invalid_argument("compute_flow: " + what); };
  if (!(s.pyramid_scale > 0 && s.pyramid_scale < 1))
    bad("pyramid_scale must be in (0, 1), got " + std::to_string(s.pyramid_scale));
  if (s.levels < 0) bad("levels must be >= 0, got " + std::to_string(s.levels));
  if (s.window_size < 1) bad("window_size must be >= 1, got " + std::to_string(s.window_size));
  if (s.iterations < 1) bad("iterations must be >= 1, got " + std::to_string(s.iterations));
  // OpenCV documents 5 and 7; its OpenCL path takes nothing else.
  if (s.poly_n != 5 && s.poly_n != 7) bad("poly_n must be 5 or 7, got " + std::to_string(s.poly_n));
  if (!(s.poly_sigma > 0) || !std::isfinite(s.poly_sigma))
    bad("poly_sigma must be > 0, got " + std::to_string(s.poly_sigma));
}

cv::Mat to_gray(const cv::Mat& frame, const char* which) {
  if (frame.empty()) throw std::invalid_argument(std::string("compute_flow: the '") + which + "' frame is empty");
  if (frame.depth() != CV_8U)
    throw std::invalid_argument(std::string("compute_flow: the '") + which + "' frame must be 8-bit");
  cv::Mat gray;
  switch (frame.channels()) {
    case 1: return frame;
    case 3: cv::cvtColor(frame, gray, cv::COLOR_BGR2GRAY); return gray;
    case 4: cv::cvtColor(frame, gray, cv::COLOR_BGRA2GRAY); return gray;
    default:
      throw std::invalid_argument(std::string("compute_flow: the '") + which + "' frame has " +
                                  std::to_string(frame.channels()) + " channels (takes gray, BGR or BGRA)");
  }
}

}  // namespace

cv::Mat compute_flow(const cv::Mat& from, const cv::Mat& to, const FlowSettings& settings) {
  const bool dis = settings.method == FlowMethod::dis;
  const int preset = dis ? dis_preset(settings.dis_preset) : 0;
  if (!dis) check_farneback(settings);
  const cv::Mat a = to_gray(from, "from"), b = to_gray(to, "to");
  if (a.size() != b.size())
    throw std::invalid_argument("compute_flow: the frames differ in size (" + std::to_string(a.cols) + "x" +
                                std::to_string(a.rows) + " and " + std::to_string(b.cols) + "x" +
                                std::to_string(b.rows) + ")");
  if (dis) {
    // A fresh instance per call: an instance holds working buffers, and the optical_flow op
    // computes a video's pairs on several threads at once.
    const cv::Ptr<cv::DISOpticalFlow> algorithm = cv::DISOpticalFlow::create(preset);
    return detail::dis_flow(*algorithm, a, b);
  }
  cv::Mat flow;
  cv::calcOpticalFlowFarneback(a, b, flow, settings.pyramid_scale, settings.levels, settings.window_size,
                               settings.iterations, settings.poly_n, settings.poly_sigma, 0);
  return flow;
}

}  // namespace augment::video
