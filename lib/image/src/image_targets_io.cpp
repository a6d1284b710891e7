// Targets through the dataset runner: masks as `<stem>.mask.png` beside images, boxes and
// keypoints as JSON in manifest columns.
#include <cmath>
#include <fstream>
#include <utility>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "augment/core/error.hpp"
#include "augment/core/json_text.hpp"
#include "augment/core/paths.hpp"
#include "augment/image/image.hpp"
#include "augment/image/image_codec.hpp"

namespace augment::image {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kMaskSuffix = ".mask";

fs::path mask_path_for(const fs::path& image_file) {
  return image_file.parent_path() / (image_file.stem().string() + kMaskSuffix + ".png");
}

[[noreturn]] void bad_column(const fs::path& file, const std::string& column, const std::string& why) {
  throw DataError(file.string() + ": column '" + column + "': " + why);
}

double coordinate(const json& v, const fs::path& file, const std::string& column) {
  if (!v.is_number() || !std::isfinite(v.get<double>())) bad_column(file, column, "coordinates must be finite numbers, got " + v.dump());
  return v.get<double>();
}

// At most 80 characters of a cell in a message: a cell can be megabytes long.
std::string excerpt(const std::string& text) {
  if (text.size() <= 80) return text;
  std::size_t cut = 77;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // whole characters only
  return text.substr(0, cut) + "...";
}

std::string label_of(const json& item, std::size_t at) {
  if (item.size() <= at) return "";
  return item[at].is_string() ? item[at].get<std::string>() : item[at].dump();
}

void read_boxes(Image& image, const std::string& text, const fs::path& file) {
  const json list = try_parse_json(text);
  if (!list.is_array()) bad_column(file, "boxes", "expected a JSON list of [x1, y1, x2, y2(, label)], got " + excerpt(text));
  for (const auto& b : list) {
    if (!b.is_array() || b.size() < 4 || b.size() > 5) bad_column(file, "boxes", "each box is [x1, y1, x2, y2(, label)], got " + excerpt(b.dump()));
    Box box{coordinate(b[0], file, "boxes"), coordinate(b[1], file, "boxes"), coordinate(b[2], file, "boxes"),
            coordinate(b[3], file, "boxes"), label_of(b, 4)};
    if (!(box.x1 < box.x2 && box.y1 < box.y2)) bad_column(file, "boxes", "a box needs x1 < x2 and y1 < y2, got " + excerpt(b.dump()));
    image.boxes.push_back(std::move(box));
  }
}

void read_keypoints(Image& image, const std::string& text, const fs::path& file) {
  const json list = try_parse_json(text);
  if (!list.is_array()) bad_column(file, "keypoints", "expected a JSON list of [x, y(, label)], got " + excerpt(text));
  for (const auto& k : list) {
    if (!k.is_array() || k.size() < 2 || k.size() > 3) bad_column(file, "keypoints", "each keypoint is [x, y(, label)], got " + excerpt(k.dump()));
    image.keypoints.push_back({coordinate(k[0], file, "keypoints"), coordinate(k[1], file, "keypoints"), label_of(k, 2)});
  }
}

json with_label(json item, const std::string& label) {
  if (!label.empty()) item.push_back(label);
  return item;
}

}  // namespace

void ImageCodec::settle(Sample& sample) const { image_of(sample).apply_geometry(); }

bool ImageCodec::is_companion(const fs::path& file) const {
  return file.extension() == ".png" && file.stem().string().ends_with(kMaskSuffix);
}

Sample ImageCodec::read_with_columns(const fs::path& file, const Columns& columns) const {
  // Targets first: they are in full-size pixels, so an image that has any is decoded in full.
  Image targets;
  for (const auto& [name, value] : columns) {
    if (value.empty()) continue;
    if (name == "boxes") read_boxes(targets, value, file);
    else if (name == "keypoints") read_keypoints(targets, value, file);
  }
  const fs::path mask_file = mask_path_for(file);
  const bool has_mask = fs::exists(mask_file);
  Sample sample = read_image(file, targets.boxes.empty() && targets.keypoints.empty() && !has_mask);
  Image& image = image_of(sample);
  image.boxes = std::move(targets.boxes);
  image.keypoints = std::move(targets.keypoints);
  if (has_mask) {
    // Through decode_image, so a mask gets the image's checks: declared size against the
    // image_pixels limit before decoding, damaged data an error.
    cv::Mat mask;
    try {
      mask = decode_image(read_file_bytes(mask_file, "a mask file"));
    } catch (const DataError& e) {
      throw DataError(mask_file.string() + ": not a readable mask: " + e.what());
    }
    if (mask.channels() != 1) throw DataError(mask_file.string() + ": a mask has one channel, this has " + std::to_string(mask.channels()));
    if (mask.size() != image.size())
      throw DataError(mask_file.string() + ": the mask is " + std::to_string(mask.cols) + "x" + std::to_string(mask.rows) +
                      ", the image " + std::to_string(image.size().width) + "x" + std::to_string(image.size().height));
    image.mask = mask;
  }
  return sample;
}

Columns ImageCodec::output_columns(const Sample& sample) const {
  Image image = image_of(sample);  // shares pixels; settles any geometry left on this copy only
  image.apply_geometry();
  json boxes = json::array(), keypoints = json::array();
  for (const Box& b : image.boxes) boxes.push_back(with_label({b.x1, b.y1, b.x2, b.y2}, b.label));
  for (const Keypoint& k : image.keypoints) keypoints.push_back(with_label({k.x, k.y}, k.label));
  return {{"boxes", boxes.dump()}, {"keypoints", keypoints.dump()}};
}

void ImageCodec::write_companions(const Sample& sample, const fs::path& output, Durability durability) const {
  Image image = image_of(sample);
  image.apply_geometry();
  if (!image.mask) return;
  const std::vector<std::uint8_t> bytes = encode_image(*image.mask, ".png", options());
  AtomicOutputFile file(mask_path_for(output), durability);
  file.stream().write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  file.commit();
}

}  // namespace augment::image
