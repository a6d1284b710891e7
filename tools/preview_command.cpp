// augment preview: one image run through a pipeline N times, drawn as a labelled grid (the
// original first) with its boxes and keypoints, to see what a pipeline does before running it
// over a dataset.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <iostream>
#include <sstream>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "augment/core/atomic_file.hpp"
#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"
#include "augment/core/paths.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/image/image.hpp"
#include "cli_common.hpp"
#include "preview_audio.hpp"
#include "preview_grid.hpp"
#include "preview_video.hpp"

namespace augment::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;
namespace {

constexpr int kMaxCount = 1000;
constexpr int kLabelHeight = 22;
constexpr int kGap = 6;
const cv::Scalar kBackground(32, 32, 32);
const cv::Scalar kBoxColour(0, 255, 0);
const cv::Scalar kKeypointColour(0, 0, 255);


std::string known_extensions() {
  std::string out;
  for (const SampleCodec* codec : registry().codecs(Kind::image))
    for (const auto& ext : codec->extensions()) out += (out.empty() ? "" : " ") + ext;
  return out.empty() ? "none: this build has no image codec" : out;
}

/// "a,b,c;d,e,f" -> lists of `width` numbers each; empty parts are skipped.
std::vector<std::vector<double>> parse_tuples(const std::string& option, const std::string& text, std::size_t width,
                                              const char* shape) {
  std::vector<std::vector<double>> out;
  std::stringstream items(text);
  for (std::string item; std::getline(items, item, ';');) {
    if (item.find_first_not_of(" \t") == std::string::npos) continue;
    std::vector<double> numbers;
    std::stringstream fields(item);
    for (std::string field; std::getline(fields, field, ',');) {
      const auto v = parse_number(field);
      if (!v || !std::isfinite(*v))
        throw UsageError(option + ": '" + field + "' is not a number (in '" + item + "'; expected " + shape + ")");
      numbers.push_back(*v);
    }
    if (numbers.size() != width)
      throw UsageError(option + ": expected " + shape + ", got '" + item + "'");
    out.push_back(std::move(numbers));
  }
  return out;
}

std::vector<image::Box> parse_boxes(const std::string& text) {
  std::vector<image::Box> boxes;
  for (const auto& b : parse_tuples("--boxes", text, 4, "x1,y1,x2,y2")) {
    if (!(b[0] < b[2]) || !(b[1] < b[3]))
      throw UsageError("--boxes: box " + std::to_string(boxes.size() + 1) + " needs x1 < x2 and y1 < y2, got " +
                       format_number(b[0]) + "," + format_number(b[1]) + "," + format_number(b[2]) + "," +
                       format_number(b[3]));
    boxes.push_back({b[0], b[1], b[2], b[3], std::to_string(boxes.size() + 1)});
  }
  return boxes;
}

std::vector<image::Keypoint> parse_keypoints(const std::string& text) {
  std::vector<image::Keypoint> points;
  for (const auto& k : parse_tuples("--keypoints", text, 2, "x,y"))
    points.push_back({k[0], k[1], std::to_string(points.size() + 1)});
  return points;
}

/// The image shrunk to `max_side`, its boxes and keypoints drawn, under a caption.
Cell make_cell(image::Image& img, const std::string& title, int max_side) {
  const cv::Mat& pixels = img.pixels();  // applies pending geometry (and moves the targets)
  bool stretched = false;
  cv::Mat picture = to_display(pixels, stretched);
  const int longest = std::max(picture.cols, picture.rows);
  const double scale = max_side > 0 && longest > max_side ? static_cast<double>(max_side) / longest : 1.0;
  if (scale < 1.0) cv::resize(picture, picture, cv::Size(), scale, scale, cv::INTER_AREA);
  const int thickness = std::max(1, static_cast<int>(std::lround(std::min(picture.cols, picture.rows) / 200.0)));
  const double font = 0.4;
  for (const image::Box& b : img.boxes) {
    // Continuous coordinates: pixel i spans [i, i + 1); draw along the outermost covered pixels.
    const cv::Point p1(static_cast<int>(std::floor(b.x1 * scale)), static_cast<int>(std::floor(b.y1 * scale)));
    const cv::Point p2(static_cast<int>(std::ceil(b.x2 * scale)) - 1, static_cast<int>(std::ceil(b.y2 * scale)) - 1);
    cv::rectangle(picture, p1, p2, kBoxColour, thickness);
    cv::putText(picture, b.label, p1 + cv::Point(2, 12), cv::FONT_HERSHEY_SIMPLEX, font, kBoxColour, 1, cv::LINE_AA);
  }
  constexpr int kShift = 4;  // sub-pixel centres, 1/16 pixel
  const int radius = std::max(2, 2 * thickness);
  for (const image::Keypoint& k : img.keypoints) {
    // The centre of pixel i is i + 0.5 in target coordinates and i in OpenCV's.
    const cv::Point centre(static_cast<int>(std::lround((k.x * scale - 0.5) * (1 << kShift))),
                           static_cast<int>(std::lround((k.y * scale - 0.5) * (1 << kShift))));
    cv::circle(picture, centre, radius << kShift, cv::Scalar(0, 0, 0), thickness + 1, cv::LINE_AA, kShift);
    cv::circle(picture, centre, radius << kShift, kKeypointColour, cv::FILLED, cv::LINE_AA, kShift);
    const cv::Point at(static_cast<int>(k.x * scale) + radius + 1, static_cast<int>(k.y * scale) - radius);
    cv::putText(picture, k.label, at, cv::FONT_HERSHEY_SIMPLEX, font, kKeypointColour, 1, cv::LINE_AA);
  }
  std::string caption = title + "  " + std::to_string(pixels.cols) + "x" + std::to_string(pixels.rows);
  if (scale < 1.0) caption += " (shown " + std::to_string(picture.cols) + "x" + std::to_string(picture.rows) + ")";
  if (stretched) caption += " stretched";
  return {std::move(picture), std::move(caption)};
}

/// A copy of `source` whose pixels and mask own their buffers, so no stage can reach another
/// variant's (cv::Mat copies share pixels).
image::Image fresh_copy(const image::Image& source) {
  image::Image copy = source;
  cv::Mat& pixels = copy.mutable_pixels();
  pixels = pixels.clone();
  if (copy.mask) *copy.mask = copy.mask->clone();
  return copy;
}

}  // namespace

