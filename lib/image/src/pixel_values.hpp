#pragma once
// What the photometric ops share about pixel values (private to the image module).
//
// Value range by depth: 8-bit unsigned is [0, 255], 16-bit unsigned [0, 65535], 32-bit float
// [0, 1] (as Albumentations and torchvision take float images). Results are rounded to the
// nearest level and saturated for integer depths, and clipped to [0, 1] for floats, so the three
// depths give the same picture up to quantisation. Normalise (channel norms) after these ops.
//
// Channels: 1 (gray), 3 (BGR) or 4 (BGRA). The alpha channel of a 4-channel image is never
// changed by a photometric op.
//
// Every op writes its result to a new buffer and never into the one it was given: cv::Mat
// copies share pixels, and the runner makes each copy of a sample from one decoded source.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "augment/core/error.hpp"

namespace augment::image::detail {

inline std::string depth_name(int depth) {
  switch (depth) {
    case CV_8U: return "8-bit unsigned";
    case CV_8S: return "8-bit signed";
    case CV_16U: return "16-bit unsigned";
    case CV_16S: return "16-bit signed";
    case CV_32S: return "32-bit signed";
    case CV_32F: return "32-bit float";
    case CV_64F: return "64-bit float";
    case CV_16F: return "16-bit float";
    default: return "depth " + std::to_string(depth);
  }
}

/// Throws UsageError unless the pixels are 8- or 16-bit unsigned or 32-bit float, with 1, 3 or
/// 4 channels, and not empty.
inline void check_pixels(const cv::Mat& m) {
  if (m.empty()) throw UsageError("the image has no pixels");
  const int d = m.depth(), c = m.channels();
  const bool depth_ok = d == CV_8U || d == CV_16U || d == CV_32F;
  const bool channels_ok = c == 1 || c == 3 || c == 4;
  if (!depth_ok || !channels_ok)
    throw UsageError("takes 8- or 16-bit unsigned or 32-bit float images with 1, 3 or 4 channels; got " +
                     depth_name(d) + " with " + std::to_string(c) + " channel" + (c == 1 ? "" : "s"));
}

/// The largest value of the depth's range: 255, 65535, or 1 for float.
inline double max_value(int depth) {
  if (depth == CV_8U) return 255.0;
  if (depth == CV_16U) return 65535.0;
  return 1.0;
}

/// Channels a photometric op changes: all but the alpha of a 4-channel image.
inline int colour_channels(int channels) { return channels == 4 ? 3 : channels; }

/// Rounds and saturates (integer depths) or clips to [0, 1] (float).
template <class T>
inline T to_pixel(double v) {
  if constexpr (std::is_same_v<T, float>) return static_cast<float>(std::clamp(v, 0.0, 1.0));
  else return cv::saturate_cast<T>(v);
}

/// Applies `f` (a value in pixel units -> its new value in pixel units) to every colour value;
/// results are rounded and saturated by to_pixel. 8-bit images go through a 256-entry table and
/// cv::LUT, 16-bit ones through a 65536-entry table, floats are mapped value by value (clamped
/// to [0, 1] before `f` sees them). Returns a new Mat.
template <class F>
cv::Mat map_values(const cv::Mat& src, F f) {
  const int channels = src.channels(), colour = colour_channels(channels);
  cv::Mat out(src.size(), src.type());
  switch (src.depth()) {
    case CV_8U: {
      cv::Mat lut(1, 256, CV_8UC(channels));
      for (int i = 0; i < 256; ++i) {
        const auto v = to_pixel<std::uint8_t>(f(static_cast<double>(i)));
        auto* entry = lut.ptr<std::uint8_t>(0) + i * channels;
        for (int c = 0; c < channels; ++c) entry[c] = c < colour ? v : static_cast<std::uint8_t>(i);
      }
      cv::LUT(src, lut, out);
      break;
    }
    case CV_16U: {
      std::vector<std::uint16_t> table(65536);
      for (int i = 0; i < 65536; ++i) table[i] = to_pixel<std::uint16_t>(f(static_cast<double>(i)));
      for (int y = 0; y < src.rows; ++y) {
        const auto* in = src.ptr<std::uint16_t>(y);
        auto* o = out.ptr<std::uint16_t>(y);
        for (int x = 0; x < src.cols; ++x)
          for (int c = 0; c < channels; ++c, ++in, ++o) *o = c < colour ? table[*in] : *in;
      }
      break;
    }
    default: {  // CV_32F
      for (int y = 0; y < src.rows; ++y) {
        const auto* in = src.ptr<float>(y);
        auto* o = out.ptr<float>(y);
        for (int x = 0; x < src.cols; ++x)
          for (int c = 0; c < channels; ++c, ++in, ++o)
            *o = c < colour ? to_pixel<float>(f(std::clamp(static_cast<double>(*in), 0.0, 1.0))) : *in;
      }
      break;
    }
  }
  return out;
}

/// The colour channels of `src` (a copy when it has alpha, else `src` itself, shared).
inline cv::Mat colour_part(const cv::Mat& src) {
  if (src.channels() != 4) return src;
  cv::Mat colour;
  cv::cvtColor(src, colour, cv::COLOR_BGRA2BGR);
  return colour;
}

/// `colour` with the alpha channel of `original` put back when `original` has one.
inline cv::Mat with_alpha_of(const cv::Mat& original, const cv::Mat& colour) {
  if (original.channels() != 4) return colour;
  cv::Mat out;
  cv::cvtColor(colour, out, cv::COLOR_BGR2BGRA);
  cv::Mat alpha;
  cv::extractChannel(original, alpha, 3);
  cv::insertChannel(alpha, out, 3);
  return out;
}

/// Reads a number from drawn params; throws UsageError naming it when missing or not a number.
inline double param_number(const nlohmann::json& params, const char* name) {
  if (!params.is_object() || !params.contains(name) || !params[name].is_number())
    throw UsageError(std::string("params need a number \"") + name + "\", got " + params.dump());
  return params[name].get<double>();
}

}  // namespace augment::image::detail
