// add_noise: the SNR achieved over the clip (measured as 10·log10(P_in / P_(out − in))), the
// spectral slope of pink and brown noise (measured by periodogram in octave bands), noise files
// (looped, resampled, read at build time), determinism and replay, and bad params.
#include <sndfile.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "augment/audio/add_noise.hpp"
#include "augment/audio/audio.hpp"
#include "augment/audio/fft.hpp"
#include "augment/audio/noise_colour.hpp"
#include "augment/core/error.hpp"
#include "augment/core/pipeline.hpp"

using augment::audio::Audio;
using augment::audio::NoiseColour;

namespace {

const augment::Registry& noise_registry() {
  static const augment::Registry registry = [] {
    augment::Registry r;
    r.add(augment::audio::add_noise_op());
    return r;
  }();
  return registry;
}

augment::Pipeline noise_pipeline(const nlohmann::json& stage) {
  return augment::Pipeline::from_json({{"kind", "audio"}, {"stages", nlohmann::json::array({stage})}},
                                      noise_registry());
}

// Two channels of different tones and levels.
Audio test_audio(int rate = 16000, double seconds = 1.0) {
  Audio audio;
  audio.sample_rate = rate;
  const auto n = static_cast<std::size_t>(seconds * rate);
  audio.channels.assign(2, std::vector<float>(n));
  for (std::size_t i = 0; i < n; ++i) {
    const double t = double(i) / rate;
    audio.channels[0][i] = static_cast<float>(0.5 * std::sin(2 * std::numbers::pi * 440 * t));
    audio.channels[1][i] = static_cast<float>(0.2 * std::sin(2 * std::numbers::pi * 1250 * t + 0.4));
  }
  return audio;
}

double achieved_snr_db(const Audio& before, const Audio& after) {
  double signal = 0, noise = 0;
  for (std::size_t c = 0; c < before.channels.size(); ++c)
    for (std::size_t i = 0; i < before.frames(); ++i) {
      const double x = before.channels[c][i], d = double(after.channels[c][i]) - x;
      signal += x * x;
      noise += d * d;
    }
  return 10 * std::log10(signal / noise);
}

struct Run {
  Audio audio;
  nlohmann::json record;
};

Run run(const augment::Pipeline& pipeline, const Audio& audio, std::uint64_t seed) {
  augment::Sample sample = augment::audio::make_sample(audio);
  nlohmann::json record = pipeline.run(sample, augment::Rng::derive(seed, "clip", 0, 0));
  return {augment::audio::audio_of(sample), std::move(record)};
}

nlohmann::json params_of(const nlohmann::json& record) {
  // A one-stage pipeline's record holds the stage's record somewhere inside; find its params.
  if (record.is_object() && record.contains("params") && record.contains("op")) return record["params"];
  if (record.is_object() || record.is_array())
    for (const auto& item : record)
      if (auto found = params_of(item); !found.is_null()) return found;
  return nullptr;
}

class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag) {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("augment_noise_" + tag + "_" + std::to_string(::getpid()) + "_" + std::to_string(++counter));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// Writes interleaved float frames as a WAV (or FLAC, by `format`) file with libsndfile.
void write_audio(const std::filesystem::path& path, int rate, int channels, const std::vector<float>& interleaved,
                 int format = SF_FORMAT_WAV | SF_FORMAT_FLOAT) {
  std::filesystem::create_directories(path.parent_path());
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = format;
  SNDFILE* file = sf_open(path.string().c_str(), SFM_WRITE, &info);
  REQUIRE_MESSAGE(file != nullptr, sf_strerror(nullptr));
  const auto frames = static_cast<sf_count_t>(interleaved.size() / static_cast<std::size_t>(channels));
  REQUIRE(sf_writef_float(file, interleaved.data(), frames) == frames);
  sf_close(file);
}

std::vector<float> uneven_noise(std::size_t n, std::uint64_t seed) {
  augment::Rng rng(seed);
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i)
    x[i] = static_cast<float>(std::clamp(0.2 * rng.normal() + 0.1 * std::sin(0.01 * double(i)), -0.9, 0.9));
  return x;
}

