#include "augment/audio/decibels.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "augment/audio/stft.hpp"
#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"

namespace augment::audio {

Spectrogram db(const Spectrogram& in, const DbSettings& settings) {
  check_spectrogram(in, "db");
  if (in.is_complex()) throw UsageError("db: needs a real power or magnitude spectrogram, got the complex STFT (use spectrogram)");
  if (in.decibels) throw UsageError("db: the spectrogram is already in decibels");
  if (in.frequency_scale == "mfcc") throw UsageError("db: MFCCs are already logarithmic");
  if (!(settings.amin > 0)) throw UsageError("db: amin must be > 0, got " + format_number(settings.amin));
  if (!(settings.ref > 0)) throw UsageError("db: ref must be > 0, got " + format_number(settings.ref));
  if (settings.top_db && !(*settings.top_db >= 0)) throw UsageError("db: top_db must be >= 0, got " + format_number(*settings.top_db));
  if (!settings.multiplier && !(in.power > 0))
    throw UsageError("db: the spectrogram's power (" + format_number(in.power) + ") must be > 0 to choose the multiplier");
  const double multiplier = settings.multiplier.value_or(20.0 / in.power);
  const double offset = multiplier * std::log10(std::max(settings.amin, settings.ref));
  Spectrogram out = in;
  float max_db = -std::numeric_limits<float>::infinity();
  for (float& v : out.values) {
    v = static_cast<float>(multiplier * std::log10(std::max(static_cast<double>(v), settings.amin)) - offset);
    max_db = std::max(max_db, v);
  }
  if (settings.top_db) {
    const auto floor = static_cast<float>(max_db - *settings.top_db);
    for (float& v : out.values) v = std::max(v, floor);
  }
  out.decibels = true;
  return out;
}

namespace {

using nlohmann::json;

class Db final : public Transform {
 public:
  Db(const OpInfo& info, const json& settings) : Transform(info, settings) {
    if (!settings.at("top_db").is_null()) settings_.top_db = settings["top_db"].get<double>();
    settings_.amin = settings.at("amin").get<double>();
    settings_.ref = settings.at("ref").get<double>();
  }
  void apply(Sample& sample, const json&) const override { sample = make_sample(db(spectrogram_of(sample), settings_)); }

 private:
  DbSettings settings_;
};

}  // namespace

OpInfo db_op() {
  return {
      .name = "db",
      .input = Kind::spectrogram,
      .output = Kind::spectrogram,
      .doc = "decibels, torchaudio's AmplitudeToDB: 10·log10 of power (20·log10 of magnitude) "
             "clamped at amin, relative to ref; top_db floors at the sample's max − top_db",
      .params = {{.name = "top_db", .minimum = 0.0, .doc = "floor at max − top_db over the whole sample; default none"},
                 {.name = "amin", .default_value = 1e-10, .minimum = 1e-30, .doc = "smallest value before the log"},
                 {.name = "ref", .default_value = 1.0, .minimum = 1e-30, .doc = "value that maps to 0 dB"}},
      .create = make_transform<Db>,
  };
}

}  // namespace augment::audio
