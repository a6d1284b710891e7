// Butterworth filters: design and filtering against SciPy's (fixture), and the response measured
// on sine tones through the ops (-3 dB at the cutoff, 6·N dB/octave in the stop band).
#include <cmath>
#include <fstream>
#include <numbers>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "augment/audio/audio.hpp"
#include "augment/audio/butterworth.hpp"
#include "augment/audio/filter_ops.hpp"
#include "augment/audio/sos_filter.hpp"
#include "augment/core/error.hpp"
#include "augment/core/pipeline.hpp"

using augment::audio::Audio;
using augment::audio::butterworth_filter;
using augment::audio::butterworth_sections;
using augment::audio::FilterBand;
using augment::audio::Sections;

namespace {

// Parsed once and kept: range-for over filter_fixture()["designs"] must not iterate a temporary.
const nlohmann::json& filter_fixture() {
  static const nlohmann::json fixture = [] {
    std::ifstream in(std::string(AUGMENT_FIXTURES) + "/audio/filters/butterworth.json");
    REQUIRE(in.good());
    return nlohmann::json::parse(in);
  }();
  return fixture;
}

FilterBand band_named(const std::string& name) {
  if (name == "lowpass") return FilterBand::lowpass;
  if (name == "highpass") return FilterBand::highpass;
  if (name == "bandpass") return FilterBand::bandpass;
  return FilterBand::bandstop;
}

Sections design_of(const nlohmann::json& design) {
  const auto wn = design["wn"].get<std::vector<double>>();
  return butterworth_sections(design["order"].get<int>(), band_named(design["btype"]), wn[0],
                              wn.size() > 1 ? wn[1] : 0.0);
}

double max_abs(const std::vector<double>& x) {
  double m = 0;
  for (double v : x) m = std::max(m, std::abs(v));
  return m;
}

const augment::Registry& filter_registry() {
  static const augment::Registry registry = [] {
    augment::Registry r;
    r.add(augment::audio::lowpass_op());
    r.add(augment::audio::highpass_op());
    r.add(augment::audio::bandpass_op());
    r.add(augment::audio::bandstop_op());
    return r;
  }();
  return registry;
}

augment::Pipeline audio_pipeline(const nlohmann::json& stages) {
  return augment::Pipeline::from_json({{"kind", "audio"}, {"stages", stages}}, filter_registry());
}

Audio sine(double hz, int rate, double seconds, int channels = 1) {
  Audio audio;
  audio.sample_rate = rate;
  const auto n = static_cast<std::size_t>(seconds * rate);
  audio.channels.assign(static_cast<std::size_t>(channels), std::vector<float>(n));
  for (auto& channel : audio.channels)
    for (std::size_t i = 0; i < n; ++i)
      channel[i] = static_cast<float>(0.5 * std::sin(2 * std::numbers::pi * hz * double(i) / rate));
  return audio;
}

// RMS over the second half, where a causal filter has settled, or over the middle half, away
// from both edges, for a zero-phase one (its backward pass starts at the end).
double steady_rms(const std::vector<float>& x, bool zero_phase = false) {
  double sum = 0;
  const std::size_t from = zero_phase ? x.size() / 4 : x.size() / 2;
  const std::size_t to = zero_phase ? 3 * x.size() / 4 : x.size();
  for (std::size_t i = from; i < to; ++i) sum += double(x[i]) * x[i];
  return std::sqrt(sum / double(to - from));
}

/// Gain in dB of the filter on a tone at `hz`, measured on a 2 s tone.
double measured_gain_db(double hz, int rate, FilterBand band, int order, double low, double high,
                        bool zero_phase = false) {
  Audio audio = sine(hz, rate, 2.0);
  const double before = steady_rms(audio.channels[0], zero_phase);
  butterworth_filter(audio, band, order, low, high, zero_phase);
  return 20 * std::log10(steady_rms(audio.channels[0], zero_phase) / before);
}

/// The digital Butterworth magnitude in dB, |H|² = 1 / (1 + x^(2N)), x the low-pass prototype's
/// frequency for f after pre-warping (Ω = tan(π·f/rate)) and the band transform.
double expected_gain_db(FilterBand band, int order, double low, double high, double hz, int rate) {
  auto warp = [rate](double f) { return std::tan(std::numbers::pi * f / rate); };
  const double w = warp(hz), w1 = warp(low), w2 = warp(high);
  double x = 0;
  switch (band) {
    case FilterBand::lowpass: x = w / w1; break;
    case FilterBand::highpass: x = w1 / w; break;
    case FilterBand::bandpass: x = (w * w - w1 * w2) / (w * (w2 - w1)); break;
    case FilterBand::bandstop: x = (w * (w2 - w1)) / (w * w - w1 * w2); break;
  }
  return -10 * std::log10(1 + std::pow(x * x, order));
}

}  // namespace