const SampleCodec& image_codec(const std::string& option, const fs::path& file) {
  const std::string ext = lower_extension(file);
  const SampleCodec* codec = registry().codec_for(Kind::image, ext);
  if (!codec)
    throw UsageError(option + ": no image codec for '" + (ext.empty() ? file.filename().string() : ext) +
                     "' (known: " + known_extensions() + ")");
  return *codec;
}

cv::Mat to_display(const cv::Mat& pixels, bool& stretched) {
  stretched = false;
  cv::Mat m = pixels;
  if (m.channels() == 2 || m.channels() > 4) cv::extractChannel(pixels, m, 0);
  cv::Mat eight;
  if (m.depth() == CV_8U) {
    eight = m;
  } else if (m.depth() == CV_16U) {
    m.convertTo(eight, CV_8U, 1.0 / 257.0);
  } else {
    double lo = 0, hi = 0;
    cv::minMaxLoc(m.reshape(1), &lo, &hi);
    if (lo >= 0 && hi <= 1) {
      m.convertTo(eight, CV_8U, 255.0);
    } else {
      stretched = true;
      const double scale = hi > lo ? 255.0 / (hi - lo) : 0.0;
      m.convertTo(eight, CV_8U, scale, -lo * scale);
    }
  }
  cv::Mat bgr;
  if (eight.channels() == 1) cv::cvtColor(eight, bgr, cv::COLOR_GRAY2BGR);
  else if (eight.channels() == 4) cv::cvtColor(eight, bgr, cv::COLOR_BGRA2BGR);
  else bgr = eight.clone();
  return bgr;
}

cv::Mat make_grid(const std::vector<Cell>& cells, int columns) {
  int cell_w = 0, cell_h = 0;
  for (const Cell& c : cells) {
    int baseline = 0;
    const cv::Size text = cv::getTextSize(c.caption, cv::FONT_HERSHEY_SIMPLEX, 0.45, 1, &baseline);
    cell_w = std::max({cell_w, c.picture.cols, text.width + 4});
    cell_h = std::max(cell_h, c.picture.rows);
  }
  cell_h += kLabelHeight;
  const int n = static_cast<int>(cells.size());
  const int rows = (n + columns - 1) / columns;
  cv::Mat grid(rows * cell_h + (rows + 1) * kGap, columns * cell_w + (columns + 1) * kGap, CV_8UC3, kBackground);
  for (int i = 0; i < n; ++i) {
    const int x = kGap + (i % columns) * (cell_w + kGap), y = kGap + (i / columns) * (cell_h + kGap);
    cv::putText(grid, cells[i].caption, cv::Point(x + 2, y + kLabelHeight - 7), cv::FONT_HERSHEY_SIMPLEX, 0.45,
                cv::Scalar(235, 235, 235), 1, cv::LINE_AA);
    const cv::Mat& p = cells[i].picture;
    if (!p.empty()) p.copyTo(grid(cv::Rect(x, y + kLabelHeight, p.cols, p.rows)));  // empty: a gap
  }
  return grid;
}