/// Mean periodogram power (dB) in octave bands of bins [2^j, 2^(j+1)), Hann-windowed.
std::vector<double> octave_band_db(const std::vector<float>& x, int first_octave, int last_octave) {
  const int n = static_cast<int>(x.size());
  std::vector<float> windowed(x.size());
  for (int i = 0; i < n; ++i)
    windowed[i] = static_cast<float>(x[i] * (0.5 - 0.5 * std::cos(2 * std::numbers::pi * i / n)));
  std::vector<std::complex<float>> spectrum(x.size() / 2 + 1);
  augment::audio::RealFft::of_size(n).forward(windowed.data(), spectrum.data());
  REQUIRE((std::size_t{1} << (last_octave + 1)) <= spectrum.size());
  std::vector<double> bands;
  for (int j = first_octave; j <= last_octave; ++j) {
    double sum = 0;
    const std::size_t from = std::size_t{1} << j, to = std::size_t{1} << (j + 1);
    for (std::size_t k = from; k < to; ++k) sum += std::norm(std::complex<double>(spectrum[k]));
    bands.push_back(10 * std::log10(sum / double(to - from)));
  }
  return bands;
}

/// Least-squares slope of values against their index (dB per octave).
double slope(const std::vector<double>& y) {
  const double n = double(y.size()), mean_x = (n - 1) / 2;
  double mean_y = 0;
  for (double v : y) mean_y += v / n;
  double num = 0, den = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    num += (double(i) - mean_x) * (y[i] - mean_y);
    den += (double(i) - mean_x) * (double(i) - mean_x);
  }
  return num / den;
}

}  // namespace

TEST_CASE("add_noise reaches the drawn SNR over the clip for every colour") {
  const Audio clean = test_audio();
  for (const char* colour : {"white", "pink", "brown"})
    for (double snr : {-10.0, 0.0, 6.5, 20.0, 45.0}) {
      INFO(colour << " at " << snr << " dB");
      const auto pipeline = noise_pipeline({{"op", "add_noise"}, {"colour", colour}, {"snr_db", snr}});
      const Run out = run(pipeline, clean, 3);
      CHECK(std::abs(achieved_snr_db(clean, out.audio) - snr) < 0.1);
      const auto params = params_of(out.record);
      CHECK(params["snr_db"] == snr);
      CHECK(params["colour"] == colour);
      CHECK(params.contains("noise_seed"));
    }

  // Drawn from a range: the recorded value is in it and is what was reached.
  const auto pipeline = noise_pipeline({{"op", "add_noise"}, {"colour", "pink"}, {"snr_db", {5, 15}}});
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    const Run out = run(pipeline, clean, seed);
    const double drawn = params_of(out.record)["snr_db"].get<double>();
    CHECK(drawn >= 5);
    CHECK(drawn < 15);
    CHECK(std::abs(achieved_snr_db(clean, out.audio) - drawn) < 0.1);
  }
}

TEST_CASE("Generated noise has the spectral slope of its colour: 0, -3 and -6 dB per octave") {
  // 100000 frames: not a power of two, so pink and brown are segments of a longer periodic noise.
  // Band powers are averaged over 8 independent clips to steady the lowest octaves.
  const std::size_t frames = 100000;
  const int clips = 8, first_octave = 6, last_octave = 14;  // bins 64 .. 32767 of 50001
  const std::vector<std::pair<NoiseColour, double>> expected = {
      {NoiseColour::white, 0.0}, {NoiseColour::pink, -3.0103}, {NoiseColour::brown, -6.0206}};
  for (const auto& [colour, per_octave] : expected) {
    INFO(augment::audio::to_string(colour));
    std::vector<double> bands(last_octave - first_octave + 1, 0.0);
    for (int clip = 0; clip < clips; ++clip) {
      const auto noise = augment::audio::coloured_noise(colour, frames, augment::Rng(42).fork(std::uint64_t(clip)));
      REQUIRE(noise.size() == frames);
      double power = 0;
      for (float v : noise) power += double(v) * v;
      CHECK(power / frames == doctest::Approx(1.0).epsilon(1e-4));  // unit RMS
      const auto clip_bands = octave_band_db(noise, first_octave, last_octave);
      for (std::size_t j = 0; j < bands.size(); ++j) bands[j] += clip_bands[j] / clips;
    }
    const double measured = slope(bands);
    MESSAGE(augment::audio::to_string(colour) << ": " << measured << " dB/octave");
    CHECK(std::abs(measured - per_octave) < 0.2);
    // Every octave step, not only the fit.
    for (std::size_t j = 1; j < bands.size(); ++j) {
      INFO("octave step " << j << ": " << bands[j] - bands[j - 1] << " dB");
      CHECK(std::abs(bands[j] - bands[j - 1] - per_octave) < 0.75);
    }
  }
}

