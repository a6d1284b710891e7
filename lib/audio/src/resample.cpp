#include "augment/audio/resample.hpp"

#include <soxr.h>

#include <stdexcept>

#include "augment/core/error.hpp"
#include "augment/core/limits.hpp"

namespace augment::audio {

ResampleQuality parse_resample_quality(const std::string& name) {
  if (name == "quick") return ResampleQuality::quick;
  if (name == "low") return ResampleQuality::low;
  if (name == "medium") return ResampleQuality::medium;
  if (name == "high") return ResampleQuality::high;
  if (name == "very_high") return ResampleQuality::very_high;
  throw std::invalid_argument("resample quality must be quick, low, medium, high or very_high, got '" + name + "'");
}

namespace {

unsigned long soxr_recipe(ResampleQuality quality) {
  switch (quality) {
    case ResampleQuality::quick: return SOXR_QQ;
    case ResampleQuality::low: return SOXR_LQ;
    case ResampleQuality::medium: return SOXR_MQ;
    case ResampleQuality::high: return SOXR_HQ;
    case ResampleQuality::very_high: return SOXR_VHQ;
  }
  return SOXR_HQ;
}

}  // namespace

Audio resample(const Audio& audio, int rate, ResampleQuality quality) {
  check_audio(audio, "resample");
  if (rate <= 0) throw UsageError("resample: rate must be > 0, got " + std::to_string(rate));
  if (rate == audio.sample_rate) return audio;

  const double ratio = static_cast<double>(rate) / audio.sample_rate;
  // soxr_oneshot flushes its filter and writes at most round(frames·ratio) frames; the spare
  // room only guards against a different rounding in another soxr version.
  const std::size_t room = static_cast<std::size_t>(static_cast<double>(audio.frames()) * ratio + 0.5) + 2;
  check_limit("audio_samples", room, "resample to " + std::to_string(rate) + " Hz, samples per channel");
  const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  const soxr_quality_spec_t q = soxr_quality_spec(soxr_recipe(quality), 0);
  const soxr_runtime_spec_t runtime = soxr_runtime_spec(1);  // no threads: the runner has its own

  Audio out;
  out.sample_rate = rate;
  out.file_format = audio.file_format;
  std::size_t length = 0;
  for (std::size_t c = 0; c < audio.channels.size(); ++c) {
    std::vector<float> resampled(room);
    std::size_t done = 0;
    const soxr_error_t error = soxr_oneshot(audio.sample_rate, rate, 1, audio.channels[c].data(), audio.frames(),
                                            nullptr, resampled.data(), room, &done, &io, &q, &runtime);
    if (error) throw Error(std::string("resample: libsoxr failed: ") + error);
    resampled.resize(done);
    if (c == 0) length = done;
    else if (done != length) throw Error("resample: libsoxr gave channels of different lengths");
    out.channels.push_back(std::move(resampled));
  }
  return out;
}

Resample::Resample(const OpInfo& info, const nlohmann::json& settings)
    : Transform(info, settings),
      rate_(settings["rate"].get<int>()),
      quality_(parse_resample_quality(settings["quality"].get<std::string>())) {}

void Resample::apply(Sample& sample, const nlohmann::json&) const {
  Audio& audio = audio_of(sample);
  audio = resample(audio, rate_, quality_);
}

OpInfo resample_op() {
  return {
      .name = "resample",
      .input = Kind::audio,
      .output = Kind::audio,
      .doc = "Changes the sample rate with libsoxr (band-limited; length round(frames·rate/source rate)); "
             "unchanged at the same rate.",
      .params = {{.name = "rate", .type = ParamType::integer, .required = true, .minimum = 1.0, .maximum = 1000000.0,
                  .doc = "the new sample rate, Hz"},
                 {.name = "quality", .type = ParamType::string, .default_value = "high",
                  .choices = {"quick", "low", "medium", "high", "very_high"},
                  .doc = "libsoxr's recipe: quick (cubic), low, medium (16-bit), high (20-bit), very_high (28-bit)"}},
      .random = false,
      .create = make_transform<Resample>,
  };
}

}  // namespace augment::audio