int preview_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  std::string pipeline_file, input, output, boxes_text, keypoints_text;
  int count = 8, columns = 0, max_side = 512;
  std::uint64_t seed = 0;
  options.add_options()
      ("pipeline", po::value(&pipeline_file)->required(), "image pipeline spec (JSON)")
      ("input", po::value(&input)->required(), "the image to preview (read by the image codec)")
      ("output", po::value(&output)->required(),
       "the grid image to write (format from its extension; written under a temporary name, then renamed)")
      ("count,n", po::value(&count)->default_value(8), "variants to draw, after the original")
      ("seed,s", po::value(&seed)->default_value(0),
       "seed; variant i draws what copy i of `augment run --seed S` draws for this file at the top of a dataset")
      ("columns", po::value(&columns)->default_value(0), "grid columns (0: about square)")
      ("max-side", po::value(&max_side)->default_value(512), "shrink cells whose longer side is above this (0: never)")
      ("boxes", po::value(&boxes_text), "boxes to draw, \"x1,y1,x2,y2;...\" in pixels of the input, pixel i spanning "
                                        "[i, i+1); moved by the pipeline's geometry")
      ("keypoints", po::value(&keypoints_text), "keypoints to draw, \"x,y;...\" in the same coordinates")
      ("write-audio", "audio input: also write each variant's audio beside the picture as <output stem>.copyN.<ext>");
  po::variables_map vm;
  if (!parse("preview", "--pipeline P.json --input IMAGE|AUDIO|VIDEO --output PICTURE.png [options]", options, args, vm))
    return ok;
  if (count < 1 || count > kMaxCount)
    throw UsageError("--count must be in [1, " + std::to_string(kMaxCount) + "], got " + std::to_string(count));
  if (columns < 0 || columns > kMaxCount + 1)
    throw UsageError("--columns must be in [0, " + std::to_string(kMaxCount + 1) + "], got " + std::to_string(columns));
  if (max_side < 0) throw UsageError("--max-side must be >= 0, got " + std::to_string(max_side));
  if (registry().codec_for(Kind::audio, lower_extension(input))) {
    // An audio file: one row per variant (waveform, spectrogram); --max-side is the panel width.
    if (vm.count("boxes") || vm.count("keypoints") || !vm["columns"].defaulted())
      throw UsageError("--boxes, --keypoints and --columns are for images; " + input + " is audio");
    return preview_audio({.pipeline_file = pipeline_file, .input = input, .output = output, .count = count,
                          .seed = seed, .width = vm["max-side"].defaulted() ? 640 : max_side,
                          .write_audio = vm.count("write-audio") > 0});
  }
  if (vm.count("write-audio")) throw UsageError("--write-audio is for audio inputs; " + input + " is not audio");
  if (registry().codec_for(Kind::video, lower_extension(input))) {
    // A video: one row per variant, its frames side by side; --max-side is each frame's.
    if (vm.count("boxes") || vm.count("keypoints") || !vm["columns"].defaulted())
      throw UsageError("--boxes, --keypoints and --columns are for images; " + input + " is a video");
    return preview_video({.pipeline_file = pipeline_file, .input = input, .output = output, .count = count,
                          .seed = seed, .max_side = vm["max-side"].defaulted() ? 160 : max_side});
  }
  std::vector<image::Box> boxes = parse_boxes(boxes_text);
  std::vector<image::Keypoint> keypoints = parse_keypoints(keypoints_text);
  const SampleCodec& reader = image_codec("--input", input);
  const SampleCodec& writer = image_codec("--output", output);
  refuse_same_file(input, output, "--output would overwrite the input");

  const Pipeline pipeline = Pipeline::load(pipeline_file, registry());
  if (pipeline.input_kind() != Kind::image || pipeline.output_kind() != Kind::image)
    throw UsageError("--pipeline: " + pipeline_file + " takes " + std::string(to_string(pipeline.input_kind())) +
                     " and gives " + std::string(to_string(pipeline.output_kind())) +
                     "; preview needs an image -> image pipeline");
  if (const auto unfitted = pipeline.unfitted_stages(); !unfitted.empty())
    throw UsageError("--pipeline: " + unfitted.front() + " is not fitted; run `augment fit` first");

  Sample source = reader.read(input);
  image::Image& original = image::image_of(source);
  if (vm.count("boxes")) original.boxes = std::move(boxes);  // else any the codec read
  if (vm.count("keypoints")) original.keypoints = std::move(keypoints);

  const std::string key = fs::path(input).filename().string();
  std::vector<Cell> cells;
  {
    image::Image shown = fresh_copy(original);
    cells.push_back(make_cell(shown, "original", max_side));
  }
  for (int copy = 0; copy < count; ++copy) {
    Sample variant = image::make_sample(fresh_copy(original));
    pipeline.run(variant, Rng::derive(seed, key, static_cast<std::uint64_t>(copy), 0));
    if (variant.kind() != Kind::image) throw UsageError("the pipeline did not give an image");
    cells.push_back(make_cell(image::image_of(variant), "copy " + std::to_string(copy), max_side));
  }
  const int n = static_cast<int>(cells.size());
  if (columns == 0) columns = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n))));
  columns = std::min(columns, n);

  image::Image grid(make_grid(cells, columns));
  grid.source_extension = lower_extension(output);
  AtomicOutputFile file(output);
  writer.write(image::make_sample(std::move(grid)), lower_extension(output), file.stream());
  file.commit();
  std::cerr << "augment preview: " << count << " variant" << (count == 1 ? "" : "s") << " of " << input << " -> "
            << output << "\n";
  return ok;
}

}  // namespace augment::cli
