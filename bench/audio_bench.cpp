// Audio and spectrogram cost, one thread, on a 10 s, 16 kHz mono clip (a spoken-digit
// sequence from corpora/audio when present, else a synthetic chirp with noise):
//   - power spectrogram (n_fft 512, hop 160, Hann, centred), the library function, vs raw FFTW
//     r2c executions of the same frames (same FFTW_ESTIMATE plan; frames copied into an aligned
//     buffer, nothing else): goal within 1.5x; and the same stage through Pipeline::run;
//   - log-mel (80 bands) frames/s;
//   - each augmenter and preprocessing op as a real-time factor (audio seconds per CPU second).
// Prints those figures after Google Benchmark's table.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <numbers>
#include <string>
#include <tuple>
#include <vector>

#include <fftw3.h>

#include "augment/audio/audio.hpp"
#include "augment/audio/register_transforms.hpp"
#include "augment/audio/spectrogram.hpp"
#include "augment/audio/stft.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/core/registry.hpp"
#include "ratio_reporter.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kRate = 16000;
constexpr double kSeconds = 10.0;
constexpr int kNfft = 512;
constexpr int kHop = 160;
std::string clip_source;

const augment::Registry& registry() {
  static const augment::Registry r = augment::make_registry({augment::audio::register_transforms});
  return r;
}

// The corpus's spoken digits, one after another until 10 s; else a chirp with a little noise.
const augment::audio::Audio& clip() {
  static const augment::audio::Audio a = [] {
    augment::audio::Audio out;
    out.sample_rate = kRate;
    out.channels.assign(1, {});
    auto& samples = out.channels[0];
    const auto total = static_cast<std::size_t>(kSeconds * kRate);
    const fs::path digits = fs::path(AUGMENT_SOURCE_DIR) / "corpora" / "audio" / "digits";
    if (fs::is_directory(digits)) {
      std::vector<fs::path> files;
      for (const auto& e : fs::recursive_directory_iterator(digits))
        if (e.path().extension() == ".wav") files.push_back(e.path());
      std::sort(files.begin(), files.end());
      const augment::SampleCodec* codec = registry().codec_for(augment::Kind::audio, ".wav");
      for (std::size_t i = 0; codec && !files.empty() && samples.size() < total; ++i) {
        const auto s = codec->read(files[i % files.size()]);
        const auto& d = augment::audio::audio_of(s);
        if (d.sample_rate != kRate) continue;
        samples.insert(samples.end(), d.channels[0].begin(), d.channels[0].end());
      }
      if (samples.size() >= total) clip_source = digits.string() + " (concatenated)";
    }
    if (samples.size() < total) {
      samples.resize(total);
      std::uint64_t state = 1;
      for (std::size_t i = 0; i < total; ++i) {
        const double t = static_cast<double>(i) / kRate;
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        const double noise = static_cast<double>(state >> 11) / 9007199254740992.0 - 0.5;
        samples[i] = static_cast<float>(0.5 * std::sin(2 * std::numbers::pi * (100 + 200 * t) * t) + 0.01 * noise);
      }
      clip_source = "synthetic chirp";
    }
    samples.resize(total);
    return out;
  }();
  return a;
}

augment::Pipeline pipeline(const std::string& kind, const json& stages) {
  return augment::Pipeline::from_json({{"kind", kind}, {"stages", stages}}, registry());
}

std::size_t frames_of(std::size_t samples) { return 1 + samples / kHop; }  // centred frames

const json kPowerSpectrogram = {{"op", "spectrogram"}, {"n_fft", kNfft}, {"hop_length", kHop}};

void BM_spectrogram_pipeline(benchmark::State& state) {
  const auto p = pipeline("audio", json::array({kPowerSpectrogram}));
  const augment::Sample source = augment::audio::make_sample(clip());
  for (auto _ : state) {
    augment::Sample s = source;
    p.run(s, augment::Rng(1));
    benchmark::DoNotOptimize(augment::audio::spectrogram_of(s).values.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * frames_of(clip().frames())));
}

// The library call a trainer makes: augment::audio::spectrogram() on the clip.
void BM_spectrogram_function(benchmark::State& state) {
  augment::audio::StftSettings settings;
  settings.n_fft = kNfft;
  settings.hop_length = kHop;
  for (auto _ : state) {
    const auto s = augment::audio::spectrogram(clip(), settings, 2.0);
    benchmark::DoNotOptimize(s.values.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * frames_of(clip().frames())));
}

