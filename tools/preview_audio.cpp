// augment preview on an audio file: the original and N variants drawn one row each — the
// waveform on the left, the spectrogram on the right (dB, 80 dB range, magma colours, low
// frequencies at the bottom) — so masks, noise, filtering and shifts can be seen before a run.
// Pipelines that end in a spectrogram show it in place of the variant's own spectrogram.
#include "preview_audio.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "augment/audio/audio.hpp"
#include "augment/audio/spectrogram.hpp"
#include "augment/core/atomic_file.hpp"
#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"
#include "augment/core/paths.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/image/image.hpp"
#include "cli_common.hpp"

namespace augment::cli {
namespace fs = std::filesystem;
namespace {

constexpr int kWaveHeight = 120;
constexpr int kSpecHeight = 160;
constexpr int kCaption = 20;
constexpr int kGap = 6;
constexpr double kRangeDb = 80.0;
const cv::Scalar kBackground(32, 32, 32);
const cv::Scalar kText(235, 235, 235);


/// Channel by channel (stacked), the min..max of the frames under each pixel column on a fixed
/// [-1, 1] scale, so gain changes show as height.
cv::Mat draw_waveform(const audio::Audio& sound, int width) {
  cv::Mat panel(kWaveHeight, width, CV_8UC3, cv::Scalar(16, 16, 16));
  const int channels = std::max(1, sound.channel_count());
  const int lane = kWaveHeight / channels;
  const std::size_t frames = sound.frames();
  for (int c = 0; c < sound.channel_count(); ++c) {
    const auto& samples = sound.channels[static_cast<std::size_t>(c)];
    const int mid = c * lane + lane / 2;
    cv::line(panel, {0, mid}, {width - 1, mid}, cv::Scalar(70, 70, 70));
    if (frames == 0) continue;
    for (int x = 0; x < width; ++x) {
      const std::size_t begin = frames * static_cast<std::size_t>(x) / static_cast<std::size_t>(width);
      const std::size_t end = std::max(begin + 1, frames * static_cast<std::size_t>(x + 1) / static_cast<std::size_t>(width));
      float lo = samples[begin], hi = samples[begin];
      for (std::size_t i = begin; i < std::min(end, frames); ++i) lo = std::min(lo, samples[i]), hi = std::max(hi, samples[i]);
      auto y = [&](float v) { return mid - static_cast<int>(std::lround(std::clamp(v, -1.0f, 1.0f) * static_cast<float>(lane / 2 - 1))); };
      cv::line(panel, {x, y(hi)}, {x, y(lo)}, cv::Scalar(230, 180, 90));
    }
  }
  return panel;
}

/// Channel 0 in dB (from power, magnitude or complex values; already-dB and MFCC values as they
/// are), the top kRangeDb of it mapped to magma, bin 0 at the bottom.
cv::Mat draw_spectrogram(const audio::Spectrogram& spec, int width) {
  cv::Mat db(spec.bins, spec.frames, CV_32F);
  for (int b = 0; b < spec.bins; ++b)
    for (int t = 0; t < spec.frames; ++t) {
      const std::size_t i = spec.index(0, b, t);
      double v;
      if (spec.is_complex()) v = 20.0 * std::log10(std::max(1e-10, static_cast<double>(std::abs(spec.complex_values[i]))));
      else if (spec.decibels || spec.frequency_scale == "mfcc") v = spec.values[i];
      else v = (spec.power == 1.0 ? 20.0 : 10.0) * std::log10(std::max(1e-10, static_cast<double>(spec.values[i])));
      db.at<float>(spec.bins - 1 - b, t) = static_cast<float>(v);
    }
  double lo = 0, hi = 0;
  cv::minMaxLoc(db, &lo, &hi);
  if (spec.frequency_scale != "mfcc") lo = std::max(lo, hi - kRangeDb);
  cv::Mat gray;
  const double scale = hi > lo ? 255.0 / (hi - lo) : 0.0;
  db.convertTo(gray, CV_8U, scale, -lo * scale);
  cv::Mat colour;
  cv::applyColorMap(gray, colour, cv::COLORMAP_MAGMA);
  cv::Mat panel;
  const cv::Size size(width, kSpecHeight);
  // Nearest when enlarging keeps mask edges sharp; area when shrinking keeps narrow masks visible.
  cv::resize(colour, panel, size, 0, 0,
             spec.frames >= width && spec.bins >= kSpecHeight ? cv::INTER_AREA : cv::INTER_NEAREST);
  return panel;
}

struct Row {
  cv::Mat waveform;     // empty when the variant is a spectrogram
  cv::Mat spectrogram;
  std::string caption;
};

std::string describe(const audio::Audio& a) {
  return format_number(std::round(a.duration() * 1000) / 1000) + " s, " + std::to_string(a.sample_rate) + " Hz, " +
         std::to_string(a.channel_count()) + " ch";
}

std::string describe(const audio::Spectrogram& s) {
  return s.frequency_scale + (s.decibels ? " dB" : "") + " spectrogram " + std::to_string(s.bins) + " bins x " +
         std::to_string(s.frames) + " frames";
}

cv::Mat compose(const std::vector<Row>& rows, int width) {
  const int row_height = kCaption + std::max(kWaveHeight, kSpecHeight);
  const int n = static_cast<int>(rows.size());
  cv::Mat picture(n * row_height + (n + 1) * kGap, 2 * width + 3 * kGap, CV_8UC3, kBackground);
  for (int r = 0; r < n; ++r) {
    const int y = kGap + r * (row_height + kGap);
    cv::putText(picture, rows[r].caption, {kGap + 2, y + kCaption - 6}, cv::FONT_HERSHEY_SIMPLEX, 0.45, kText, 1,
                cv::LINE_AA);
    if (!rows[r].waveform.empty())
      rows[r].waveform.copyTo(picture(cv::Rect(kGap, y + kCaption, width, kWaveHeight)));
    rows[r].spectrogram.copyTo(picture(cv::Rect(2 * kGap + width, y + kCaption, width, kSpecHeight)));
  }
  return picture;
}

}  // namespace

int preview_audio(const AudioPreviewOptions& options) {
  const Registry& reg = registry();
  const SampleCodec* reader = reg.codec_for(Kind::audio, lower_extension(options.input));
  if (!reader) throw UsageError("--input: no audio codec for '" + options.input + "'");
  const SampleCodec* picture_writer = reg.codec_for(Kind::image, lower_extension(options.output));
  if (!picture_writer)
    throw UsageError("--output: '" + options.output + "' needs an image extension (.png, .jpg, ...)");
  if (options.width < 64 || options.width > 8192)
    throw UsageError("--max-side (the panel width for audio) must be in [64, 8192], got " + std::to_string(options.width));
  refuse_same_file(options.input, options.output, "--output would overwrite the input");

  const Pipeline pipeline = Pipeline::load(options.pipeline_file, reg);
  if (pipeline.input_kind() != Kind::audio ||
      (pipeline.output_kind() != Kind::audio && pipeline.output_kind() != Kind::spectrogram))
    throw UsageError("--pipeline: " + options.pipeline_file + " takes " + std::string(to_string(pipeline.input_kind())) +
                     " and gives " + std::string(to_string(pipeline.output_kind())) +
                     "; an audio preview needs an audio -> audio or audio -> spectrogram pipeline");
  if (const auto unfitted = pipeline.unfitted_stages(); !unfitted.empty())
    throw UsageError("--pipeline: " + unfitted.front() + " is not fitted; run `augment fit` first");
  // What each audio row's spectrogram panel shows; constant padding so any clip length works.
  const Pipeline display = Pipeline::from_json(
      {{"kind", "audio"},
       {"stages", {{{"op", "spectrogram"}, {"n_fft", 512}, {"hop_length", 128}, {"pad_mode", "constant"}}}}},
      reg);

  const Sample source = reader->read(options.input);
  const std::string key = fs::path(options.input).filename().string();
  auto audio_row = [&](const Sample& sound, std::string caption) {
    Sample spec = sound;
    display.run(spec, Rng(0));
    const auto& a = audio::audio_of(sound);
    return Row{draw_waveform(a, options.width), draw_spectrogram(audio::spectrogram_of(spec), options.width),
               std::move(caption) + ": " + describe(a)};
  };
  std::vector<Row> rows{audio_row(source, "original")};
  const fs::path out_path(options.output);
  for (int copy = 0; copy < options.count; ++copy) {
    Sample variant = source;  // Audio and Spectrogram are values: copies share nothing
    pipeline.run(variant, Rng::derive(options.seed, key, static_cast<std::uint64_t>(copy), 0));
    const std::string caption = "copy " + std::to_string(copy);
    if (variant.kind() == Kind::spectrogram) {
      const auto& s = audio::spectrogram_of(variant);
      rows.push_back({{}, draw_spectrogram(s, options.width), caption + ": " + describe(s)});
      continue;
    }
    rows.push_back(audio_row(variant, caption));
    if (options.write_audio) {
      const fs::path sound_path = out_path.parent_path() / (out_path.stem().string() + ".copy" + std::to_string(copy) +
                                                             lower_extension(options.input));
      refuse_same_file(options.input, sound_path, "--write-audio would overwrite the input");
      AtomicOutputFile file(sound_path);
      reader->write(variant, lower_extension(options.input), file.stream());
      file.commit();
      std::cerr << "augment preview: wrote " << sound_path.string() << "\n";
    }
  }
  if (options.write_audio && pipeline.output_kind() == Kind::spectrogram)
    std::cerr << "augment preview: --write-audio: the pipeline gives spectrograms; add istft or griffin_lim to hear them\n";

  image::Image picture(compose(rows, options.width));
  AtomicOutputFile file(options.output);
  picture_writer->write(image::make_sample(std::move(picture)), lower_extension(options.output), file.stream());
  file.commit();
  std::cerr << "augment preview: " << options.count << " variant" << (options.count == 1 ? "" : "s") << " of "
            << options.input << " -> " << options.output << "\n";
  return ok;
}

}  // namespace augment::cli
