#include "augment/image/reduced_decode.hpp"

#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "augment/image/image_codec.hpp"
#include "augment/image/resize.hpp"

namespace augment::image {

std::function<cv::Size(cv::Size full)> reduced_decode_target(const Pipeline& pipeline) {
  // A plain op that always runs and draws nothing: a stage with p < 1 or a choice may leave the
  // image at full size.
  if (pipeline.input_kind() != Kind::image || pipeline.deterministic_prefix() == 0) return {};
  const nlohmann::json spec = pipeline.to_json();  // every parameter explicit
  const nlohmann::json& stage = spec["stages"][0];
  const std::string op = stage.value("op", "");
  // Nearest neighbour picks pixels rather than averaging them: a block average is not it.
  if (stage.value("interpolation", "") == "nearest") return {};
  if (op == "resize_longest" || op == "resize_shortest") {
    const int size = stage["size"].get<int>();
    if (op == "resize_longest") return [size](cv::Size full) { return longest_side_size(full, size); };
    return [size](cv::Size full) { return shortest_side_size(full, size); };
  }
  if (op == "resize") {
    const cv::Size target(stage["width"].get<int>(), stage["height"].get<int>());
    if (stage["letterbox"].get<bool>()) return [target](cv::Size full) { return letterbox_layout(full, target).scaled; };
    return [target](cv::Size) { return target; };
  }
  return {};
}

int reduced_decode_denominator(cv::Size full, cv::Size needed) {
  for (const int d : {8, 4, 2})
    if ((full.width + d - 1) / d >= needed.width && (full.height + d - 1) / d >= needed.height) return d;
  return 1;
}

ImageCodec::ImageCodec(ImageWriteOptions options, ImageReadOptions read_options) : ImageCodec(std::move(options)) {
  read_options_ = std::move(read_options);
}

// Also the write options that differ from the defaults: they change the outputs as much as the
// reading does, and the runner's --resume must not keep files written with other ones.
std::string ImageCodec::read_settings() const {
  std::string out = read_options_.reduce_to ? "reduced JPEG decode" : "";
  const auto add = [&out](const std::string& setting) { out += (out.empty() ? "" : ", ") + setting; };
  const ImageWriteOptions defaults;
  if (!options_.format.empty()) add("written as " + options_.format);
  if (options_.jpeg_quality != defaults.jpeg_quality) add("JPEG quality " + std::to_string(options_.jpeg_quality));
  if (options_.webp_quality != defaults.webp_quality) add("WebP quality " + std::to_string(options_.webp_quality));
  if (options_.png_compression != defaults.png_compression)
    add("PNG compression " + std::to_string(options_.png_compression));
  return out;
}

}  // namespace augment::image