TEST_CASE("Butterworth sections match scipy.signal.butter output sos") {
  for (const auto& design : filter_fixture()["designs"]) {
    INFO(design["name"].get<std::string>());
    const Sections sos = design_of(design);
    const auto expected = design["sos"].get<std::vector<std::vector<double>>>();
    REQUIRE(sos.size() == expected.size());
    for (std::size_t s = 0; s < sos.size(); ++s)
      for (std::size_t half = 0; half < 2; ++half) {
        // Relative to the largest coefficient of the same polynomial (b or a).
        double scale = 0;
        for (std::size_t j = 0; j < 3; ++j) scale = std::max(scale, std::abs(expected[s][3 * half + j]));
        for (std::size_t j = 3 * half; j < 3 * half + 3; ++j) {
          INFO("section " << s << " coefficient " << j << ": scipy " << expected[s][j] << ", ours " << sos[s][j]);
          CHECK(std::abs(sos[s][j] - expected[s][j]) <= 1e-10 * scale);
        }
      }
  }
}

TEST_CASE("sos_filter and sos_filtfilt match scipy's sosfilt and sosfiltfilt") {
  const auto& fixture = filter_fixture();
  const auto signal = fixture["signal"].get<std::vector<double>>();
  for (const auto& design : fixture["designs"]) {
    INFO(design["name"].get<std::string>());
    const Sections sos = design_of(design);
    for (const char* kind : {"sosfilt", "sosfiltfilt"}) {
      INFO(kind);
      const auto expected = design[kind].get<std::vector<double>>();
      std::vector<double> ours = signal;
      if (std::string(kind) == "sosfilt") augment::audio::sos_filter(sos, ours);
      else augment::audio::sos_filtfilt(sos, ours);
      const double tolerance = 1e-9 * max_abs(expected);
      for (std::size_t i = 0; i < ours.size(); ++i) {
        INFO("frame " << i << ": scipy " << expected[i] << ", ours " << ours[i]);
        CHECK(std::abs(ours[i] - expected[i]) <= tolerance);
      }

      // The same through the op on float audio, to float precision.
      Audio audio;
      audio.sample_rate = 2;  // cutoffs in the fixture are fractions of Nyquist = 1 Hz
      audio.channels.emplace_back(signal.begin(), signal.end());
      const auto wn = design["wn"].get<std::vector<double>>();
      butterworth_filter(audio, band_named(design["btype"]), design["order"].get<int>(), wn[0],
                         wn.size() > 1 ? wn[1] : 0.0, std::string(kind) == "sosfiltfilt");
      for (std::size_t i = 0; i < ours.size(); ++i) {
        INFO("op, frame " << i << ": scipy " << expected[i] << ", ours " << audio.channels[0][i]);
        CHECK(std::abs(audio.channels[0][i] - expected[i]) <= 1e-6 * max_abs(expected));
      }
    }
  }
}

