#include "augment/audio/filter_ops.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "augment/audio/sos_filter.hpp"
#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"

namespace augment::audio {
namespace {

bool is_band(FilterBand band) { return band == FilterBand::bandpass || band == FilterBand::bandstop; }

std::vector<const char*> cutoff_names(FilterBand band) {
  if (is_band(band)) return {"low_hz", "high_hz"};
  return {"cutoff_hz"};
}

double lowest(const nlohmann::json& value) { return value.is_array() ? value[0].get<double>() : value.get<double>(); }
double highest(const nlohmann::json& value) { return value.is_array() ? value[1].get<double>() : value.get<double>(); }

double cutoff_param(const nlohmann::json& params, const nlohmann::json& settings, const char* name) {
  if (params.is_object() && params.contains(name)) {
    if (!params[name].is_number())
      throw UsageError(std::string("params need a number \"") + name + "\", got " + params.dump());
    return params[name].get<double>();
  }
  // Fixed cutoffs are not drawn, so they are not in the params.
  if (settings[name].is_number()) return settings[name].get<double>();
  throw UsageError(std::string("params need a number \"") + name + "\" (drawn per sample), got " + params.dump());
}

void check_cutoff(const char* name, double hz, int sample_rate) {
  const double nyquist = sample_rate / 2.0;
  if (!(hz > 0.0 && hz < nyquist))
    throw UsageError(std::string(name) + " " + format_number(hz) + " Hz must be below the Nyquist frequency (" +
                     format_number(nyquist) + " Hz) of this " + std::to_string(sample_rate) + " Hz audio");
}

ParamSpec cutoff_spec(const char* name, nlohmann::json default_value, std::string doc) {
  return {.name = name, .default_value = std::move(default_value), .drawable = true, .minimum = 0.001,
          .maximum = 1e6, .doc = std::move(doc)};
}

std::vector<ParamSpec> filter_params(FilterBand band) {
  std::vector<ParamSpec> params;
  if (is_band(band)) {
    params.push_back(cutoff_spec("low_hz", band == FilterBand::bandpass ? 300.0 : 950.0,
                                 "lower edge of the band in Hz, or [lo, hi] drawn per sample"));
    params.push_back(cutoff_spec("high_hz", band == FilterBand::bandpass ? 3400.0 : 1050.0,
                                 "upper edge of the band in Hz, or [lo, hi] drawn per sample"));
  } else {
    params.push_back(cutoff_spec("cutoff_hz", band == FilterBand::lowpass ? 4000.0 : 80.0,
                                 "-3 dB frequency in Hz, or [lo, hi] drawn per sample"));
  }
  params.push_back({.name = "order", .type = ParamType::integer, .default_value = 4, .minimum = 1.0,
                    .maximum = 16.0,
                    .doc = std::string("Butterworth order N: 6·N dB/octave") +
                           (is_band(band) ? " on each side (2·N poles)" : "")});
  params.push_back({.name = "zero_phase", .type = ParamType::boolean, .default_value = false,
                    .doc = "filter forward and backward (scipy's sosfiltfilt): no phase shift, -6 dB at the cutoff"});
  return params;
}

OpInfo filter_op(FilterBand band, std::string doc) {
  OpInfo info{
      .name = to_string(band),
      .input = Kind::audio,
      .output = Kind::audio,
      .doc = std::move(doc),
      .params = filter_params(band),
      .random = true,  // with ranges; fixed cutoffs make it preprocessing (is_random)
      .create = [band](const OpInfo& op, const nlohmann::json& settings) -> std::unique_ptr<Transform> {
        return std::make_unique<ButterworthFilter>(op, settings, band);
      },
  };
  if (is_band(band)) {
    info.check = [](const nlohmann::json& settings) {
      if (!(highest(settings["low_hz"]) < lowest(settings["high_hz"])))
        throw std::invalid_argument("low_hz must be below high_hz for every drawn value, got low_hz " +
                                    settings["low_hz"].dump() + " and high_hz " + settings["high_hz"].dump());
    };
  }
  return info;
}

}  // namespace

void butterworth_filter(Audio& audio, FilterBand band, int order, double low_hz, double high_hz, bool zero_phase) {
  check_audio(audio, to_string(band));
  const int rate = audio.sample_rate;
  const double nyquist = rate / 2.0;
  if (is_band(band)) {
    check_cutoff("low_hz", low_hz, rate);
    check_cutoff("high_hz", high_hz, rate);
    if (!(low_hz < high_hz))
      throw UsageError("low_hz (" + format_number(low_hz) + " Hz) must be below high_hz (" + format_number(high_hz) +
                       " Hz)");
  } else {
    check_cutoff("cutoff_hz", low_hz, rate);
  }
  Sections sos;
  try {
    sos = butterworth_sections(order, band, low_hz / nyquist, is_band(band) ? high_hz / nyquist : 0.0);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  std::vector<double> buffer;
  for (auto& channel : audio.channels) {
    buffer.assign(channel.begin(), channel.end());
    if (zero_phase) sos_filtfilt(sos, buffer);
    else sos_filter(sos, buffer);
    std::transform(buffer.begin(), buffer.end(), channel.begin(), [](double v) { return static_cast<float>(v); });
  }
}

ButterworthFilter::ButterworthFilter(const OpInfo& info, const nlohmann::json& settings, FilterBand band)
    : Transform(info, settings), band_(band), random_(false) {
  for (const char* name : cutoff_names(band)) random_ = random_ || settings[name].is_array();
}

nlohmann::json ButterworthFilter::draw(Rng& rng, const Sample&) const {
  if (!random_) return nlohmann::json::object();
  nlohmann::json params = nlohmann::json::object();
  for (const char* name : cutoff_names(band_)) params[name] = draw_number(settings()[name], rng);
  return params;
}

void ButterworthFilter::apply(Sample& sample, const nlohmann::json& params) const {
  const auto names = cutoff_names(band_);
  const double low = cutoff_param(params, settings(), names.front());
  const double high = is_band(band_) ? cutoff_param(params, settings(), names.back()) : 0.0;
  butterworth_filter(audio_of(sample), band_, settings()["order"].get<int>(), low, high,
                     settings()["zero_phase"].get<bool>());
}

OpInfo lowpass_op() {
  return filter_op(FilterBand::lowpass,
                   "Butterworth low-pass of order N (scipy.signal.butter sections): -3 dB at cutoff_hz, "
                   "6·N dB/octave above; optional zero phase; per channel, in double precision.");
}

OpInfo highpass_op() {
  return filter_op(FilterBand::highpass,
                   "Butterworth high-pass of order N (scipy.signal.butter sections): -3 dB at cutoff_hz, "
                   "6·N dB/octave below; optional zero phase; per channel, in double precision.");
}

OpInfo bandpass_op() {
  return filter_op(FilterBand::bandpass,
                   "Butterworth band-pass of order N (scipy.signal.butter sections): -3 dB at low_hz and high_hz, "
                   "6·N dB/octave outside; optional zero phase; per channel, in double precision.");
}

OpInfo bandstop_op() {
  return filter_op(FilterBand::bandstop,
                   "Butterworth band-stop of order N (scipy.signal.butter sections): -3 dB at low_hz and high_hz, "
                   "rejects between; optional zero phase; per channel, in double precision.");
}

}  // namespace augment::audio
