// The .npy spectrogram codec (against files numpy wrote) and Spectrogram::info / set_info.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include <doctest/doctest.h>

#include "augment/audio/register_transforms.hpp"
#include "augment/audio/spectrogram_codec.hpp"
#include "augment/audio/stft.hpp"
#include "augment/core/error.hpp"
#include "test_spectrogram_fixture.hpp"

using namespace augment::audio;
using augment::DataError;
namespace fs = std::filesystem;

namespace {

const fs::path fixtures = fs::path(AUGMENT_FIXTURES) / "audio" / "spectrogram";

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("augment_spectrogram_codec_" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

void write_file(const fs::path& file, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(file, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::vector<std::uint8_t> read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Spectrogram small_spectrogram() {
  Spectrogram s;
  s.channels = 2, s.bins = 3, s.frames = 4;
  for (int i = 0; i < 24; ++i) s.values.push_back(static_cast<float>(i) / 8 - 1);
  s.sample_rate = 16000;
  s.n_fft = 4, s.win_length = 4, s.hop_length = 2;
  s.source_length = 6;
  return s;
}

}  // namespace

TEST_CASE("npy files written by numpy read back: float32 3-D, float64 2-D and complex64") {
  const SpectrogramCodec codec;
  const Spectrogram f4 = spectrogram_of(codec.read(fixtures / "numpy_f4_3d.npy"));
  CHECK(std::vector<int>{f4.channels, f4.bins, f4.frames} == std::vector<int>{2, 3, 4});
  CHECK(f4.values == small_spectrogram().values);
  CHECK(f4.sample_rate == 0);  // no companion JSON: unknown

  const Spectrogram f8 = spectrogram_of(codec.read(fixtures / "numpy_f8_2d.npy"));
  CHECK(std::vector<int>{f8.channels, f8.bins, f8.frames} == std::vector<int>{1, 3, 5});
  CHECK(f8.values.front() == -1.0f);
  CHECK(f8.values[7] == 0.0f);
  CHECK(f8.values.back() == 1.0f);

  const Spectrogram c8 = spectrogram_of(codec.read(fixtures / "numpy_c8_3d.npy"));
  REQUIRE(c8.is_complex());
  CHECK(c8.power == 0.0);
  // small + 1j·small[::-1]: the imaginary part of channel 0 is channel 1's real part.
  CHECK(c8.complex_values[0] == std::complex<float>(-1.0f, 0.5f));
  CHECK(c8.complex_values[23] == std::complex<float>(1.875f, 0.375f));
}

TEST_CASE("written npy has numpy's 1.0 header, byte for byte, and reads back identically") {
  const Spectrogram s = small_spectrogram();
  const std::vector<std::uint8_t> bytes = encode_npy(s);
  // numpy.save of the same float32 (2, 3, 4) array writes this very file.
  CHECK(bytes == read_file(fixtures / "numpy_f4_3d.npy"));
  REQUIRE(bytes.size() == 128 + 24 * 4);
  const std::string header(bytes.begin() + 10, bytes.begin() + 128);
  CHECK(header.starts_with("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), }"));
  CHECK(header.back() == '\n');

  Spectrogram complex_spec = s;
  complex_spec.values.clear();
  for (int i = 0; i < 24; ++i) complex_spec.complex_values.emplace_back(static_cast<float>(i), -static_cast<float>(i));
  const Spectrogram back = decode_npy(encode_npy(complex_spec));
  CHECK(back.complex_values == complex_spec.complex_values);
  // numpy's complex64 file: small + 1j·small[::-1] (channel order reversed for the imaginary part).
  Spectrogram numpy_complex = s;
  numpy_complex.values.clear();
  for (std::size_t i = 0; i < 24; ++i) numpy_complex.complex_values.emplace_back(s.values[i], s.values[(i + 12) % 24]);
  CHECK(encode_npy(numpy_complex) == read_file(fixtures / "numpy_c8_3d.npy"));
  const std::vector<std::uint8_t> complex_bytes = encode_npy(complex_spec);
  CHECK(std::string(complex_bytes.begin() + 10, complex_bytes.begin() + 26) == "{'descr': '<c8',");
}

TEST_CASE("write and write_companions save values and info; read restores both") {
  TempDir dir;
  const SpectrogramCodec codec;
  augment::audio::Audio audio;
  audio.sample_rate = 8000;
  audio.channels = {std::vector<float>(800, 0.25f), std::vector<float>(800, -0.5f)};
  for (int k = 0; k < 800; ++k) audio.channels[0][static_cast<std::size_t>(k)] += 0.1f * static_cast<float>(k % 7);
  for (const bool complex_values : {false, true}) {
    const Spectrogram s = complex_values ? stft(audio, {.n_fft = 128, .window = WindowKind::hamming, .normalized = true})
                                         : spectrogram(audio, {.n_fft = 128, .hop_length = 32}, 1.0);
    const fs::path file = dir.path / (complex_values ? "complex.npy" : "real.npy");
    const augment::Sample sample = make_sample(s);
    std::ostringstream out;
    codec.write(sample, ".npy", out);
    const std::string encoded = out.str();
    write_file(file, {encoded.begin(), encoded.end()});
    codec.write_companions(sample, file, augment::Durability::atomic_only);
    REQUIRE(fs::exists(companion_path(file)));
    const Spectrogram back = spectrogram_of(codec.read(file));
    CHECK(back.values == s.values);
    CHECK(back.complex_values == s.complex_values);
    CHECK(back.info() == s.info());
  }
  // The real one as numpy sees it: run
  //   /usr/bin/python3 tests/fixtures/audio/make_spectrogram_fixtures.py --check-npy FILE EXPECTED
  // by hand; here the header of the larger file is checked.
  const auto bytes = read_file(dir.path / "real.npy");
  CHECK(std::string(bytes.begin() + 10, bytes.begin() + 128).starts_with("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 65, 26), }"));
}

TEST_CASE("truncated, corrupt or unsupported npy files are DataErrors naming the file") {
  TempDir dir;
  const SpectrogramCodec codec;
  const std::vector<std::uint8_t> good = encode_npy(small_spectrogram());
  auto error_for = [&](const std::vector<std::uint8_t>& bytes) {
    const fs::path file = dir.path / "bad.npy";
    write_file(file, bytes);
    try {
      (void)codec.read(file);
    } catch (const DataError& e) {
      const std::string m = e.what();
      CHECK(m.starts_with(file.string() + ": "));
      return m;
    }
    FAIL("expected a DataError");
    return std::string();
  };
  CHECK(error_for({}).find("empty file") != std::string::npos);
  CHECK(error_for({good.begin(), good.begin() + 40}).find("truncated .npy header") != std::string::npos);
  CHECK(error_for({good.begin(), good.end() - 1}).find("truncated .npy data") != std::string::npos);
  CHECK(error_for({'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0, 0}).find("not a NumPy") != std::string::npos);
  auto with_header = [&](std::string from, std::string to) {
    std::vector<std::uint8_t> bytes = good;
    const std::string text(bytes.begin(), bytes.end());
    const std::size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    REQUIRE(from.size() == to.size());
    std::copy(to.begin(), to.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at));
    return bytes;
  };
  CHECK(error_for(with_header("'<f4'", "'<i4'")).find("unsupported .npy dtype '<i4'") != std::string::npos);
  CHECK(error_for(with_header("'<f4'", "'>f4'")).find("unsupported .npy dtype") != std::string::npos);
  CHECK(error_for(with_header("False", "True ")).find("Fortran") != std::string::npos);
  CHECK(error_for(with_header("(2, 3, 4)", "(2, 3, 0)")).find("empty") != std::string::npos);
  CHECK(error_for(with_header("(2, 3, 4)", "(2, 3, 9)")).find("truncated .npy data") != std::string::npos);
  CHECK(error_for(with_header("(2, 3, 4)", "(24,)    ")).find("3-D") != std::string::npos);
  std::vector<std::uint8_t> nan_bytes = good;
  nan_bytes[128] = 0x00, nan_bytes[129] = 0x00, nan_bytes[130] = 0xC0, nan_bytes[131] = 0x7F;  // first value: NaN
  CHECK(error_for(nan_bytes).find("NaN") != std::string::npos);

  // A companion that is not valid info names the companion file and the field.
  const fs::path file = dir.path / "x.npy";
  write_file(file, good);
  std::ofstream(companion_path(file)) << R"({"n_fft": "four"})";
  CHECK_THROWS_WITH_AS((void)codec.read(file), doctest::Contains("x.json: n_fft must be an integer"), DataError);
  std::ofstream(companion_path(file)) << "{not json";
  CHECK_THROWS_AS((void)codec.read(file), DataError);
  std::ofstream(companion_path(file)) << R"({"power": 0})";
  CHECK_THROWS_WITH_AS((void)codec.read(file), doctest::Contains("does not fit"), DataError);
}

TEST_CASE("info and set_info round trip and name a bad field") {
  Spectrogram s = small_spectrogram();
  s.window = "hamming";
  s.frequency_scale = "mel";
  s.decibels = true;
  s.mel = {{"n_mels", 3}, {"f_min", 0.0}, {"f_max", 8000.0}, {"mel_scale", "slaney"}, {"norm", "slaney"}};
  Spectrogram back;
  back.set_info(nlohmann::json::parse(s.info().dump()));
  CHECK(back.info() == s.info());
  CHECK(back.source_length == 6);
  CHECK_THROWS_WITH_AS(back.set_info({{"window", "blackman"}}), doctest::Contains("window must be one of hann, hamming"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(back.set_info({{"hop_length", -1}}), doctest::Contains("hop_length"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(back.set_info({{"power", "two"}}), doctest::Contains("power"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(back.set_info({{"center", 1}}), doctest::Contains("center"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(back.set_info({{"source_length", -5}}), doctest::Contains("source_length"), std::invalid_argument);
  CHECK_THROWS_AS(back.set_info(nlohmann::json::array()), std::invalid_argument);
}

TEST_CASE("the spectrogram codec is registered for .npy") {
  augment::Registry registry;
  register_transforms(registry);
  const auto* codec = registry.codec_for(augment::Kind::spectrogram, ".npy");
  REQUIRE(codec);
  CHECK(codec->extensions() == std::vector<std::string>{".npy"});
  CHECK_FALSE(registry.codec_for(augment::Kind::spectrogram, ".json"));
}
