#pragma once
// What the previews of images, audio and video share: pictures made displayable, laid out in a
// captioned grid, written through the image codec.
#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "augment/core/sample_codec.hpp"

namespace augment::cli {

/// One grid cell: a picture and its caption.
struct Cell {
  cv::Mat picture;
  std::string caption;
};

/// Any image as 8-bit BGR for display: 16-bit divided by 257, float scaled from [0, 1] (or
/// stretched from its own min..max when it leaves [0, 1], e.g. after normalisation), gray
/// expanded, alpha dropped. Sets `stretched` when it had to stretch.
cv::Mat to_display(const cv::Mat& pixels, bool& stretched);

/// The cells row by row, `columns` to a row, each under its caption.
cv::Mat make_grid(const std::vector<Cell>& cells, int columns);

/// The image codec for `file`'s extension; UsageError naming `option` and the known ones.
const SampleCodec& image_codec(const std::string& option, const std::filesystem::path& file);

}  // namespace augment::cli
