#include "augment/audio/add_noise.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>

#include "augment/audio/audio_codec.hpp"
#include "augment/audio/resample.hpp"
#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"
#include "augment/core/paths.hpp"

namespace augment::audio {
namespace {

constexpr const char* kFileColour = "file";


bool is_audio_file(const std::filesystem::path& path) {
  // The containers libsndfile 1.2 reads.
  static const std::set<std::string> extensions = {".wav",  ".wave", ".flac", ".ogg", ".oga", ".opus", ".aif",
                                                   ".aiff", ".aifc", ".au",   ".snd", ".caf", ".w64",  ".rf64",
                                                   ".mp3",  ".voc",  ".htk",  ".sf"};
  return extensions.count(lower_extension(path)) > 0;
}

bool hidden(const std::filesystem::path& relative) {
  for (const auto& part : relative)
    if (!part.empty() && part.string().front() == '.' && part != "." && part != "..") return true;
  return false;
}

double param_number(const nlohmann::json& params, const char* name) {
  if (!params.is_object() || !params.contains(name) || !params[name].is_number())
    throw UsageError(std::string("params need a number \"") + name + "\", got " + params.dump());
  return params[name].get<double>();
}

std::uint64_t param_unsigned(const nlohmann::json& params, const char* name) {
  if (!params.is_object() || !params.contains(name) || !params[name].is_number_integer() ||
      params[name].get<double>() < 0)
    throw UsageError(std::string("params need a non-negative integer \"") + name + "\", got " + params.dump());
  return params[name].get<std::uint64_t>();
}

/// The noise at another rate, through the resample op's function (libsoxr, high quality).
std::vector<float> resampled(const std::vector<float>& mono, int from, int to, const std::string& name) {
  Audio sound;
  sound.sample_rate = from;
  sound.channels = {mono};
  try {
    return std::move(resample(sound, to).channels.front());
  } catch (const Error& e) {
    throw DataError(name + ": cannot resample from " + std::to_string(from) + " to " + std::to_string(to) + " Hz: " + e.what());
  }
}

}  // namespace

double mean_power(const Audio& audio) {
  double sum = 0;
  std::size_t count = 0;
  for (const auto& channel : audio.channels) {
    for (float v : channel) sum += static_cast<double>(v) * v;
    count += channel.size();
  }
  return count ? sum / static_cast<double>(count) : 0.0;
}

bool add_noise_at_snr(Audio& audio, const std::vector<std::vector<float>>& noise, double snr_db) {
  if (!std::isfinite(snr_db)) throw UsageError("snr_db must be finite, got " + format_number(snr_db));
  if (noise.size() != 1 && noise.size() != audio.channels.size())
    throw UsageError("add_noise: need one noise signal or one per channel, got " + std::to_string(noise.size()));
  for (const auto& n : noise)
    if (n.size() != audio.frames())
      throw UsageError("add_noise: the noise has " + std::to_string(n.size()) + " frames, the audio " +
                       std::to_string(audio.frames()));
  const double signal_power = mean_power(audio);
  if (signal_power == 0) return false;
  double noise_sum = 0;
  for (std::size_t c = 0; c < audio.channels.size(); ++c)
    for (float v : noise[noise.size() == 1 ? 0 : c]) noise_sum += static_cast<double>(v) * v;
  const double noise_power = noise_sum / static_cast<double>(audio.channels.size() * audio.frames());
  if (!(noise_power > 0)) throw DataError("the noise is silent over this clip, so no SNR can be reached");
  const double scale = std::sqrt(signal_power / (noise_power * std::pow(10.0, snr_db / 10.0)));
  for (std::size_t c = 0; c < audio.channels.size(); ++c) {
    const auto& n = noise[noise.size() == 1 ? 0 : c];
    auto& channel = audio.channels[c];
    for (std::size_t i = 0; i < channel.size(); ++i)
      channel[i] = static_cast<float>(static_cast<double>(channel[i]) + scale * n[i]);
  }
  return true;
}

// --- noise files ---

struct NoiseFile::Cache {
  std::mutex mutex;
  std::map<int, std::shared_ptr<const std::vector<float>>> by_rate;
};

NoiseFile::NoiseFile(const std::filesystem::path& path, std::string name)
    : name_(std::move(name)), cache_(std::make_unique<Cache>()) {
  const std::string where = path.string();
  // The codec's reader: the same checks (truncation, NaN, zero rate) as the dataset's files.
  Audio sound;
  try {
    sound = decode_audio(read_file_bytes(path, "an audio file"));
  } catch (const DataError& e) {
    throw DataError(where + ": cannot read the noise file: " + e.what());
  }
  sample_rate_ = sound.sample_rate;
  std::vector<float> mono(sound.frames());
  bool silent = true;
  for (std::size_t i = 0; i < mono.size(); ++i) {
    double sum = 0;
    for (const auto& channel : sound.channels) sum += channel[i];
    mono[i] = static_cast<float>(sum / static_cast<double>(sound.channel_count()));
    silent = silent && mono[i] == 0.0f;
  }
  if (silent) throw DataError(where + ": the noise file is silent (its mono mix is all zeros)");
  samples_ = std::make_shared<const std::vector<float>>(std::move(mono));
}

NoiseFile::~NoiseFile() = default;

std::shared_ptr<const std::vector<float>> NoiseFile::at_rate(int rate) const {
  if (rate == sample_rate_) return samples_;
  std::lock_guard lock(cache_->mutex);
  auto& cached = cache_->by_rate[rate];
  if (!cached) cached = std::make_shared<const std::vector<float>>(resampled(*samples_, sample_rate_, rate, name_));
  return cached;
}

std::vector<std::unique_ptr<NoiseFile>> load_noise_files(const std::filesystem::path& files) {
  namespace fs = std::filesystem;
  std::error_code error;
  std::vector<std::unique_ptr<NoiseFile>> out;
  if (fs::is_regular_file(files, error)) {
    out.push_back(std::make_unique<NoiseFile>(files, files.filename().generic_string()));
    return out;
  }
  if (!fs::is_directory(files, error))
    throw std::invalid_argument("files: no such file or folder '" + files.string() + "'");
  std::vector<fs::path> found;
  for (const auto& entry : fs::recursive_directory_iterator(files, fs::directory_options::follow_directory_symlink)) {
    const fs::path relative = entry.path().lexically_relative(files);
    if (entry.is_regular_file() && is_audio_file(entry.path()) && !hidden(relative)) found.push_back(relative);
  }
  if (found.empty())
    throw std::invalid_argument("files: no audio files (.wav, .flac, .ogg, ...) in folder '" + files.string() + "'");
  std::sort(found.begin(), found.end(),
            [](const fs::path& a, const fs::path& b) { return a.generic_string() < b.generic_string(); });
  for (const auto& relative : found) out.push_back(std::make_unique<NoiseFile>(files / relative, relative.generic_string()));
  return out;
}

// --- the op ---

AddNoise::AddNoise(const OpInfo& info, const nlohmann::json& settings)
    : Transform(info, settings), colour_(settings["colour"].get<std::string>()) {
  if (colour_ == kFileColour) files_ = load_noise_files(settings["files"].get<std::string>());
}

const NoiseFile& AddNoise::file_named(const std::string& name) const {
  for (const auto& file : files_)
    if (file->name() == name) return *file;
  throw UsageError("params name a noise file '" + name + "' that is not among the loaded files");
}

nlohmann::json AddNoise::draw(Rng& rng, const Sample& sample) const {
  nlohmann::json params = {{"snr_db", draw_number(settings()["snr_db"], rng)}, {"colour", colour_}};
  if (colour_ == kFileColour) {
    const NoiseFile& file = *files_[rng.index(files_.size())];
    params["file"] = file.name();
    params["offset"] = rng.integer(0, static_cast<std::int64_t>(file.frames()) - 1);
  } else {
    params["noise_seed"] = rng.next_u64() >> 11;  // 53 bits: exact in any JSON reader
  }
  if (mean_power(audio_of(sample)) == 0) params["silent"] = true;
  return params;
}

void AddNoise::apply(Sample& sample, const nlohmann::json& params) const {
  Audio& audio = audio_of(sample);
  check_audio(audio, "add_noise");
  const double snr_db = param_number(params, "snr_db");
  if (mean_power(audio) == 0) return;  // silent: no SNR to reach
  const std::size_t frames = audio.frames();
  std::vector<std::vector<float>> noise;
  if (colour_ == kFileColour) {
    if (!params.contains("file") || !params["file"].is_string())
      throw UsageError("params need a string \"file\", got " + params.dump());
    const NoiseFile& file = file_named(params["file"].get<std::string>());
    const std::uint64_t offset = param_unsigned(params, "offset");
    const auto source = file.at_rate(audio.sample_rate);
    // The offset is in the file's own frames; map it to the resampled copy.
    const std::uint64_t start = offset * static_cast<std::uint64_t>(audio.sample_rate) /
                                static_cast<std::uint64_t>(file.sample_rate());
    std::vector<float> segment(frames);
    for (std::size_t i = 0; i < frames; ++i) segment[i] = (*source)[(start + i) % source->size()];
    noise.push_back(std::move(segment));
  } else {
    const NoiseColour colour = *parse_noise_colour(colour_);
    const Rng base(param_unsigned(params, "noise_seed"));
    for (std::size_t c = 0; c < audio.channels.size(); ++c)
      noise.push_back(coloured_noise(colour, frames, base.fork(c)));
  }
  try {
    add_noise_at_snr(audio, noise, snr_db);
  } catch (const DataError& e) {
    if (colour_ != kFileColour) throw;
    throw DataError(params["file"].get<std::string>() + " at offset " + params["offset"].dump() + ": " + e.what());
  }
}

OpInfo add_noise_op() {
  return {
      .name = "add_noise",
      .input = Kind::audio,
      .output = Kind::audio,
      .doc = "Adds white, pink (1/f) or brown (1/f²) Gaussian noise, or a looped segment of a noise file, at an "
             "SNR in dB over the clip; silent clips are left unchanged.",
      .params =
          {
              {.name = "snr_db", .default_value = {10.0, 30.0}, .drawable = true, .minimum = -60.0, .maximum = 150.0,
               .doc = "signal-to-noise ratio 10·log10(P_signal / P_noise) over the clip, or [lo, hi] drawn per sample"},
              {.name = "colour", .type = ParamType::string, .default_value = "white",
               .choices = {"white", "pink", "brown", kFileColour},
               .doc = "generated noise (white, pink, brown: one stream per channel) or \"file\" (segments of `files`)"},
              {.name = "files", .type = ParamType::string,
               .doc = "with colour \"file\": an audio file, or a folder searched for audio files (relative to the "
                      "working directory); read once, mixed to mono, resampled to each clip's rate"},
          },
      .random = true,
      .check =
          [](const nlohmann::json& settings) {
            const bool from_files = settings["colour"] == kFileColour;
            if (from_files && !settings["files"].is_string())
              throw std::invalid_argument("colour \"file\" needs files (an audio file or a folder of them)");
            if (!from_files && !settings["files"].is_null())
              throw std::invalid_argument("files is only used with colour \"file\", got colour " +
                                          settings["colour"].dump());
          },
      .create = make_transform<AddNoise>,
  };
}

}  // namespace augment::audio
