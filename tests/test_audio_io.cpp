// The audio codec against independent references: WAV files assembled byte by byte here, files
// made and decoded by SoX (tests/fixtures/audio/io/tone24.flac and tone16.aiff, with SoX's text
// decoding beside them as .dat: `sox -R -D -n -r 8000 -b 24 -c 2 tone24.flac synth 0.02 sine 440
// sine 1000 gain -3`, `sox -R -D -n -r 11025 -b 16 -c 1 tone16.aiff synth 0.01 sine 300 gain -1`,
// then `sox X -t dat X.dat`), and the corpus clips' lengths as SoX's soxi reports them; round
// trips through every format and depth; the error cases with their messages.
#include <doctest/doctest.h>

#include <sndfile.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numbers>
#include <sstream>
#include <string>
#include <vector>

#include "augment/audio/audio_codec.hpp"
#include "augment/audio/register_transforms.hpp"
#include "augment/core/error.hpp"
#include "augment/core/limits.hpp"

namespace fs = std::filesystem;
using augment::DataError;
using augment::audio::Audio;
using augment::audio::AudioCodec;
using augment::audio::decode_audio;
using augment::audio::encode_audio;
using augment::audio::output_format;
using Bytes = std::vector<std::uint8_t>;

namespace {

fs::path fixture(const std::string& name) {
  return fs::path(AUGMENT_SOURCE_DIR) / "tests" / "fixtures" / "audio" / "io" / name;
}

class Scratch {
 public:
  explicit Scratch(const std::string& tag)
      : path_(fs::temp_directory_path() / ("augment_audio_io_" + tag + "_" + std::to_string(::getpid()))) {
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

void write_file(const fs::path& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out);
}

void put_le(Bytes& b, std::uint64_t value, int size) {
  for (int i = 0; i < size; ++i) b.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

// A canonical RIFF/WAVE file: fmt chunk (format tag 1 = PCM, 3 = IEEE float), then data.
// `data_size` (bytes) is what the header claims; `payload` what follows it.
Bytes make_wav(int format_tag, int channels, std::uint32_t rate, int bits, const Bytes& payload,
               std::uint32_t data_size) {
  Bytes b;
  b.insert(b.end(), {'R', 'I', 'F', 'F'});
  put_le(b, 36 + data_size, 4);
  b.insert(b.end(), {'W', 'A', 'V', 'E', 'f', 'm', 't', ' '});
  put_le(b, 16, 4);
  put_le(b, static_cast<std::uint64_t>(format_tag), 2);
  put_le(b, static_cast<std::uint64_t>(channels), 2);
  put_le(b, rate, 4);
  const std::uint32_t block = static_cast<std::uint32_t>(channels * bits / 8);
  put_le(b, rate * block, 4);
  put_le(b, block, 2);
  put_le(b, static_cast<std::uint64_t>(bits), 2);
  b.insert(b.end(), {'d', 'a', 't', 'a'});
  put_le(b, data_size, 4);
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

Bytes pcm16(const std::vector<std::int16_t>& interleaved) {
  Bytes b;
  for (const std::int16_t v : interleaved) put_le(b, static_cast<std::uint16_t>(v), 2);
  return b;
}

Bytes wav16(int channels, std::uint32_t rate, const std::vector<std::int16_t>& interleaved) {
  const Bytes payload = pcm16(interleaved);
  return make_wav(1, channels, rate, 16, payload, static_cast<std::uint32_t>(payload.size()));
}

Bytes float_payload(const std::vector<float>& interleaved) {
  Bytes b;
  for (const float v : interleaved) {
    std::uint32_t bits;
    std::memcpy(&bits, &v, 4);
    put_le(b, bits, 4);
  }
  return b;
}

Audio sines(int channels, int rate, std::size_t frames, double amplitude) {
  Audio a;
  a.sample_rate = rate;
  for (int c = 0; c < channels; ++c) {
    std::vector<float> x(frames);
    for (std::size_t i = 0; i < frames; ++i)
      x[i] = static_cast<float>(amplitude * std::sin(2 * std::numbers::pi * (440.0 + 110.0 * c) * double(i) / rate + c));
    a.channels.push_back(std::move(x));
  }
  return a;
}

std::string error_of(const fs::path& path) {
  try {
    AudioCodec().read(path);
  } catch (const DataError& e) {
    return e.what();
  }
  return "(no error)";
}

// SoX's text decoding: after two "; " header lines, a time then one value per channel.
std::vector<std::vector<double>> read_dat(const fs::path& path, int channels) {
  std::ifstream in(path);
  REQUIRE(in);
  std::vector<std::vector<double>> out(static_cast<std::size_t>(channels));
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(";")) continue;
    std::istringstream fields(line);
    double time;
    fields >> time;
    for (auto& channel : out) {
      double v;
      REQUIRE(static_cast<bool>(fields >> v));
      channel.push_back(v);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("audio io: a hand-made 16-bit stereo WAV reads as s/32768 per channel") {
  const Bytes wav = wav16(2, 22050, {0, 16384, -32768, 32767, 1, -1});
  const Audio a = decode_audio(wav);
  CHECK(a.sample_rate == 22050);
  CHECK(a.channel_count() == 2);
  REQUIRE(a.frames() == 3);
  CHECK(a.file_format == (SF_FORMAT_WAV | SF_FORMAT_PCM_16));
  CHECK(a.channels[0] == std::vector<float>{0.0f, -1.0f, 1.0f / 32768});
  CHECK(a.channels[1] == std::vector<float>{0.5f, 32767.0f / 32768, -1.0f / 32768});
}

TEST_CASE("audio io: hand-made 24-bit and float WAVs") {
  Bytes payload;
  for (const std::int32_t v : {0x400000, -0x800000, 0x7FFFFF, -1}) put_le(payload, static_cast<std::uint32_t>(v), 3);
  const Audio a24 = decode_audio(make_wav(1, 1, 8000, 24, payload, 12));
  CHECK(a24.file_format == (SF_FORMAT_WAV | SF_FORMAT_PCM_24));
  CHECK(a24.channels[0] == std::vector<float>{0.5f, -1.0f, float(0x7FFFFF / 8388608.0), float(-1 / 8388608.0)});

  const std::vector<float> values{0.25f, -1.5f, 3.0f, 1e-7f};  // float files keep values beyond ±1
  const Audio af = decode_audio(make_wav(3, 2, 48000, 32, float_payload(values), 16));
  CHECK(af.file_format == (SF_FORMAT_WAV | SF_FORMAT_FLOAT));
  CHECK(af.channels[0] == std::vector<float>{0.25f, 3.0f});
  CHECK(af.channels[1] == std::vector<float>{-1.5f, 1e-7f});
}

TEST_CASE("audio io: FLAC 24-bit and AIFF 16-bit made by SoX read as SoX decodes them") {
  const auto flac = augment::audio::audio_of(AudioCodec().read(fixture("tone24.flac")));
  CHECK(flac.file_format == (SF_FORMAT_FLAC | SF_FORMAT_PCM_24));
  CHECK(flac.sample_rate == 8000);
  const auto flac_ref = read_dat(fixture("tone24.dat"), 2);
  REQUIRE(flac.channel_count() == 2);
  REQUIRE(flac.frames() == flac_ref[0].size());
  CHECK(flac.frames() == 160);
  for (std::size_t c = 0; c < 2; ++c)
    for (std::size_t i = 0; i < flac.frames(); ++i) CHECK(flac.channels[c][i] == doctest::Approx(flac_ref[c][i]).epsilon(1e-9));

  const auto aiff = augment::audio::audio_of(AudioCodec().read(fixture("tone16.aiff")));
  CHECK(aiff.file_format == (SF_FORMAT_AIFF | SF_FORMAT_PCM_16));
  CHECK(aiff.sample_rate == 11025);
  const auto aiff_ref = read_dat(fixture("tone16.dat"), 1);
  REQUIRE(aiff.frames() == aiff_ref[0].size());
  for (std::size_t i = 0; i < aiff.frames(); ++i) CHECK(aiff.channels[0][i] == doctest::Approx(aiff_ref[0][i]).epsilon(1e-9));
}

TEST_CASE("audio io: the corpus clips are 16 kHz mono 16-bit with the lengths soxi reports") {
  const fs::path corpus = fs::path(AUGMENT_SOURCE_DIR) / "corpora" / "audio";
  const auto noise = augment::audio::audio_of(AudioCodec().read(corpus / "noise" / "pink.wav"));
  CHECK(noise.sample_rate == 16000);
  CHECK(noise.channel_count() == 1);
  CHECK(noise.frames() == 48000);  // soxi: 3 s = 48000 samples
  CHECK(noise.file_format == (SF_FORMAT_WAV | SF_FORMAT_PCM_16));
  const auto digit = augment::audio::audio_of(AudioCodec().read(corpus / "digits" / "es" / "3_f3.wav"));
  CHECK(digit.sample_rate == 16000);
  CHECK(digit.frames() == 12767);  // soxi: 00:00:00.80 = 12767 samples
}

TEST_CASE("audio io: round trips through every format and depth keep rate, channels, length and values") {
  struct Case {
    int format;
    const char* extension;
    double tolerance;  // half a step of the depth: rounding to the nearest level
  };
  const Case cases[] = {
      {SF_FORMAT_WAV | SF_FORMAT_PCM_16, ".wav", 0.5 / 32768},
      {SF_FORMAT_WAV | SF_FORMAT_PCM_24, ".wav", 0.5 / 8388608},
      {SF_FORMAT_WAV | SF_FORMAT_PCM_32, ".wav", 1e-7},  // float holds 24 bits: the float is the limit
      {SF_FORMAT_WAV | SF_FORMAT_FLOAT, ".wav", 0.0},
      {SF_FORMAT_FLAC | SF_FORMAT_PCM_16, ".flac", 0.5 / 32768},
      {SF_FORMAT_FLAC | SF_FORMAT_PCM_24, ".flac", 0.5 / 8388608},
      {SF_FORMAT_AIFF | SF_FORMAT_PCM_16, ".aiff", 0.5 / 32768},
      {SF_FORMAT_AIFF | SF_FORMAT_PCM_24, ".aif", 0.5 / 8388608},
      {SF_FORMAT_AIFF | SF_FORMAT_FLOAT, ".aiff", 0.0},
  };
  for (const Case& k : cases) {
    CAPTURE(k.format);
    Audio a = sines(3, 16000, 1000, 0.9);
    a.file_format = k.format;
    const Audio back = decode_audio(encode_audio(a, k.extension));
    CHECK(back.file_format == k.format);
    CHECK(back.sample_rate == 16000);
    REQUIRE(back.channel_count() == 3);
    REQUIRE(back.frames() == 1000);
    double worst = 0;
    for (int c = 0; c < 3; ++c)
      for (std::size_t i = 0; i < 1000; ++i)
        worst = std::max(worst, std::fabs(double(back.channels[c][i]) - a.channels[c][i]));
    CHECK(worst <= k.tolerance);
    CHECK(worst <= 1.0 / 32768);
  }
}

TEST_CASE("audio io: an integer file read and written again keeps every sample") {
  for (const char* extension : {".wav", ".flac", ".aiff"}) {
    CAPTURE(extension);
    Audio a = decode_audio(wav16(1, 8000, {-32768, -12345, -1, 0, 1, 2, 12345, 32767}));
    if (std::string(extension) != ".wav") a = decode_audio(encode_audio(a, extension));
    const Audio again = decode_audio(encode_audio(a, extension));
    CHECK(again.channels == a.channels);
  }
  // and the WAV bytes are those it came from
  const Bytes wav = wav16(2, 8000, {-32768, 32767, 5, -5, 0, 100});
  CHECK(encode_audio(decode_audio(wav), ".wav") == wav);
}

TEST_CASE("audio io: Ogg Vorbis round trip keeps rate, length and the waveform closely") {
  Audio a = sines(2, 16000, 16000, 0.5);
  a.file_format = SF_FORMAT_OGG | SF_FORMAT_VORBIS;
  const Audio back = decode_audio(encode_audio(a, ".ogg"));
  CHECK(back.file_format == (SF_FORMAT_OGG | SF_FORMAT_VORBIS));
  CHECK(back.sample_rate == 16000);
  REQUIRE(back.channel_count() == 2);
  REQUIRE(back.frames() == 16000);
  for (int c = 0; c < 2; ++c) {
    double signal = 0, error = 0;
    for (std::size_t i = 0; i < 16000; ++i) {
      signal += double(a.channels[c][i]) * a.channels[c][i];
      error += std::pow(double(back.channels[c][i]) - a.channels[c][i], 2);
    }
    CHECK(10 * std::log10(signal / error) > 20.0);  // lossy, but the same tone
  }
}

TEST_CASE("audio io: integer formats clip out-of-range values instead of wrapping") {
  Audio a;
  a.sample_rate = 8000;
  a.channels = {{1.5f, -2.0f, 1.0f, 0.999f}};
  a.file_format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  const Audio back = decode_audio(encode_audio(a, ".wav"));
  CHECK(back.channels[0] == std::vector<float>{32767.0f / 32768, -1.0f, 32767.0f / 32768, 32735.0f / 32768});
  a.file_format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
  CHECK(decode_audio(encode_audio(a, ".wav")).channels == a.channels);  // float keeps them
}

TEST_CASE("audio io: the written format follows the extension and the source") {
  const int wav16f = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  CHECK(output_format(wav16f, ".wav") == wav16f);
  CHECK(output_format(wav16f, ".FLAC") == (SF_FORMAT_FLAC | SF_FORMAT_PCM_16));
  CHECK(output_format(wav16f, ".aiff") == (SF_FORMAT_AIFF | SF_FORMAT_PCM_16));
  CHECK(output_format(wav16f, ".ogg") == (SF_FORMAT_OGG | SF_FORMAT_VORBIS));
  CHECK(output_format(SF_FORMAT_WAV | SF_FORMAT_FLOAT, ".flac") == (SF_FORMAT_FLAC | SF_FORMAT_PCM_24));
  CHECK(output_format(SF_FORMAT_WAV | SF_FORMAT_PCM_32, ".flac") == (SF_FORMAT_FLAC | SF_FORMAT_PCM_24));
  CHECK(output_format(SF_FORMAT_FLAC | SF_FORMAT_PCM_24, ".wav") == (SF_FORMAT_WAV | SF_FORMAT_PCM_24));
  CHECK(output_format(SF_FORMAT_OGG | SF_FORMAT_VORBIS, ".wav") == (SF_FORMAT_WAV | SF_FORMAT_FLOAT));
  CHECK(output_format(0, ".wav") == (SF_FORMAT_WAV | SF_FORMAT_FLOAT));
  CHECK(output_format(0, ".flac") == (SF_FORMAT_FLAC | SF_FORMAT_PCM_24));
  CHECK_THROWS_WITH_AS(output_format(0, ".mp3"), "cannot write '.mp3': not an audio format (.wav .flac .ogg .aiff .aif)",
                       DataError);
  // written through: a 16-bit WAV source saved as FLAC is a 16-bit FLAC
  Audio a = decode_audio(wav16(1, 8000, {1, 2, 3}));
  CHECK(decode_audio(encode_audio(a, ".flac")).file_format == (SF_FORMAT_FLAC | SF_FORMAT_PCM_16));
}

TEST_CASE("audio io: equal audio gives equal bytes in every format") {
  Audio a = sines(2, 16000, 4000, 0.5);
  for (const char* extension : {".wav", ".flac", ".ogg", ".aiff"}) {
    CAPTURE(extension);
    const Bytes first = encode_audio(a, extension);
    const Bytes second = encode_audio(a, extension);
    CHECK(first == second);
    if (std::string(extension) == ".wav") {  // float WAV: no PEAK chunk with the time in it
      const std::string text(first.begin(), first.end());
      CHECK(text.find("PEAK") == std::string::npos);
    }
  }
  // libsndfile would give each Ogg stream a clock-seeded serial number; the codec fixes it
  // and the pages' checksums still hold (libsndfile decodes the result).
  const Bytes ogg = encode_audio(a, ".ogg");
  REQUIRE(ogg.size() > 18);
  CHECK(ogg[14] == 0x31);
  CHECK(decode_audio(ogg).frames() == 4000);
}

TEST_CASE("audio io: the codec writes through a stream and is registered for its extensions") {
  augment::Registry registry;
  augment::audio::register_transforms(registry);
  for (const char* extension : {".wav", ".flac", ".ogg", ".aiff", ".aif"})
    CHECK(registry.codec_for(augment::Kind::audio, extension) != nullptr);
  const auto* codec = registry.codec_for(augment::Kind::audio, ".wav");
  REQUIRE(codec != nullptr);
  std::ostringstream out;
  const Audio a = decode_audio(wav16(1, 8000, {7, 8, 9}));
  codec->write(augment::audio::make_sample(a), ".wav", out);
  const std::string bytes = out.str();
  CHECK(Bytes(bytes.begin(), bytes.end()) == wav16(1, 8000, {7, 8, 9}));
}

TEST_CASE("audio io: unusable files are DataErrors naming the file and the reason") {
  Scratch dir("errors");
  const auto path_of = [&](const std::string& name, const Bytes& bytes) {
    const fs::path p = dir / name;
    write_file(p, bytes);
    return p;
  };

  const fs::path missing = dir / "missing.wav";
  CHECK(error_of(missing) == missing.string() + ": no such file");

  const fs::path empty = path_of("empty.wav", {});
  CHECK(error_of(empty) == empty.string() + ": empty file");

  const fs::path text = path_of("text.wav", Bytes{'h', 'e', 'l', 'l', 'o', ' ', 'a', 'u', 'd', 'i', 'o', '\n'});
  CHECK(error_of(text).starts_with(text.string() + ": not an audio file libsndfile reads: "));

  // A WAV chopped after 100 of its 1000 frames: the header still says 1000.
  std::vector<std::int16_t> samples(1000, 1000);
  Bytes chopped = wav16(1, 8000, samples);
  chopped.resize(44 + 200);
  const fs::path truncated = path_of("truncated.wav", chopped);
  CHECK(error_of(truncated) == truncated.string() + ": truncated: the header's data chunk is longer than the file "
                                                    "(100 frames are there)");

  // A FLAC cut in half: its STREAMINFO promises more frames than the data decodes to.
  Audio long_audio = sines(1, 8000, 40000, 0.5);
  long_audio.file_format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
  Bytes flac = encode_audio(long_audio, ".flac");
  flac.resize(flac.size() / 2);
  const fs::path cut_flac = path_of("cut.flac", flac);
  CHECK(error_of(cut_flac).starts_with(cut_flac.string() + ": truncated: the header promises 40000 frames, the file holds "));

  const fs::path no_frames = path_of("no_frames.wav", wav16(1, 8000, {}));
  CHECK(error_of(no_frames) == no_frames.string() + ": no audio: the file holds 0 frames");

  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  const fs::path with_nan = path_of("nan.wav", make_wav(3, 1, 8000, 32, float_payload({0.0f, 0.5f, nan}), 12));
  CHECK(error_of(with_nan) == with_nan.string() + ": channel 0 frame 2 is NaN");
  const fs::path with_inf = path_of("inf.wav", make_wav(3, 2, 8000, 32, float_payload({0.0f, 0.5f, 0.1f, -inf}), 16));
  CHECK(error_of(with_inf) == with_inf.string() + ": channel 1 frame 1 is infinite");

  const fs::path rate0 = path_of("rate0.wav", make_wav(1, 1, 0, 16, pcm16({1, 2}), 4));
  CHECK(error_of(rate0) == rate0.string() + ": sample rate is 0 Hz");
}

TEST_CASE("audio io: writing what a format cannot hold is a DataError") {
  Audio nine = sines(9, 8000, 10, 0.1);
  CHECK_THROWS_WITH_AS(encode_audio(nine, ".flac"),
                       "cannot write 9 channel(s) at 8000 Hz as .flac (libsndfile refuses that channel count or rate for the format)",
                       DataError);
  CHECK(decode_audio(encode_audio(nine, ".wav")).channel_count() == 9);  // WAV takes any count
  Audio bad = sines(1, 8000, 10, 0.1);
  bad.channels[0][3] = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_WITH_AS(encode_audio(bad, ".wav"), "cannot write the audio: channel 0 frame 3 is not finite", DataError);
}

TEST_CASE("audio io: the header's frames x channels are checked against audio_samples before allocating") {
  // A FLAC whose STREAMINFO declares 2^35 frames (36-bit field) while holding 400: without the
  // check, the decoder would ask for 128 GiB.
  Audio short_audio = sines(2, 8000, 400, 0.5);
  short_audio.file_format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
  Bytes flac = encode_audio(short_audio, ".flac");
  REQUIRE(std::memcmp(flac.data(), "fLaC", 4) == 0);
  // "fLaC", block header (4), then STREAMINFO: block sizes (4), frame sizes (6), 20 bits of rate,
  // 3 of channels - 1, 5 of bits - 1, 36 of total frames; so the frames start at bit 4 of byte 21.
  flac[21] = static_cast<std::uint8_t>((flac[21] & 0xF0) | 0x08);
  for (std::size_t i = 22; i < 26; ++i) flac[i] = 0;
  CHECK_THROWS_WITH_AS(decode_audio(flac),
                       "audio of 34359738368 frames x 2 channels: 68719476736 is over the audio_samples limit of "
                       "1073741824 (raise it with --limit audio_samples=N)",
                       DataError);

  // A whole file over a lowered limit, and the same file once the limit allows it.
  const augment::Limits saved = augment::limits();
  augment::Limits lowered = saved;
  lowered.audio_samples = 799;
  augment::set_limits(lowered);
  const Bytes wav = encode_audio(short_audio, ".wav");
  CHECK_THROWS_WITH_AS(decode_audio(wav),
                       "audio of 400 frames x 2 channels: 800 is over the audio_samples limit of 799 (raise it with "
                       "--limit audio_samples=N)",
                       DataError);
  lowered.audio_samples = 800;
  augment::set_limits(lowered);
  CHECK(decode_audio(wav).frames() == 400);
  augment::set_limits(saved);
}