// The same frames' r2c executions and nothing else, on a plan made exactly as RealFft makes it.
// The baseline: the clip's frames through FFTW r2c and nothing else. The reflect-padded signal
// is built once, outside any timing; each frame is copied into the aligned input and executed.
class RawFrames {
 public:
  /// The first `length` samples of the clip (all of it by default).
  explicit RawFrames(std::size_t length = clip().frames()) {
    const std::vector<float> x(clip().channels[0].begin(),
                               clip().channels[0].begin() + static_cast<std::ptrdiff_t>(length));
    frames_ = frames_of(x.size());
    padded_.resize(x.size() + kNfft);
    const auto n = static_cast<std::ptrdiff_t>(x.size());
    for (std::size_t i = 0; i < padded_.size(); ++i) {
      const auto j = static_cast<std::ptrdiff_t>(i) - kNfft / 2;
      const std::ptrdiff_t k = j < 0 ? -j : (j >= n ? 2 * (n - 1) - j : j);
      padded_[i] = x[static_cast<std::size_t>(k)];
    }
    in_ = static_cast<float*>(fftwf_malloc(sizeof(float) * kNfft));
    out_ = static_cast<fftwf_complex*>(fftwf_malloc(sizeof(fftwf_complex) * (kNfft / 2 + 1)));
    plan_ = fftwf_plan_dft_r2c_1d(kNfft, in_, out_, FFTW_ESTIMATE);  // as RealFft plans
  }
  ~RawFrames() {
    fftwf_destroy_plan(plan_);
    fftwf_free(in_);
    fftwf_free(out_);
  }
  RawFrames(const RawFrames&) = delete;
  RawFrames& operator=(const RawFrames&) = delete;
  void run() {
    for (std::size_t f = 0; f < frames_; ++f) {
      std::memcpy(in_, padded_.data() + f * kHop, sizeof(float) * kNfft);
      fftwf_execute(plan_);
      benchmark::DoNotOptimize(out_);
    }
  }
  std::size_t frames() const { return frames_; }

 private:
  std::size_t frames_ = 0;
  std::vector<float> padded_;
  float* in_ = nullptr;
  fftwf_complex* out_ = nullptr;
  fftwf_plan plan_ = nullptr;
};

void BM_raw_fftw_r2c(benchmark::State& state) {
  RawFrames raw;
  for (auto _ : state) raw.run();
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * raw.frames()));
}

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// Both in each iteration, one after the other, so a change of machine speed during the run
// (this is a shared VM) weighs on both alike: the ratio of their summed CPU times is the
// headline figure, for the first state.range(0) seconds of the clip. On long clips the
// spectrogram's output (257 floats a frame) no longer fits in the cache, and writing it out —
// work raw FFTW executions do not do — becomes a visible share.
std::map<std::int64_t, double> interleaved_ratio;  // by clip seconds
void BM_spectrogram_vs_raw_interleaved(benchmark::State& state) {
  const auto length = static_cast<std::size_t>(state.range(0)) * kRate;
  RawFrames raw(length);
  augment::audio::Audio part = clip();
  part.channels[0].resize(length);
  augment::audio::StftSettings settings;
  settings.n_fft = kNfft;
  settings.hop_length = kHop;
  double ours = 0, theirs = 0;
  for (auto _ : state) {
    const double t0 = thread_cpu_seconds();
    const auto s = augment::audio::spectrogram(part, settings, 2.0);
    benchmark::DoNotOptimize(s.values.data());
    const double t1 = thread_cpu_seconds();
    raw.run();
    theirs += thread_cpu_seconds() - t1;
    ours += t1 - t0;
  }
  interleaved_ratio[state.range(0)] = theirs > 0 ? ours / theirs : 0;
  state.counters["ratio"] = interleaved_ratio[state.range(0)];
}

void BM_log_mel_80(benchmark::State& state) {
  const auto p = pipeline("audio", json::array({kPowerSpectrogram, {{"op", "mel"}, {"n_mels", 80}}, {{"op", "db"}}}));
  const augment::Sample source = augment::audio::make_sample(clip());
  for (auto _ : state) {
    augment::Sample s = source;
    p.run(s, augment::Rng(1));
    benchmark::DoNotOptimize(augment::audio::spectrogram_of(s).values.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * frames_of(clip().frames())));
}

