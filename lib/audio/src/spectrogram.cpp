#include "augment/audio/spectrogram.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace augment::audio {
namespace {

using nlohmann::json;

// Each reader leaves the field as it is when the key is absent, so a hand-written companion
// file may give only what it knows; a present key of the wrong type or range is an error.
void read_int(const json& info, const char* key, int& field, int minimum) {
  if (!info.contains(key)) return;
  const json& v = info[key];
  if (!v.is_number_integer() || v.get<std::int64_t>() < minimum || v.get<std::int64_t>() > std::numeric_limits<int>::max())
    throw std::invalid_argument(std::string(key) + " must be an integer >= " + std::to_string(minimum) + ", got " + v.dump());
  field = v.get<int>();
}

void read_bool(const json& info, const char* key, bool& field) {
  if (!info.contains(key)) return;
  if (!info[key].is_boolean()) throw std::invalid_argument(std::string(key) + " must be true or false, got " + info[key].dump());
  field = info[key].get<bool>();
}

void read_choice(const json& info, const char* key, std::string& field, std::initializer_list<const char*> choices) {
  if (!info.contains(key)) return;
  const json& v = info[key];
  std::string names;
  for (const char* c : choices) {
    if (v.is_string() && v.get<std::string>() == c) {
      field = c;
      return;
    }
    names += (names.empty() ? "" : ", ") + std::string(c);
  }
  throw std::invalid_argument(std::string(key) + " must be one of " + names + ", got " + v.dump());
}

}  // namespace

nlohmann::json Spectrogram::info() const {
  json out = {{"sample_rate", sample_rate},
              {"n_fft", n_fft},
              {"win_length", win_length},
              {"hop_length", hop_length},
              {"window", window},
              {"center", center},
              {"normalized", normalized},
              {"power", power},
              {"frequency_scale", frequency_scale},
              {"decibels", decibels},
              {"source_length", source_length},
              {"complex", is_complex()}};
  if (!mel.is_null()) out["mel"] = mel;
  return out;
}

void Spectrogram::set_info(const nlohmann::json& info) {
  if (!info.is_object()) throw std::invalid_argument("spectrogram info must be a JSON object, got " + info.dump());
  read_int(info, "sample_rate", sample_rate, 0);
  read_int(info, "n_fft", n_fft, 0);
  read_int(info, "win_length", win_length, 0);
  read_int(info, "hop_length", hop_length, 0);
  read_choice(info, "window", window, {"hann", "hamming"});
  read_bool(info, "center", center);
  read_bool(info, "normalized", normalized);
  if (info.contains("power")) {
    const json& v = info["power"];
    if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < 0)
      throw std::invalid_argument("power must be a number >= 0, got " + v.dump());
    power = v.get<double>();
  }
  read_choice(info, "frequency_scale", frequency_scale, {"linear", "mel", "mfcc"});
  read_bool(info, "decibels", decibels);
  if (info.contains("source_length")) {
    const json& v = info["source_length"];
    if (!v.is_number_integer() || (!v.is_number_unsigned() && v.get<std::int64_t>() < 0)) throw std::invalid_argument("source_length must be an integer >= 0, got " + v.dump());
    source_length = v.get<std::size_t>();
  }
  if (info.contains("mel")) {
    if (!info["mel"].is_object() && !info["mel"].is_null())
      throw std::invalid_argument("mel must be an object of filterbank parameters, got " + info["mel"].dump());
    mel = info["mel"];
  }
  // "complex" is written for readers of the JSON alone; the values decide, so it is not read back.
}

}  // namespace augment::audio
