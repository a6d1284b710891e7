#pragma once
// DIS optical flow on frames of any size (private to the video module; compute_flow and the
// flow motion measure share it).
#include <opencv2/core.hpp>
#include <opencv2/video/tracking.hpp>

namespace augment::video::detail {

/// dis.calc(from, to) for two 8-bit gray frames of the same size. OpenCV 4.6's DIS throws on
/// frames under 8 pixels on a side and, for frames too small for the preset's finest pyramid
/// level, switches to settings chosen from the width alone, which read past the pyramid of a
/// short wide frame (a crash at 64x8 or 200x24). Such frames are padded (edge pixels repeated)
/// to a size the preset handles, and the flow of the original area is returned.
cv::Mat dis_flow(cv::DISOpticalFlow& dis, const cv::Mat& from, const cv::Mat& to);

}  // namespace augment::video::detail