// One op (or a few) on the clip; items are audio samples, so items/s over the rate is the
// real-time factor. Spectrogram ops run on the clip's power spectrogram, computed outside.
void BM_op(benchmark::State& state, const std::string& kind, const json& stages) {
  const auto p = pipeline(kind, stages);
  augment::Sample source = augment::audio::make_sample(clip());
  if (kind == "spectrogram") pipeline("audio", json::array({kPowerSpectrogram})).run(source, augment::Rng(1));
  std::uint64_t copy = 0;
  for (auto _ : state) {
    augment::Sample s = source;
    p.run(s, augment::Rng::derive(7, "clip", copy++, 0));
    benchmark::DoNotOptimize(&s);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * clip().frames()));
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::tuple<std::string, std::string, json>> ops = {
      {"gain", "audio", json::array({{{"op", "gain"}, {"db", {-6, 6}}}})},
      {"normalize_peak", "audio", json::array({{{"op", "normalize"}}})},
      {"time_shift", "audio", json::array({{{"op", "time_shift"}, {"shift", {-0.5, 0.5}}}})},
      {"trim_silence", "audio", json::array({{{"op", "trim_silence"}}})},
      {"resample_16k_to_8k", "audio", json::array({{{"op", "resample"}, {"rate", 8000}}})},
      {"lowpass_order4", "audio", json::array({{{"op", "lowpass"}, {"cutoff_hz", {1000, 3000}}, {"order", 4}}})},
      {"lowpass_order4_zero_phase", "audio",
       json::array({{{"op", "lowpass"}, {"cutoff_hz", {1000, 3000}}, {"order", 4}, {"zero_phase", true}}})},
      {"bandpass_order2", "audio", json::array({{{"op", "bandpass"}, {"low_hz", 300}, {"high_hz", 3400}, {"order", 2}}})},
      {"add_noise_white", "audio", json::array({{{"op", "add_noise"}, {"colour", "white"}, {"snr_db", {5, 20}}}})},
      {"add_noise_pink", "audio", json::array({{{"op", "add_noise"}, {"colour", "pink"}, {"snr_db", {5, 20}}}})},
      {"add_noise_brown", "audio", json::array({{{"op", "add_noise"}, {"colour", "brown"}, {"snr_db", {5, 20}}}})},
      {"freq_mask", "spectrogram", json::array({{{"op", "freq_mask"}}})},
      {"time_mask", "spectrogram", json::array({{{"op", "time_mask"}}})},
      {"time_warp", "spectrogram", json::array({{{"op", "time_warp"}}})},
      {"spec_augment_LD", "spectrogram", json::array({{{"op", "spec_augment"}, {"policy", "LD"}}})},
  };
  for (const auto& [name, kind, stages] : ops)
    benchmark::RegisterBenchmark(("BM_op/" + name).c_str(), BM_op, kind, stages)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_spectrogram_function", BM_spectrogram_function)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_spectrogram_pipeline", BM_spectrogram_pipeline)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_raw_fftw_r2c", BM_raw_fftw_r2c)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_spectrogram_vs_raw_interleaved", BM_spectrogram_vs_raw_interleaved)
      ->Unit(benchmark::kMicrosecond)
      ->MinTime(2.0)
      ->Arg(1)
      ->Arg(10);
  benchmark::RegisterBenchmark("BM_log_mel_80", BM_log_mel_80)->Unit(benchmark::kMicrosecond);

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  clip();  // loads it, and names its source
  std::printf("clip: %s, %.0f s at %d Hz; n_fft %d, hop %d; FFTW %s\n", clip_source.c_str(), kSeconds,
              kRate, kNfft, kHop, fftwf_version);
  std::fflush(stdout);
  augment::bench::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  const double frames = static_cast<double>(frames_of(clip().frames()));
  std::printf("\nratios (CPU time):\n");
  const double spec = reporter.cpu("BM_spectrogram_function"), raw = reporter.cpu("BM_raw_fftw_r2c");
  const double piped = reporter.cpu("BM_spectrogram_pipeline");
  for (const auto& [seconds, r] : interleaved_ratio)
    std::printf("%-52s %.2fx   (goal <= 1.5x)\n",
                ("power spectrogram() / raw FFTW r2c, " + std::to_string(seconds) + " s clip:").c_str(), r);
  if (spec > 0 && raw > 0)
    std::printf("%-52s %.2fx   (separate runs)\n", "power spectrogram() / raw FFTW r2c:", spec / raw);
  if (piped > 0 && raw > 0)
    std::printf("%-52s %.2fx   (copies the clip, records params)\n", "spectrogram stage via Pipeline::run / raw FFTW r2c:",
                piped / raw);
  auto per_second = [](double cpu_us, double items) { return items / (cpu_us * 1e-6); };
  std::printf("\nthroughput (CPU time, one thread):\n");
  if (spec > 0) std::printf("  %-30s %12.0f frames/s\n", "power spectrogram()", per_second(spec, frames));
  if (piped > 0) std::printf("  %-30s %12.0f frames/s\n", "spectrogram via Pipeline::run", per_second(piped, frames));
  if (raw > 0) std::printf("  %-30s %12.0f frames/s\n", "raw FFTW r2c", per_second(raw, frames));
  if (const double mel = reporter.cpu("BM_log_mel_80"); mel > 0)
    std::printf("  %-30s %12.0f frames/s\n", "log-mel, 80 bands", per_second(mel, frames));
  std::printf("\nreal-time factors (audio seconds per CPU second):\n");
  for (const auto& [name, kind, stages] : ops)
    if (const double cpu = reporter.cpu("BM_op/" + name); cpu > 0)
      std::printf("  %-30s %10.0fx\n", name.c_str(), kSeconds / (cpu * 1e-6));
  return 0;
}