TEST_CASE("add_noise is a function of the Rng: same seed same bytes, records replay exactly") {
  const Audio clean = test_audio();
  for (const char* colour : {"white", "pink", "brown"}) {
    INFO(colour);
    const auto pipeline = noise_pipeline({{"op", "add_noise"}, {"colour", colour}, {"snr_db", {0, 20}}});
    const Run a = run(pipeline, clean, 11), b = run(pipeline, clean, 11), c = run(pipeline, clean, 12);
    CHECK(a.audio.channels == b.audio.channels);
    CHECK(a.record == b.record);
    CHECK(a.audio.channels != c.audio.channels);

    augment::Sample replayed = augment::audio::make_sample(clean);
    pipeline.replay(replayed, a.record);
    CHECK(augment::audio::audio_of(replayed).channels == a.audio.channels);

    // Channels get independent noise streams.
    std::vector<float> d0(clean.frames()), d1(clean.frames());
    double dot = 0, n0 = 0, n1 = 0;
    for (std::size_t i = 0; i < clean.frames(); ++i) {
      const double x = double(a.audio.channels[0][i]) - clean.channels[0][i];
      const double y = double(a.audio.channels[1][i]) - clean.channels[1][i];
      dot += x * y;
      n0 += x * x;
      n1 += y * y;
    }
    CHECK(std::abs(dot / std::sqrt(n0 * n1)) < 0.2);
  }
}

TEST_CASE("Every colour reaches the SNR on clips of one and a few frames") {
  for (std::size_t frames : {1, 2, 3, 7}) {
    Audio clip = test_audio(16000, double(frames) / 16000);
    clip.channels[0][0] = 0.5f;
    for (const char* colour : {"white", "pink", "brown"}) {
      INFO(colour << ", " << frames << " frames");
      const Run out = run(noise_pipeline({{"op", "add_noise"}, {"colour", colour}, {"snr_db", 3}}), clip, 2);
      CHECK(std::abs(achieved_snr_db(clip, out.audio) - 3) < 0.1);
    }
  }
}

TEST_CASE("Silent input is left unchanged and the params say so") {
  Audio silent = test_audio();
  for (auto& channel : silent.channels) std::fill(channel.begin(), channel.end(), 0.0f);
  const auto pipeline = noise_pipeline({{"op", "add_noise"}, {"colour", "white"}, {"snr_db", 10}});
  const Run out = run(pipeline, silent, 1);
  CHECK(out.audio.channels == silent.channels);
  CHECK(params_of(out.record)["silent"] == true);
}

