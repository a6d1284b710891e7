// Round trips read → (nothing, or a 0 dB gain) → write for every subtype libsndfile writes in WAV,
// FLAC and AIFF. The files are made by libsndfile itself from values at the extremes of each
// subtype (full-scale 32-bit levels, float64 values float cannot hold, ±0, subnormals,
// full-scale squares), and both files are decoded by libsndfile in double, so a sample that
// changes in any bit is seen. Lossless subtypes must give every value back; the lossy codecs
// (ADPCM, GSM) are re-encoded in their codec, which the README says.
#include <doctest/doctest.h>

#include <sndfile.h>
#include <unistd.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "audio_test_helpers.hpp"
#include "augment/audio/audio_codec.hpp"
#include "augment/core/error.hpp"

namespace fs = std::filesystem;
using augment::audio::Audio;
using augment::audio::decode_audio;
using augment::audio::encode_audio;
using Bytes = std::vector<std::uint8_t>;

namespace {

// Every subtype in libsndfile 1.2's sndfile.h; which ones a container takes, libsndfile says.
constexpr int kSubtypes[] = {
    SF_FORMAT_PCM_S8,       SF_FORMAT_PCM_16,       SF_FORMAT_PCM_24,       SF_FORMAT_PCM_32,
    SF_FORMAT_PCM_U8,       SF_FORMAT_FLOAT,        SF_FORMAT_DOUBLE,       SF_FORMAT_ULAW,
    SF_FORMAT_ALAW,         SF_FORMAT_IMA_ADPCM,    SF_FORMAT_MS_ADPCM,     SF_FORMAT_GSM610,
    SF_FORMAT_VOX_ADPCM,    SF_FORMAT_NMS_ADPCM_16, SF_FORMAT_NMS_ADPCM_24, SF_FORMAT_NMS_ADPCM_32,
    SF_FORMAT_G721_32,      SF_FORMAT_G723_24,      SF_FORMAT_G723_40,      SF_FORMAT_DWVW_12,
    SF_FORMAT_DWVW_16,      SF_FORMAT_DWVW_24,      SF_FORMAT_DWVW_N,       SF_FORMAT_DPCM_8,
    SF_FORMAT_DPCM_16,      SF_FORMAT_VORBIS,       SF_FORMAT_OPUS,         SF_FORMAT_ALAC_16,
    SF_FORMAT_ALAC_20,      SF_FORMAT_ALAC_24,      SF_FORMAT_ALAC_32,      SF_FORMAT_MPEG_LAYER_I,
    SF_FORMAT_MPEG_LAYER_II, SF_FORMAT_MPEG_LAYER_III,
};

// Lossy codecs: writing again encodes once more, and what changes depends on the signal (on
// these values G.721 changes most samples, NMS 16 kbit/s a few; on a quiet sine neither did).
// The README says so. µ-law and A-law are lossy too, but their decoded levels encode back to
// the same codes, so they round-trip like PCM.
const std::set<int> kLossy = {SF_FORMAT_IMA_ADPCM,    SF_FORMAT_MS_ADPCM,    SF_FORMAT_GSM610,
                              SF_FORMAT_VOX_ADPCM,    SF_FORMAT_NMS_ADPCM_16, SF_FORMAT_NMS_ADPCM_24,
                              SF_FORMAT_NMS_ADPCM_32, SF_FORMAT_G721_32,     SF_FORMAT_G723_24,
                              SF_FORMAT_G723_40};

constexpr int kChannels = 2;
constexpr int kRate = 8000;

class Scratch {
 public:
  Scratch() : path_(fs::temp_directory_path() / ("augment_audio_round_trip_" + std::to_string(::getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

Bytes read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const fs::path& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out);
}

// Interleaved stereo at the subtype's extremes. Integer-valued subtypes get 32-bit levels
// k / 2^31 over the whole range (libsndfile takes the top bits for shallower files); float
// subtypes also get what float32 cannot hold: 53-bit mantissas, values beyond ±1, ±0,
// subnormals, the float range's ends.
std::vector<double> extreme_values(bool float_subtype) {
  const double step = std::ldexp(1.0, -31);
  std::vector<double> left = {-1.0, 1.0 - step, -1.0 + step, -step, 0.0, step, 0.5, -0.5 - step};
  if (float_subtype) {
    const double values[] = {-0.0,
                             1.0,
                             std::nextafter(1.0, 0.0),
                             -std::nextafter(1.0, 0.0),
                             std::numeric_limits<double>::denorm_min(),
                             -std::numeric_limits<double>::min(),
                             1e-300,
                             3.0 + std::ldexp(1.0, -51),
                             -12345.678901234567,
                             std::numeric_limits<float>::max(),
                             -static_cast<double>(std::numeric_limits<float>::max()),
                             0.1};
    left.insert(left.end(), std::begin(values), std::end(values));
  }
  std::mt19937_64 random(20);
  std::uniform_int_distribution<std::int64_t> level(INT32_MIN, INT32_MAX);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  while (left.size() < 2000) left.push_back(float_subtype ? unit(random) : static_cast<double>(level(random)) * step);
  std::vector<double> out;
  for (std::size_t i = 0; i < left.size(); ++i) {
    out.push_back(left[i]);
    out.push_back((i / 7) % 2 ? 1.0 - step : -1.0);  // a full-scale square
  }
  return out;
}

// Mono codecs (GSM, G.721, NMS ADPCM...) take the two channels one after the other.
std::vector<double> as_mono(const std::vector<double>& stereo) {
  std::vector<double> out;
  for (int c = 0; c < kChannels; ++c)
    for (std::size_t i = static_cast<std::size_t>(c); i < stereo.size(); i += kChannels) out.push_back(stereo[i]);
  return out;
}

// A file of `format` written by libsndfile, stereo or else mono; false when this libsndfile
// does not write the format.
bool write_with_libsndfile(const fs::path& path, int format, std::vector<double> interleaved) {
  SF_INFO info{};
  info.samplerate = kRate;
  info.channels = kChannels;
  info.format = format;
  if (!sf_format_check(&info)) {
    info.channels = 1;
    if (!sf_format_check(&info)) return false;
    interleaved = as_mono(interleaved);
  }
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  if (!file) return false;  // e.g. MPEG layer III in WAV: accepted by sf_format_check, no encoder
  sf_command(file, SFC_SET_CLIPPING, nullptr, SF_TRUE);
  const auto frames = static_cast<sf_count_t>(interleaved.size() / static_cast<std::size_t>(info.channels));
  const bool ok = sf_writef_double(file, interleaved.data(), frames) == frames;
  return sf_close(file) == 0 && ok;
}

struct Decoded {
  int format = 0;
  std::vector<double> values;  // interleaved, as libsndfile decodes them in double
};

Decoded decode_with_libsndfile(const fs::path& path) {
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  REQUIRE(file != nullptr);
  Decoded d{.format = info.format, .values = std::vector<double>(static_cast<std::size_t>(info.frames * info.channels))};
  CHECK(sf_readf_double(file, d.values.data(), info.frames) == info.frames);
  sf_close(file);
  return d;
}

std::string hex(int value) {
  char text[16];
  std::snprintf(text, sizeof text, "%04x", static_cast<unsigned>(value));
  return text;
}

// How many values differ in any bit (−0 from +0 too).
std::size_t bit_differences(const std::vector<double>& a, const std::vector<double>& b) {
  std::size_t n = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    n += std::bit_cast<std::uint64_t>(a[i]) != std::bit_cast<std::uint64_t>(b[i]);
  return n;
}

}  // namespace

TEST_CASE("audio round trips: every subtype libsndfile writes in WAV, FLAC and AIFF keeps every sample, lossy codecs aside") {
  const Scratch dir;
  const auto gain_0db = audio_test::make_op("gain", {{"db", 0.0}});
  int lossless = 0;
  std::set<int> wav_subtypes;
  for (const auto& [major, extension] : {std::pair{SF_FORMAT_WAV, ".wav"}, {SF_FORMAT_FLAC, ".flac"},
                                         {SF_FORMAT_AIFF, ".aiff"}}) {
    for (const int subtype : kSubtypes) {
      const int format = major | subtype;
      const bool float_subtype = subtype == SF_FORMAT_FLOAT || subtype == SF_FORMAT_DOUBLE;
      const fs::path source = dir / ("source" + std::string(extension));
      if (!write_with_libsndfile(source, format, extreme_values(float_subtype))) continue;
      const Decoded original = decode_with_libsndfile(source);
      if (original.values.empty()) {
        MESSAGE("libsndfile writes " << extension << " subtype 0x" << hex(subtype) << " but reads 0 frames back");
        continue;
      }
      const std::string name = std::string(extension) + " subtype 0x" + hex(subtype);
      CAPTURE(name);
      if (major == SF_FORMAT_WAV) wav_subtypes.insert(subtype);
      for (const bool with_gain : {false, true}) {
        CAPTURE(with_gain);
        augment::Sample sample = augment::audio::make_sample(decode_audio(read_bytes(source)));
        if (with_gain) gain_0db->apply(sample, {{"db", 0.0}});
        const fs::path again = dir / ("again" + std::string(extension));
        write_bytes(again, encode_audio(augment::audio::audio_of(sample), extension));
        const Decoded back = decode_with_libsndfile(again);
        CHECK(back.format == original.format);  // container and subtype kept
        REQUIRE(back.values.size() == original.values.size());
        const std::size_t differ = bit_differences(back.values, original.values);
        if (kLossy.contains(subtype)) {
          MESSAGE(name << " (lossy): " << differ << " of " << original.values.size()
                       << " values changed by encoding again");
        } else {
          CHECK(differ == 0);
          if (!with_gain && differ == 0) MESSAGE(name << ": every value kept");
          lossless += !with_gain;
        }
      }
    }
  }
  // WAV: 8/16/24/32-bit, float32/64, µ-law, A-law; FLAC: 8/16/24-bit; AIFF: those of WAV,
  // 8-bit signed and DWVW 16/24.
  CHECK(lossless == 22);
  for (const int subtype : {SF_FORMAT_PCM_U8, SF_FORMAT_PCM_16, SF_FORMAT_PCM_24, SF_FORMAT_PCM_32, SF_FORMAT_FLOAT,
                            SF_FORMAT_DOUBLE})
    CHECK(wav_subtypes.contains(subtype));
}

TEST_CASE("audio round trips: 32-bit and float64 sources keep their values only while the audio is unchanged") {
  const Scratch dir;
  for (const int format : {SF_FORMAT_WAV | SF_FORMAT_PCM_32, SF_FORMAT_WAV | SF_FORMAT_DOUBLE}) {
    CAPTURE(format);
    const bool doubles = (format & SF_FORMAT_SUBMASK) == SF_FORMAT_DOUBLE;
    const fs::path source = dir / "source.wav";
    REQUIRE(write_with_libsndfile(source, format, extreme_values(doubles)));
    const Audio read = decode_audio(read_bytes(source));
    REQUIRE(read.source_channels.size() == kChannels);
    // float rounds these sources: without their own values most samples would change
    Audio floats_only = read;
    floats_only.source_channels.clear();
    write_bytes(dir / "floats.wav", encode_audio(floats_only, ".wav"));
    CHECK(bit_differences(decode_with_libsndfile(dir / "floats.wav").values, decode_with_libsndfile(source).values) >
          1000);
    // Any op that changes a sample: the floats are the audio, the source values are ignored.
    for (const auto& [op, params] : {std::pair{"gain", nlohmann::json{{"db", -1.0}}},
                                     {"time_shift", nlohmann::json{{"shift", 0.001}}}}) {
      CAPTURE(op);
      augment::Sample changed = augment::audio::make_sample(read);
      augment::Sample reference = augment::audio::make_sample(floats_only);
      const auto transform = audio_test::make_op(op, params);
      transform->apply(changed, params);
      transform->apply(reference, params);
      CHECK(encode_audio(augment::audio::audio_of(changed), ".wav") ==
            encode_audio(augment::audio::audio_of(reference), ".wav"));
    }
  }
  // Other sources hold floats only.
  const fs::path source = dir / "source24.wav";
  REQUIRE(write_with_libsndfile(source, SF_FORMAT_WAV | SF_FORMAT_PCM_24, extreme_values(false)));
  CHECK(decode_audio(read_bytes(source)).source_channels.empty());
}

TEST_CASE("audio round trips: a float64 value beyond float's range is an error naming it") {
  const Scratch dir;
  std::vector<double> values = extreme_values(true);
  values[41] = 1e300;  // frame 20, channel 1
  REQUIRE(write_with_libsndfile(dir / "huge.wav", SF_FORMAT_WAV | SF_FORMAT_DOUBLE, values));
  CHECK_THROWS_WITH_AS(decode_audio(read_bytes(dir / "huge.wav")), "channel 1 frame 20 is beyond float's range",
                       augment::DataError);
}

TEST_CASE("audio round trips: an odd-sized data chunk (8-bit mono, GSM 6.10) is not a truncated file") {
  // libsndfile notes "'data' chunk should be an even number of bytes" for these valid files.
  const Scratch dir;
  const fs::path path = dir / "odd.wav";
  SF_INFO info{};
  info.samplerate = kRate;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_U8;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  REQUIRE(file != nullptr);
  const double x[] = {0.5, -0.5, 0.25};
  REQUIRE(sf_writef_double(file, x, 3) == 3);
  sf_close(file);
  const Audio a = decode_audio(read_bytes(path));
  CHECK(a.frames() == 3);
  CHECK(a.channels[0] == std::vector<float>{0.5f, -0.5f, 0.25f});
}
