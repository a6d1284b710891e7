// A minimal user of an installed augment, as another trainer would link it: build a pipeline
// from a spec, fit it on a few rows, and run one row through it; then a log-mel spectrogram of a
// tone through the audio module's functions; then 3 of 10 frames of a clip, flipped as a whole;
// then an image into a tensor (image_example.cpp) and a small network trained (trainer_example.cpp).
#include <augment/audio/decibels.hpp>
#include <augment/audio/mel.hpp>
#include <augment/audio/stft.hpp>
#include <augment/core/pipeline.hpp>
#include <augment/core/version.hpp>
#include <augment/features/feature_vector.hpp>
#include <augment/features/register_transforms.hpp>
#include <augment/image/register_transforms.hpp>
#include <augment/video/register_transforms.hpp>
#include <augment/video/video.hpp>

#include <cmath>
#include <iostream>
#include <memory>
#include <numbers>

#include "examples.hpp"

int main() {
  std::cout << "augment " << augment::version << '\n';
  augment::Registry registry;
  augment::features::register_transforms(registry);
  auto pipeline = augment::Pipeline::from_json(
      {{"kind", "features"}, {"stages", {{{"op", "standardize"}}, {{"op", "gaussian_noise"}, {"sigma", 0.0}}}}},
      registry);

  pipeline.fit([] {
    auto done = std::make_shared<bool>(false);
    return augment::SampleBlockReader([done](std::vector<augment::Sample>& block) {
      block.clear();
      if (*done) return false;
      for (double x : {1.0, 2.0, 3.0, 4.0}) block.push_back(augment::features::make_sample({x, 10 * x}));
      *done = true;
      return true;
    });
  });

  augment::Sample row = augment::features::make_sample({4.0, 40.0});
  pipeline.run(row, augment::Rng::derive(42, "row-1", 0, 0));
  // mean 2.5, population sd sqrt(1.25): (4 - 2.5) / 1.118... = 1.3416...
  const auto& values = augment::features::values_of(row);
  std::cout << values[0] << ' ' << values[1] << '\n';
  const bool as_expected = values[0] > 1.3416 && values[0] < 1.3417 && std::abs(values[1] - values[0]) < 1e-12;

  // One second of a 1 kHz tone at 16 kHz: 101 frames of 80 mel bands (hop 160, centred).
  using namespace augment::audio;
  Audio tone;
  tone.sample_rate = 16000;
  tone.channels.assign(1, std::vector<float>(16000));
  for (std::size_t i = 0; i < tone.channels[0].size(); ++i)
    tone.channels[0][i] = static_cast<float>(0.5 * std::sin(2 * std::numbers::pi * 1000.0 * static_cast<double>(i) / 16000.0));
  const Spectrogram log_mel = db(mel(spectrogram(tone, {.n_fft = 512, .hop_length = 160}), {.n_mels = 80}), {.top_db = 80.0});
  std::cout << log_mel.channels << 'x' << log_mel.bins << 'x' << log_mel.frames << '\n';
  const bool audio_as_expected = log_mel.channels == 1 && log_mel.bins == 80 && log_mel.frames == 101;
  // A 10-frame clip whose frame k is filled with k: sample_uniform 3 keeps frames 1, 5, 8.
  std::vector<cv::Mat> frames;
  for (int k = 0; k < 10; ++k) frames.emplace_back(8, 8, CV_8UC3, cv::Scalar::all(k));
  const augment::Registry videos =
      augment::make_registry({augment::image::register_transforms, augment::video::register_transforms});
  const auto clip_pipeline = augment::Pipeline::from_json(
      {{"kind", "video"}, {"stages", {{{"op", "sample_uniform"}, {"n", 3}}, {{"op", "hflip"}}}}}, videos);
  augment::Sample clip(augment::Kind::video, augment::video::Video(frames, 25.0));
  clip_pipeline.run(clip, augment::Rng(1));
  const auto& kept = clip.as<augment::video::Video>().frames;
  for (const auto& frame : kept) std::cout << frame.source_index << ' ';
  std::cout << '\n';
  const bool video_as_expected =
      kept.size() == 3 && kept[0].source_index == 1 && kept[1].source_index == 5 && kept[2].source_index == 8;
  const bool image_as_expected = image_example();
  const bool trainer_as_expected = trainer_example();
  return as_expected && audio_as_expected && video_as_expected && image_as_expected && trainer_as_expected ? 0 : 1;
}
