#pragma once
// add_noise: adds noise at a signal-to-noise ratio drawn per sample, snr_db, so that
// 10·log10(P_signal / P_noise) = snr_db exactly (to float rounding), both powers being the mean
// square over every channel and frame of the clip. The noise is either
//   * generated (colour white, pink or brown; noise_colour.hpp): one independent stream per
//     channel, from a 53-bit noise_seed drawn per sample; or
//   * a segment of a noise file (colour "file"; param files = an audio file or a folder searched
//     recursively for audio files by extension, hidden ones skipped, sorted by path): a file
//     drawn uniformly, a start frame drawn uniformly in it, looped when shorter than the clip
//     (and read on past its end by wrapping round), the same noise added to every channel.
//
// Noise files are read once, when the pipeline is built, by the audio codec, mixed to mono (mean of
// the channels); a missing path or an empty folder is a SpecError, an unreadable, empty,
// non-finite or silent file a DataError naming it. A file whose rate differs from a sample's is
// resampled to that rate with libsoxr (soxr_oneshot, HQ), once per rate (cached, thread-safe),
// rather than rejected: a noise bank need not match the dataset's rate.
//
// draw() returns {"snr_db", "colour", "noise_seed"} or {"snr_db", "colour": "file", "file": its
// path relative to `files` (or its name), "offset": start frame at the file's own rate}; apply()
// regenerates the same noise from those, so a record replays to the same bytes. Silent input
// (all zeros: no signal power to measure an SNR against) is left unchanged, and draw() adds
// "silent": true to the params. The sum is not clipped (float audio; normalize afterwards if
// needed).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "augment/audio/audio.hpp"
#include "augment/audio/noise_colour.hpp"
#include "augment/core/registry.hpp"

namespace augment::audio {

/// Mean square over every channel and frame (0 for no frames).
double mean_power(const Audio& audio);

/// Adds noise[c] (noise[0] to every channel when there is one signal), each as long as the audio,
/// scaled to the SNR `snr_db` over the clip. Returns false and leaves the audio unchanged when it is
/// silent; throws DataError when the noise is silent.
bool add_noise_at_snr(Audio& audio, const std::vector<std::vector<float>>& noise, double snr_db);

/// A noise file read whole and mixed to mono, with the resampled copies made of it.
class NoiseFile {
 public:
  /// Reads `path` with libsndfile; `name` is how params refer to it. Throws DataError naming the
  /// file when it cannot be read, has no frames, non-finite values or only zeros.
  NoiseFile(const std::filesystem::path& path, std::string name);
  ~NoiseFile();
  NoiseFile(const NoiseFile&) = delete;
  NoiseFile& operator=(const NoiseFile&) = delete;

  const std::string& name() const { return name_; }
  int sample_rate() const { return sample_rate_; }
  std::size_t frames() const { return samples_->size(); }
  /// The mono samples at `rate` (resampled with soxr when it differs; cached per rate).
  std::shared_ptr<const std::vector<float>> at_rate(int rate) const;

 private:
  struct Cache;
  std::string name_;
  int sample_rate_ = 0;
  std::shared_ptr<const std::vector<float>> samples_;
  std::unique_ptr<Cache> cache_;
};

/// The noise files `files` names: the file itself, or every audio file under the folder. Throws
/// std::invalid_argument when the path does not exist or the folder has no audio files.
std::vector<std::unique_ptr<NoiseFile>> load_noise_files(const std::filesystem::path& files);

class AddNoise final : public Transform {
 public:
  AddNoise(const OpInfo& info, const nlohmann::json& settings);
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;

 private:
  const NoiseFile& file_named(const std::string& name) const;
  std::string colour_;
  std::vector<std::unique_ptr<NoiseFile>> files_;
};

OpInfo add_noise_op();

}  // namespace augment::audio