TEST_CASE("Measured on tones: -3 dB at the cutoff and 6·N dB per octave beyond, for every band") {
  const int rate = 48000;
  const double half_power_db = -10 * std::log10(2.0);
  for (int order : {1, 2, 4, 6}) {
    INFO("order " << order);
    const double octave_slope = 20 * std::log10(2.0) * order;  // 6.02·N dB
    auto check_tone = [&](FilterBand band, double low, double high, double hz) {
      INFO(augment::audio::to_string(band) << " " << low << "-" << high << " Hz, tone " << hz << " Hz");
      CHECK(measured_gain_db(hz, rate, band, order, low, high) ==
            doctest::Approx(expected_gain_db(band, order, low, high, hz, rate)).epsilon(0.001).scale(0.05));
    };

    // The slope between two tones an octave apart, measured and from the exact response.
    auto check_slope = [&](FilterBand band, double low, double high, double hz_near, double hz_far) {
      INFO(augment::audio::to_string(band) << " " << low << "-" << high << " Hz, tones " << hz_near << " and "
                                           << hz_far << " Hz");
      const double measured = measured_gain_db(hz_near, rate, band, order, low, high) -
                              measured_gain_db(hz_far, rate, band, order, low, high);
      const double exact = expected_gain_db(band, order, low, high, hz_near, rate) -
                           expected_gain_db(band, order, low, high, hz_far, rate);
      CHECK(measured == doctest::Approx(exact).epsilon(0.002));
      CHECK(measured == doctest::Approx(octave_slope).epsilon(0.03));
    };
    // Tones 3 and 4 octaves past the cutoff (2 and 3 for order 6, whose 4th octave, at -144 dB,
    // is below the float noise floor), where the response is asymptotic and the bilinear
    // warping still negligible.
    const double past = order >= 6 ? 4.0 : 8.0;

    // Low-pass at 200 Hz.
    CHECK(measured_gain_db(200, rate, FilterBand::lowpass, order, 200, 0) == doctest::Approx(half_power_db).epsilon(0.003));
    check_slope(FilterBand::lowpass, 200, 0, 200 * past, 400 * past);
    for (double hz : {50.0, 300.0, 1000.0}) check_tone(FilterBand::lowpass, 200, 0, hz);

    // High-pass at 3200 Hz.
    CHECK(measured_gain_db(3200, rate, FilterBand::highpass, order, 3200, 0) ==
          doctest::Approx(half_power_db).epsilon(0.003));
    check_slope(FilterBand::highpass, 3200, 0, 3200 / past, 1600 / past);
    for (double hz : {1000.0, 2500.0, 12000.0}) check_tone(FilterBand::highpass, 3200, 0, hz);

    // Band-pass 1-4 kHz: -3 dB at both edges, ~0 dB at the centre, 6·N dB/octave far below
    // (2 and 3 octaves under the lower edge, where the exact slope is within 2% of 6·N).
    for (double edge : {1000.0, 4000.0})
      CHECK(measured_gain_db(edge, rate, FilterBand::bandpass, order, 1000, 4000) ==
            doctest::Approx(half_power_db).epsilon(0.003));
    CHECK(std::abs(measured_gain_db(2000, rate, FilterBand::bandpass, order, 1000, 4000)) < 0.01);
    check_slope(FilterBand::bandpass, 1000, 4000, 250, 125);
    for (double hz : {500.0, 1500.0, 6000.0, 12000.0}) check_tone(FilterBand::bandpass, 1000, 4000, hz);

    // Band-stop 1-4 kHz: -3 dB at both edges, ~0 dB far outside, deep inside.
    for (double edge : {1000.0, 4000.0})
      CHECK(measured_gain_db(edge, rate, FilterBand::bandstop, order, 1000, 4000) ==
            doctest::Approx(half_power_db).epsilon(0.003));
    CHECK(std::abs(measured_gain_db(100, rate, FilterBand::bandstop, order, 1000, 4000)) < 0.03);
    for (double hz : {100.0, 500.0, 1500.0, 3000.0, 8000.0}) check_tone(FilterBand::bandstop, 1000, 4000, hz);
  }
}

