#pragma once
// Sizes an op is about to allocate (its pixels and any mask), checked against
// limits().image_pixels first: a parameter must not be able to ask for gigabytes.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include <opencv2/core.hpp>

#include "augment/core/limits.hpp"

namespace augment::image::detail {

inline std::uint64_t pixel_count(cv::Size size) {
  return static_cast<std::uint64_t>(size.width) * static_cast<std::uint64_t>(size.height);
}

inline std::string size_words(std::string_view op, cv::Size size) {
  return std::string(op) + " output of " + std::to_string(size.width) + "x" + std::to_string(size.height) + " pixels";
}

/// While applying: DataError for this sample.
inline void check_output_size(cv::Size size, std::string_view op) {
  check_limit("image_pixels", pixel_count(size), size_words(op, size));
}

/// When a spec fixes the size: std::invalid_argument, which the spec reader reports with the stage.
inline void check_requested_size(cv::Size size, std::string_view op) {
  if (pixel_count(size) > limits().image_pixels)
    throw std::invalid_argument(over_limit_message("image_pixels", pixel_count(size), size_words(op, size)));
}

}  // namespace augment::image::detail