TEST_CASE("Noise files: a folder read at build time, segments looped, other rates resampled, SNR reached") {
  ScratchDir dir("files");
  // 0.25 s at 16 kHz (shorter than the 1 s clips: it loops), and a stereo FLAC at 8 kHz in a
  // subfolder (resampled), plus files that are not audio or hidden, which are skipped.
  const std::vector<float> short_noise = uneven_noise(4000, 5);
  write_audio(dir.path() / "hum.wav", 16000, 1, short_noise);
  std::vector<float> stereo = uneven_noise(2 * 12000, 6);
  write_audio(dir.path() / "street" / "traffic.flac", 8000, 2, stereo, SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
  std::ofstream(dir.path() / "notes.txt") << "not audio";
  write_audio(dir.path() / ".hidden" / "skip.wav", 16000, 1, short_noise);

  const auto pipeline =
      noise_pipeline({{"op", "add_noise"}, {"colour", "file"}, {"files", dir.path().string()}, {"snr_db", {0, 30}}});
  const Audio clean = test_audio();
  std::set<std::string> used;
  for (std::uint64_t seed = 0; seed < 12; ++seed) {
    const Run out = run(pipeline, clean, seed);
    const auto params = params_of(out.record);
    INFO(params.dump());
    const std::string file = params["file"].get<std::string>();
    used.insert(file);
    CHECK((file == "hum.wav" || file == "street/traffic.flac"));
    CHECK(params["offset"].get<std::int64_t>() >= 0);
    CHECK(params["offset"].get<std::int64_t>() < (file == "hum.wav" ? 4000 : 12000));
    CHECK(std::abs(achieved_snr_db(clean, out.audio) - params["snr_db"].get<double>()) < 0.1);

    // The same noise on both channels, scaled: (out − in) is identical across channels.
    for (std::size_t i = 0; i < clean.frames(); i += 97)
      CHECK(out.audio.channels[0][i] - clean.channels[0][i] ==
            doctest::Approx(out.audio.channels[1][i] - clean.channels[1][i]).epsilon(1e-3).scale(1e-6));

    if (file == "hum.wav") {
      // Same rate: the noise is the file from the offset, wrapping round every 4000 frames.
      const auto offset = static_cast<std::size_t>(params["offset"].get<std::int64_t>());
      std::vector<double> added(clean.frames());
      for (std::size_t i = 0; i < clean.frames(); ++i) added[i] = double(out.audio.channels[0][i]) - clean.channels[0][i];
      double cross = 0, reference_power = 0;
      for (std::size_t i = 0; i < clean.frames(); ++i) {
        const double reference = short_noise[(offset + i) % 4000];
        cross += added[i] * reference;
        reference_power += reference * reference;
      }
      const double scale = cross / reference_power;
      double worst = 0;  // float rounding of out = in + noise is ~3e-8 here
      for (std::size_t i = 0; i < clean.frames(); ++i)
        worst = std::max(worst, std::abs(added[i] - scale * short_noise[(offset + i) % 4000]));
      CHECK(worst < 1e-6);
    }
    augment::Sample replayed = augment::audio::make_sample(clean);
    pipeline.replay(replayed, out.record);
    CHECK(augment::audio::audio_of(replayed).channels == out.audio.channels);
  }
  CHECK(used.size() == 2);

  // A single file, at another clip rate (resampled 16 kHz -> 22.05 kHz).
  const auto one = noise_pipeline(
      {{"op", "add_noise"}, {"colour", "file"}, {"files", (dir.path() / "hum.wav").string()}, {"snr_db", 12}});
  const Audio other_rate = test_audio(22050, 0.5);
  const Run out = run(one, other_rate, 4);
  CHECK(params_of(out.record)["file"] == "hum.wav");
  CHECK(std::abs(achieved_snr_db(other_rate, out.audio) - 12) < 0.1);
}

TEST_CASE("Bad add_noise params and noise files are rejected when the pipeline is built") {
  ScratchDir dir("bad");
  auto build_error = [](const nlohmann::json& stage) -> std::string {
    try {
      noise_pipeline(stage);
    } catch (const augment::Error& e) {
      return e.what();
    }
    FAIL("no error for " << stage.dump());
    return "";
  };
  auto contains = [](const std::string& text, const std::string& part) {
    INFO(text);
    CHECK(text.find(part) != std::string::npos);
  };
  contains(build_error({{"op", "add_noise"}, {"colour", "file"}}), "colour \"file\" needs files");
  contains(build_error({{"op", "add_noise"}, {"colour", "pink"}, {"files", dir.path().string()}}),
           "files is only used with colour \"file\"");
  contains(build_error({{"op", "add_noise"}, {"colour", "grey"}}), "colour must be one of");
  contains(build_error({{"op", "add_noise"}, {"snr_db", {30, 10}}}), "snr_db");
  contains(build_error({{"op", "add_noise"}, {"colour", "file"}, {"files", (dir.path() / "missing").string()}}),
           "no such file or folder");
  contains(build_error({{"op", "add_noise"}, {"colour", "file"}, {"files", dir.path().string()}}), "no audio files");
  CHECK_THROWS_AS(noise_pipeline({{"op", "add_noise"}, {"colour", "file"}, {"files", dir.path().string()}}),
                  augment::SpecError);

  // Files that are there but unusable: DataError naming the file, at build time.
  std::ofstream(dir.path() / "broken.wav") << "this is not a wave file";
  CHECK_THROWS_WITH_AS(noise_pipeline({{"op", "add_noise"}, {"colour", "file"}, {"files", dir.path().string()}}),
                       doctest::Contains("broken.wav: cannot read the noise file"), augment::DataError);
  std::filesystem::remove(dir.path() / "broken.wav");
  write_audio(dir.path() / "quiet.wav", 16000, 1, std::vector<float>(800, 0.0f));
  CHECK_THROWS_WITH_AS(noise_pipeline({{"op", "add_noise"}, {"colour", "file"}, {"files", dir.path().string()}}),
                       doctest::Contains("quiet.wav: the noise file is silent"), augment::DataError);
}