TEST_CASE("Zero phase: -6 dB at the cutoff, 12·N dB per octave, and no delay") {
  const int rate = 48000, order = 3;
  CHECK(measured_gain_db(200, rate, FilterBand::lowpass, order, 200, 0, true) ==
        doctest::Approx(-20 * std::log10(2.0)).epsilon(0.003));
  const double slope = measured_gain_db(800, rate, FilterBand::lowpass, order, 200, 0, true) -
                       measured_gain_db(1600, rate, FilterBand::lowpass, order, 200, 0, true);
  CHECK(slope == doctest::Approx(2 * 20 * std::log10(2.0) * order).epsilon(0.02));

  // A tone at the cutoff comes out in phase with the input at half the amplitude (a causal
  // Butterworth would delay it by a quarter period per section pair).
  Audio audio = sine(200, rate, 0.5);
  const Audio input = audio;
  butterworth_filter(audio, FilterBand::lowpass, order, 200, 0, true);
  double worst = 0;
  for (std::size_t i = audio.frames() / 4; i < 3 * audio.frames() / 4; ++i)
    worst = std::max(worst, std::abs(double(audio.channels[0][i]) - 0.5 * input.channels[0][i]));
  CHECK(worst < 1e-4);  // of a 0.25 amplitude

  // Edges: a constant comes out unchanged from the first frame to the last (the filters start
  // from the steady state of the odd-extended ends, as sosfiltfilt's do).
  Audio constant = sine(0, rate, 0.1);
  for (float& v : constant.channels[0]) v = 0.3f;
  butterworth_filter(constant, FilterBand::lowpass, order, 200, 0, true);
  for (float v : constant.channels[0]) CHECK(v == doctest::Approx(0.3).epsilon(1e-5));
}

TEST_CASE("Each channel is filtered on its own") {
  const int rate = 16000;
  Audio stereo = sine(300, rate, 1.0, 2);
  const Audio high = sine(5000, rate, 1.0);
  stereo.channels[1] = high.channels[0];
  Audio left = stereo, right = stereo;
  left.channels.resize(1);
  right.channels.erase(right.channels.begin());

  butterworth_filter(stereo, FilterBand::lowpass, 4, 1000, 0, false);
  butterworth_filter(left, FilterBand::lowpass, 4, 1000, 0, false);
  butterworth_filter(right, FilterBand::lowpass, 4, 1000, 0, false);
  CHECK(stereo.channels[0] == left.channels[0]);
  CHECK(stereo.channels[1] == right.channels[0]);
  CHECK(steady_rms(stereo.channels[0]) > 0.35);   // 300 Hz passes (0.5/√2 in)
  CHECK(steady_rms(stereo.channels[1]) < 0.001);  // 5 kHz, 2.3 octaves up, is ~-56 dB
}

TEST_CASE("Clips shorter than the zero-phase padding are still filtered") {
  for (std::size_t frames : {1, 2, 5, 20}) {
    INFO(frames << " frames");
    Audio audio = sine(440, 16000, double(frames) / 16000);
    REQUIRE(audio.frames() == frames);
    for (float& v : audio.channels[0]) v += 0.25f;
    butterworth_filter(audio, FilterBand::bandpass, 4, 300, 3000, true);
    for (float v : audio.channels[0]) CHECK(std::isfinite(v));
    Audio constant = audio;
    for (float& v : constant.channels[0]) v = 0.5f;
    butterworth_filter(constant, FilterBand::lowpass, 3, 1000, 0, true);
    for (float v : constant.channels[0]) CHECK(v == doctest::Approx(0.5).epsilon(1e-5));
  }
}

