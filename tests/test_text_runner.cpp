// Text through the dataset runner: a folder of .txt files with normalize + strip_accents
// (outputs byte-exact as worked out by hand, the same bytes with 1 and 2 jobs, an invalid UTF-8
// file reported with its offset while the others are written).
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "augment/core/pipeline.hpp"
#include "augment/runner/run_dataset.hpp"
#include "augment/text/register_transforms.hpp"
#include "file_test_helpers.hpp"

namespace fs = std::filesystem;

using file_test::read_all;
using file_test::write_all;

TEST_CASE("text runner: normalize and strip_accents over a folder, the same bytes with 1 and 2 jobs, bad UTF-8 reported") {
  const fs::path root = fs::temp_directory_path() / ("augment-text-runner-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "in" / "sub");
  // NFD input with a fullwidth letter, the ﬁ ligature and a BOM; NFKC + strip (keeping ñ, ü).
  write_all(root / "in" / "a.txt", "\xEF\xBB\xBF" "An\xCC\x83o nin\xCC\x83o \xEF\xAC\x81n \xEF\xBC\xA1\r\n");
  write_all(root / "in" / "sub" / "b.txt", "\xC2\xBFPing\xC3\xBCino? Canci\xC3\xB3n \xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\n");
  write_all(root / "in" / "empty.txt", "");
  write_all(root / "in" / "bad.txt", "ok\n\xE2\x82");
  write_all(root / "in" / "image.png", "not text");

  augment::Registry registry;
  augment::text::register_transforms(registry);
  const auto pipeline = augment::Pipeline::from_json(
      {{"kind", "text"},
       {"stages", {{{"op", "normalize"}, {"form", "nfkc"}}, {{"op", "strip_accents"}}}}},
      registry);

  std::vector<std::string> errors;
  const auto run = [&](const std::string& out, std::size_t jobs) {
    augment::runner::DatasetRunOptions o;
    o.input = root / "in";
    o.output = root / out;
    o.seed = 7;
    o.jobs = jobs;
    o.on_error = [&](const std::string& e) { errors.push_back(e); };
    return augment::runner::run_dataset(pipeline, registry, o);
  };
  const auto one = run("out1", 1);
  const auto two = run("out2", 2);
  CHECK(one.written == 3);
  CHECK(one.failed == 1);
  CHECK(one.ignored == 1);
  CHECK(two.written == 3);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].find((root / "in" / "bad.txt").string() + ": invalid UTF-8 at byte 3") != std::string::npos);

  CHECK(read_all(root / "out1" / "a.txt") == "A\xC3\xB1o ni\xC3\xB1o fin A\r\n");  // Año niño fin A
  CHECK(read_all(root / "out1" / "sub" / "b.txt") ==
        "\xC2\xBFPing\xC3\xBCino? Cancion \xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\n");
  CHECK(read_all(root / "out1" / "empty.txt").empty());
  CHECK_FALSE(fs::exists(root / "out1" / "bad.txt"));
  for (const char* name : {"a.txt", "sub/b.txt", "empty.txt", "manifest.csv"}) {
    CAPTURE(name);
    CHECK(read_all(root / "out1" / name) == read_all(root / "out2" / name));
  }
  fs::remove_all(root);
}
