#include "augment/audio/gain.hpp"

#include <cmath>
#include <limits>

#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"

namespace augment::audio {
namespace {

void scale(Audio& audio, double factor) {
  for (auto& channel : audio.channels)
    for (float& x : channel) x = static_cast<float>(x * factor);
}

double param_number(const nlohmann::json& params, const char* name) {
  if (!params.is_object() || !params.contains(name) || !params[name].is_number())
    throw UsageError(std::string("params need a number \"") + name + "\", got " + params.dump());
  return params[name].get<double>();
}

}  // namespace

void apply_gain(Audio& audio, double db) {
  if (!std::isfinite(db)) throw UsageError("gain: db must be finite, got " + format_number(db));
  scale(audio, std::pow(10.0, db / 20.0));
}

double level_dbfs(const Audio& audio, LevelMode mode) {
  double peak = 0.0, sum_squares = 0.0;
  std::size_t count = 0;
  for (const auto& channel : audio.channels) {
    for (const float x : channel) {
      peak = std::max(peak, static_cast<double>(std::fabs(x)));
      sum_squares += static_cast<double>(x) * x;
    }
    count += channel.size();
  }
  const double level = mode == LevelMode::peak ? peak : (count ? std::sqrt(sum_squares / static_cast<double>(count)) : 0.0);
  return level > 0 ? 20.0 * std::log10(level) : -std::numeric_limits<double>::infinity();
}

void normalize_level(Audio& audio, LevelMode mode, double level_db) {
  check_audio(audio, "normalize");
  const double now = level_dbfs(audio, mode);
  if (!std::isfinite(now)) return;  // silence: no gain reaches a level
  scale(audio, std::pow(10.0, (level_db - now) / 20.0));
}

nlohmann::json Gain::draw(Rng& rng, const Sample&) const { return {{"db", draw_number(settings()["db"], rng)}}; }

void Gain::apply(Sample& sample, const nlohmann::json& params) const {
  apply_gain(audio_of(sample), param_number(params, "db"));
}

Normalize::Normalize(const OpInfo& info, const nlohmann::json& settings)
    : Transform(info, settings),
      mode_(settings["mode"].get<std::string>() == "rms" ? LevelMode::rms : LevelMode::peak),
      level_db_(settings["level_db"].is_null() ? (mode_ == LevelMode::rms ? -20.0 : -1.0)
                                               : settings["level_db"].get<double>()) {}

void Normalize::apply(Sample& sample, const nlohmann::json&) const {
  normalize_level(audio_of(sample), mode_, level_db_);
}

OpInfo gain_op() {
  return {
      .name = "gain",
      .input = Kind::audio,
      .output = Kind::audio,
      .doc = "Multiplies the samples by 10^(db/20); not clipped (integer files clip when written).",
      .params = {{.name = "db", .default_value = {-6.0, 6.0}, .drawable = true, .minimum = -120.0, .maximum = 60.0,
                  .doc = "the gain in dB, or [lo, hi] drawn per sample (then the op is random)"}},
      .random = true,
      .create = make_transform<Gain>,
  };
}

OpInfo normalize_op() {
  return {
      .name = "normalize",
      .input = Kind::audio,
      .output = Kind::audio,
      .doc = "One gain for all channels so the peak or RMS level is level_db dBFS; silence unchanged; not clipped.",
      .params = {{.name = "mode", .type = ParamType::string, .default_value = "peak", .choices = {"peak", "rms"},
                  .doc = "peak: max |x| over all channels; rms: sqrt(mean x²) over all channels and frames"},
                 {.name = "level_db", .minimum = -120.0, .maximum = 0.0,
                  .doc = "the target level in dBFS (default −1 for peak, −20 for rms)"}},
      .random = false,
      .create = make_transform<Normalize>,
  };
}

}  // namespace augment::audio