TEST_CASE("Fixed cutoffs make a deterministic stage, ranges a random one that replays exactly") {
  const auto fixed = audio_pipeline({{{"op", "lowpass"}, {"cutoff_hz", 1000}}});
  CHECK(fixed.to_json()["stages"][0]["cutoff_hz"] == 1000.0);
  {
    augment::audio::Audio a = sine(440, 16000, 0.2);
    augment::Sample sample = augment::audio::make_sample(a);
    const auto record = fixed.preprocess(sample);  // deterministic stages run in preprocess
    Audio expected = a;
    butterworth_filter(expected, FilterBand::lowpass, 4, 1000, 0, false);
    CHECK(augment::audio::audio_of(sample).channels == expected.channels);
  }

  const auto random = audio_pipeline(
      {{{"op", "bandpass"}, {"low_hz", {200, 400}}, {"high_hz", {2000, 3000}}, {"zero_phase", true}}});
  const Audio source = sine(1000, 16000, 0.3);
  augment::Sample first = augment::audio::make_sample(source), second = augment::audio::make_sample(source);
  const auto record = random.run(first, augment::Rng::derive(7, "clip", 0, 0));
  random.run(second, augment::Rng::derive(7, "clip", 0, 0));
  CHECK(augment::audio::audio_of(first).channels == augment::audio::audio_of(second).channels);

  const std::string text = record.dump();
  INFO(text);
  CHECK(text.find("low_hz") != std::string::npos);
  CHECK(text.find("high_hz") != std::string::npos);

  augment::Sample replayed = augment::audio::make_sample(source);
  random.replay(replayed, record);
  CHECK(augment::audio::audio_of(replayed).channels == augment::audio::audio_of(first).channels);

  augment::Sample other = augment::audio::make_sample(source);
  random.run(other, augment::Rng::derive(8, "clip", 0, 0));
  CHECK(augment::audio::audio_of(other).channels != augment::audio::audio_of(first).channels);
}

TEST_CASE("Bad filter parameters are rejected with clear messages") {
  auto spec_error = [](const nlohmann::json& stage) -> std::string {
    try {
      audio_pipeline(nlohmann::json::array({stage}));
    } catch (const augment::SpecError& e) {
      return e.what();
    }
    FAIL("no SpecError for " << stage.dump());
    return "";
  };
  CHECK(spec_error({{"op", "bandpass"}, {"low_hz", 3000}, {"high_hz", 1000}}).find("low_hz must be below high_hz") !=
        std::string::npos);
  CHECK(spec_error({{"op", "bandstop"}, {"low_hz", {100, 2000}}, {"high_hz", {1500, 3000}}})
            .find("for every drawn value") != std::string::npos);
  CHECK(spec_error({{"op", "lowpass"}, {"order", 0}}).find("order") != std::string::npos);
  CHECK(spec_error({{"op", "highpass"}, {"cutoff_hz", -5}}).find("cutoff_hz") != std::string::npos);

  // A cutoff at or above the audio's Nyquist frequency fails on the sample, naming the rate.
  const auto pipeline = audio_pipeline({{{"op", "lowpass"}, {"cutoff_hz", 8000}}});
  augment::Sample sample = augment::audio::make_sample(sine(440, 16000, 0.1));
  try {
    pipeline.run(sample, augment::Rng(1));
    FAIL("no UsageError");
  } catch (const augment::UsageError& e) {
    const std::string message = e.what();
    INFO(message);
    CHECK(message.find("cutoff_hz 8000 Hz") != std::string::npos);
    CHECK(message.find("Nyquist frequency (8000 Hz)") != std::string::npos);
    CHECK(message.find("16000 Hz audio") != std::string::npos);
  }
  Audio high_band = sine(440, 8000, 0.1);
  CHECK_THROWS_WITH_AS(butterworth_filter(high_band, FilterBand::bandpass, 2, 1000, 4000, false),
                       doctest::Contains("high_hz 4000 Hz must be below the Nyquist frequency (4000 Hz)"),
                       augment::UsageError);
}
