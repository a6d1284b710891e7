#pragma once
// Dense optical flow between two frames (OpenCV's Farneback and DIS), its Middlebury `.flo`
// file format and the Middlebury colour coding used to look at it.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace augment::video {

enum class FlowMethod { farneback, dis };

struct FlowSettings {
  FlowMethod method = FlowMethod::dis;
  /// DIS: "ultrafast", "fast" or "medium" (cv::DISOpticalFlow's presets).
  std::string dis_preset = "medium";
  // Farneback (cv::calcOpticalFlowFarneback), OpenCV's sample values.
  double pyramid_scale = 0.5;
  int levels = 3;
  int window_size = 15;
  int iterations = 3;
  int poly_n = 5;
  double poly_sigma = 1.2;
};

/// The flow from `from` to `to` (same size; gray, BGR or BGRA, 8-bit; converted to gray): a
/// CV_32FC2 field where pixel (x, y) of `from` moves to (x + dx, y + dy) in `to`. Throws
/// std::invalid_argument on bad settings or mismatched frames. The bytes depend only on the
/// inputs and settings, not on OpenCV's thread count (DIS searches patches in a fixed 8 stripes;
/// its other passes and Farneback's work per pixel or row). Frames too small for a DIS preset's
/// pyramid (OpenCV 4.6 throws below 8 px and can crash on short wide frames) are padded by
/// repeating their edges, and the flow of the original area is returned.
cv::Mat compute_flow(const cv::Mat& from, const cv::Mat& to, const FlowSettings& settings);

/// Middlebury .flo: the float 202021.25 ("PIEH" in little-endian bytes), int32 width, int32
/// height, then (dx, dy) float32 pairs row by row, all little-endian.
std::vector<std::uint8_t> encode_flo(const cv::Mat& flow);
/// Reads .flo bytes; throws DataError with the reason (bad magic, truncated, absurd size).
cv::Mat decode_flo(std::span<const std::uint8_t> bytes);

/// The Middlebury colour code (Baker et al., "A Database and Evaluation Methodology for Optical
/// Flow", 2011; the 55-colour wheel of their colorcode.cpp): hue is direction, saturation is
/// magnitude / max_magnitude (clipped at 1), zero flow is white. max_magnitude <= 0 uses the
/// field's largest magnitude. Returns 8-bit BGR.
cv::Mat flow_to_colour(const cv::Mat& flow, double max_magnitude = 0);

}  // namespace augment::video
