#include "augment/audio/time_shift.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "augment/core/error.hpp"

namespace augment::audio {

void shift_frames(Audio& audio, std::int64_t frames, ShiftMode mode) {
  const auto length = static_cast<std::int64_t>(audio.frames());
  if (length == 0 || frames == 0) return;
  for (auto& channel : audio.channels) {
    if (mode == ShiftMode::roll) {
      const std::int64_t k = ((frames % length) + length) % length;  // right rotation by k
      std::rotate(channel.begin(), channel.end() - k, channel.end());
    } else if (frames >= length || frames <= -length) {
      std::fill(channel.begin(), channel.end(), 0.0f);
    } else if (frames > 0) {
      std::copy_backward(channel.begin(), channel.end() - frames, channel.end());
      std::fill(channel.begin(), channel.begin() + frames, 0.0f);
    } else {
      std::copy(channel.begin() - frames, channel.end(), channel.begin());
      std::fill(channel.end() + frames, channel.end(), 0.0f);
    }
  }
}

TimeShift::TimeShift(const OpInfo& info, const nlohmann::json& settings)
    : Transform(info, settings),
      fraction_(settings["unit"].get<std::string>() == "fraction"),
      mode_(settings["mode"].get<std::string>() == "roll" ? ShiftMode::roll : ShiftMode::zero_fill) {}

nlohmann::json TimeShift::draw(Rng& rng, const Sample&) const {
  return {{"shift", draw_number(settings()["shift"], rng)}};
}

void TimeShift::apply(Sample& sample, const nlohmann::json& params) const {
  if (!params.is_object() || !params.contains("shift") || !params["shift"].is_number())
    throw UsageError("params need a number \"shift\", got " + params.dump());
  const double shift = params["shift"].get<double>();
  Audio& audio = audio_of(sample);
  const double frames = shift * (fraction_ ? static_cast<double>(audio.frames()) : audio.sample_rate);
  if (!std::isfinite(frames) || std::fabs(frames) > 9e15) throw UsageError("time_shift: shift out of range: " + params.dump());
  shift_frames(audio, std::llround(frames), mode_);
}

OpInfo time_shift_op() {
  return {
      .name = "time_shift",
      .input = Kind::audio,
      .output = Kind::audio,
      .doc = "Moves the audio by round(shift·rate) frames (or round(shift·length) with unit fraction); positive "
             "is later; roll wraps around, zero_fill pads with silence.",
      .params = {{.name = "shift", .default_value = {-0.5, 0.5}, .drawable = true, .minimum = -3600.0,
                  .maximum = 3600.0, .doc = "seconds (or a fraction of the length), or [lo, hi] drawn per sample"},
                 {.name = "unit", .type = ParamType::string, .default_value = "seconds",
                  .choices = {"seconds", "fraction"}, .doc = "what shift counts: seconds, or a fraction of the length"},
                 {.name = "mode", .type = ParamType::string, .default_value = "roll", .choices = {"roll", "zero_fill"},
                  .doc = "roll: wrap around; zero_fill: drop what leaves, pad with zeros"}},
      .random = true,
      .check =
          [](const nlohmann::json& settings) {
            if (settings["unit"] != "fraction") return;
            const nlohmann::json& shift = settings["shift"];
            for (const auto& v : shift.is_array() ? shift : nlohmann::json::array({shift}))
              if (std::fabs(v.get<double>()) > 1.0)
                throw std::invalid_argument("shift must be in [-1, 1] with unit fraction, got " + shift.dump());
          },
      .create = make_transform<TimeShift>,
  };
}

}  // namespace augment::audio
