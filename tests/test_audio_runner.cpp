// Audio through the dataset runner: a folder of WAVs with a random gain + time_shift pipeline
// (outputs exist, the same bytes with 1 and 2 jobs, a corrupt file reported while the others
// are written) and the corpus manifest corpora/audio/digits.csv with its label columns.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <sstream>
#include <string>
#include <vector>

#include "augment/audio/audio_codec.hpp"
#include "augment/audio/register_transforms.hpp"
#include "augment/core/csv.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/runner/run_dataset.hpp"
#include "file_test_helpers.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

using file_test::read_all;

namespace {

void write_tone(const fs::path& path, double frequency, int format) {
  augment::audio::Audio a;
  a.sample_rate = 8000;
  a.file_format = format;
  std::vector<float> x(4000);
  for (std::size_t i = 0; i < x.size(); ++i)
    x[i] = static_cast<float>(0.4 * std::sin(2 * std::numbers::pi * frequency * double(i) / 8000));
  a.channels = {x, x};
  const auto bytes = augment::audio::encode_audio(a, path.extension().string());
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

}  // namespace

TEST_CASE("audio runner: gain and time_shift over a folder, the same bytes with 1 and 2 jobs, a corrupt file reported") {
  const fs::path root = fs::temp_directory_path() / ("augment-audio-runner-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "in" / "sub");
  write_tone(root / "in" / "a.wav", 440, 0x010002);          // WAV 16-bit
  write_tone(root / "in" / "b.flac", 660, 0x170003);         // FLAC 24-bit
  write_tone(root / "in" / "sub" / "c.wav", 880, 0x010006);  // WAV float
  std::ofstream(root / "in" / "broken.wav") << "RIFF but not really a wave file";
  std::ofstream(root / "in" / "notes.txt") << "ignored";

  augment::Registry registry;
  augment::audio::register_transforms(registry);
  const auto pipeline = augment::Pipeline::from_json(
      {{"kind", "audio"},
       {"stages", {{{"op", "gain"}, {"db", {-6.0, 6.0}}}, {{"op", "time_shift"}, {"shift", {-0.1, 0.1}}}}}},
      registry);

  std::vector<std::string> errors;
  const auto run = [&](const std::string& out, std::size_t jobs) {
    augment::runner::DatasetRunOptions o;
    o.input = root / "in";
    o.output = root / out;
    o.seed = 42;
    o.copies = 2;
    o.jobs = jobs;
    o.on_error = [&](const std::string& e) { errors.push_back(e); };
    return augment::runner::run_dataset(pipeline, registry, o);
  };
  const auto one = run("out1", 1);
  const auto two = run("out2", 2);
  CHECK(one.written == 6);
  CHECK(one.failed == 1);
  CHECK(one.ignored == 1);
  CHECK(two.written == 6);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].starts_with((root / "in" / "broken.wav").string() + ": not an audio file libsndfile reads: "));

  for (const char* name : {"a_0.wav", "a_1.wav", "b_0.flac", "b_1.flac", "sub/c_0.wav", "sub/c_1.wav"}) {
    CAPTURE(name);
    REQUIRE(fs::exists(root / "out1" / name));
    CHECK(read_all(root / "out1" / name) == read_all(root / "out2" / name));
    // kept container and depth, rate, channels and length
    const auto out = augment::audio::audio_of(augment::audio::AudioCodec().read(root / "out1" / name));
    const auto in = augment::audio::audio_of(augment::audio::AudioCodec().read(
        root / "in" / (std::string(name).replace(std::string(name).rfind('_'), 2, ""))));
    CHECK(out.file_format == in.file_format);
    CHECK(out.sample_rate == 8000);
    CHECK(out.channel_count() == 2);
    CHECK(out.frames() == 4000);
  }
  CHECK(read_all(root / "out1" / "manifest.csv") == read_all(root / "out2" / "manifest.csv"));
  CHECK(read_all(root / "out1" / "a_0.wav") != read_all(root / "out1" / "a_1.wav"));  // two different draws

  // The recorded params replay to the same output.
  augment::CsvReader manifest(root / "out1" / "manifest.csv");
  augment::CsvRow row;
  REQUIRE(manifest.next(row));
  CHECK(row.fields[1] == "a_0.wav");
  augment::Sample sample = augment::audio::AudioCodec().read(root / "in" / "a.wav");
  pipeline.replay(sample, json::parse(row.fields.back()));
  std::ostringstream replayed;
  augment::audio::AudioCodec().write(sample, ".wav", replayed);
  CHECK(replayed.str() == read_all(root / "out1" / "a_0.wav"));
  fs::remove_all(root);
}

TEST_CASE("audio runner: the digits corpus manifest runs with its labels kept") {
  const fs::path root = fs::temp_directory_path() / ("augment-audio-runner-digits-" + std::to_string(::getpid()));
  fs::remove_all(root);
  augment::Registry registry;
  augment::audio::register_transforms(registry);
  const auto pipeline = augment::Pipeline::from_json(
      {{"kind", "audio"}, {"stages", {{{"op", "trim_silence"}, {"top_db", 40}}, {{"op", "normalize"}}}}}, registry);
  augment::runner::DatasetRunOptions o;
  o.input = fs::path(AUGMENT_SOURCE_DIR) / "corpora" / "audio" / "digits.csv";
  o.output = root;
  o.jobs = 2;
  const auto summary = augment::runner::run_dataset(pipeline, registry, o);
  CHECK(summary.failed == 0);
  CHECK(summary.written == 40);
  augment::CsvReader manifest(root / "manifest.csv");
  CHECK(manifest.header() == std::vector<std::string>{"index", "path", "source", "copy", "label", "language", "voice", "params"});
  augment::CsvRow row;
  REQUIRE(manifest.next(row));
  CHECK(row.fields[1] == "digits/en/0_m3.wav");
  CHECK(row.fields[4] == "0");
  CHECK(row.fields[5] == "en");
  CHECK(row.fields[6] == "en-us+m3");
  const auto trimmed = augment::audio::audio_of(augment::audio::AudioCodec().read(root / "digits" / "en" / "0_m3.wav"));
  const auto source = augment::audio::audio_of(augment::audio::AudioCodec().read(
      fs::path(AUGMENT_SOURCE_DIR) / "corpora" / "audio" / "digits" / "en" / "0_m3.wav"));
  CHECK(trimmed.frames() < source.frames());  // espeak-ng leaves silence around the word
  fs::remove_all(root);
}
