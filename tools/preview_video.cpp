#include "preview_video.hpp"

#include <algorithm>
#include <iostream>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "augment/core/atomic_file.hpp"
#include "augment/core/error.hpp"
#include "augment/core/paths.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/image/image.hpp"
#include "augment/video/frame_sampling.hpp"
#include "augment/video/optical_flow.hpp"
#include "augment/video/video.hpp"
#include "cli_common.hpp"
#include "preview_grid.hpp"

namespace augment::cli {
namespace {

constexpr std::size_t kOriginalFrames = 16;

// The frames of one variant as cells captioned "<row> f<source index>".
void add_row(const video::Video& clip, const std::string& row, int max_side, std::vector<Cell>& cells) {
  clip.for_each_frame([&](std::size_t position, const cv::Mat& pixels) {
    const video::Frame& frame = clip.frames[position];
    bool stretched = false;
    cv::Mat picture = clip.content == video::FrameContent::flow ? video::flow_to_colour(pixels)
                                                                 : to_display(pixels, stretched);
    const int longest = std::max(picture.cols, picture.rows);
    if (max_side > 0 && longest > max_side) {
      const double scale = static_cast<double>(max_side) / longest;
      cv::resize(picture, picture, cv::Size(), scale, scale, cv::INTER_AREA);
    }
    std::string caption = row + " f" + std::to_string(frame.source_index);
    if (frame.flow_to >= 0) caption += "-" + std::to_string(frame.flow_to);
    cells.push_back({std::move(picture), caption + (stretched ? " str." : "")});
  });
}

}  // namespace

int preview_video(const VideoPreviewOptions& o) {
  const SampleCodec* reader = registry().codec_for(Kind::video, lower_extension(o.input));
  const SampleCodec& writer = image_codec("--output", o.output);
  refuse_same_file(o.input, o.output, "--output would overwrite the input");
  const Pipeline pipeline = Pipeline::load(o.pipeline_file, registry());
  if (pipeline.input_kind() != Kind::video || pipeline.output_kind() != Kind::video)
    throw UsageError("--pipeline: " + o.pipeline_file + " takes " + std::string(to_string(pipeline.input_kind())) +
                     " and gives " + std::string(to_string(pipeline.output_kind())) +
                     "; a video preview needs a video -> video pipeline");
  if (const auto unfitted = pipeline.unfitted_stages(); !unfitted.empty())
    throw UsageError("--pipeline: " + unfitted.front() + " is not fitted; run `augment fit` first");

  const Sample source = reader->read(o.input);
  const std::string key = std::filesystem::path(o.input).filename().string();
  // Rows: the preprocessed original (deterministic stages only), then each variant as copy i of
  // `augment run --seed S` makes it.
  std::vector<std::vector<Cell>> rows;
  for (int copy = -1; copy < o.count; ++copy) {
    Sample variant = source;
    if (copy < 0) {
      pipeline.preprocess(variant);
      // Without its random samplers the original may keep every frame: show 16 spread evenly.
      auto& frames = variant.as<video::Video>();
      if (frames.frames.size() > kOriginalFrames)
        video::keep_positions(frames, video::uniform_positions(frames.frames.size(), kOriginalFrames));
    } else pipeline.run(variant, Rng::derive(o.seed, key, static_cast<std::uint64_t>(copy), 0));
    rows.emplace_back();
    add_row(variant.as<video::Video>(), copy < 0 ? "original" : "copy " + std::to_string(copy), o.max_side,
            rows.back());
  }
  std::size_t columns = 1;
  for (const auto& row : rows) columns = std::max(columns, row.size());
  std::vector<Cell> cells;
  for (auto& row : rows) {
    row.resize(columns);  // short rows padded with empty cells
    for (Cell& cell : row) cells.push_back(std::move(cell));
  }
  image::Image grid(make_grid(cells, static_cast<int>(columns)));
  grid.source_extension = lower_extension(o.output);
  AtomicOutputFile file(o.output);
  writer.write(image::make_sample(std::move(grid)), lower_extension(o.output), file.stream());
  file.commit();
  std::cerr << "augment preview: " << o.count << " variant" << (o.count == 1 ? "" : "s") << " of " << o.input
            << " -> " << o.output << "\n";
  return ok;
}

}  // namespace augment::cli
