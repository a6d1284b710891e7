// The .txt codec: bytes kept exactly, a BOM dropped, invalid UTF-8 an error with the file and
// offset (or repaired, by option), an empty file an empty text, the language from a manifest.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "augment/core/error.hpp"
#include "augment/core/registry.hpp"
#include "augment/text/register_transforms.hpp"
#include "augment/text/text_codec.hpp"

namespace fs = std::filesystem;
using augment::text::TextCodec;

namespace {

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("augment-text-codec-" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
  fs::path write(const std::string& name, const std::string& bytes) const {
    std::ofstream(path / name, std::ios::binary) << bytes;
    return path / name;
  }
};

std::string written(const augment::Sample& sample) {
  std::ostringstream out;
  TextCodec().write(sample, ".txt", out);
  return out.str();
}

}  // namespace

TEST_CASE("text codec reads the bytes as they are and writes them back") {
  TempDir dir;
  const std::string body = "\xC2\xBFQu\xC3\xA9 tal?\r\n\tdos  espacios\xC2\xA0nbsp \xF0\x9F\x87\xAA\xF0\x9F\x87\xB8\n\n";
  const auto sample = TextCodec().read(dir.write("a.txt", body));
  CHECK(sample.kind() == augment::Kind::text);
  CHECK(augment::text::text_of(sample).utf8 == body);
  CHECK(augment::text::text_of(sample).language.empty());
  CHECK(written(sample) == body);
}

TEST_CASE("text codec drops a UTF-8 BOM and never writes one") {
  TempDir dir;
  const auto sample = TextCodec().read(dir.write("bom.txt", "\xEF\xBB\xBFhola"));
  CHECK(augment::text::text_of(sample).utf8 == "hola");
  CHECK(written(sample) == "hola");
  // Only the first BOM is a mark: a second is text (U+FEFF).
  CHECK(augment::text::text_of(TextCodec().read(dir.write("two.txt", "\xEF\xBB\xBF\xEF\xBB\xBFx"))).utf8 ==
        "\xEF\xBB\xBFx");
}

TEST_CASE("text codec reports invalid UTF-8 with the path and the byte offset in the file") {
  TempDir dir;
  const auto bad = dir.write("bad.txt", "ok \xC3\x28");
  CHECK_THROWS_WITH_AS(TextCodec().read(bad), (bad.string() + ": invalid UTF-8 at byte 3").c_str(), augment::DataError);
  const auto bad_bom = dir.write("bad_bom.txt", "\xEF\xBB\xBF" "ab\xFF");
  CHECK_THROWS_WITH_AS(TextCodec().read(bad_bom), (bad_bom.string() + ": invalid UTF-8 at byte 5").c_str(),
                       augment::DataError);
  // By option, repaired instead.
  const auto repaired = TextCodec(augment::text::InvalidUtf8::repair).read(bad);
  CHECK(augment::text::text_of(repaired).utf8 == "ok \xEF\xBF\xBD(");
}

TEST_CASE("text codec: an empty file is an empty text, a missing one an error") {
  TempDir dir;
  CHECK(augment::text::text_of(TextCodec().read(dir.write("empty.txt", ""))).utf8.empty());
  CHECK(augment::text::text_of(TextCodec().read(dir.write("bom_only.txt", "\xEF\xBB\xBF"))).utf8.empty());
  CHECK_THROWS_AS(TextCodec().read(dir.path / "missing.txt"), augment::DataError);
  CHECK_THROWS_AS(TextCodec().read(dir.path), augment::DataError);
}

TEST_CASE("text codec takes the language from the manifest column") {
  TempDir dir;
  const auto file = dir.write("es.txt", "hola");
  const auto sample = TextCodec().read_with_columns(file, {{"label", "greeting"}, {"language", "es"}});
  CHECK(augment::text::text_of(sample).language == "es");
  CHECK(augment::text::text_of(TextCodec().read_with_columns(file, {{"label", "x"}})).language.empty());
}

TEST_CASE("text codec is registered for .txt and writes joined tokens") {
  augment::Registry registry;
  augment::text::register_transforms(registry);
  const auto* codec = registry.codec_for(augment::Kind::text, ".txt");
  REQUIRE(codec != nullptr);
  CHECK(codec->extensions() == std::vector<std::string>{".txt"});
  augment::text::Tokens tokens;
  tokens.pieces = {{"a", true, 0}, {" ", false, 1}, {"b", true, 2}};
  CHECK(written(augment::text::make_sample(tokens)) == "a b");
}
