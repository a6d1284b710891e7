#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include "augment/core/atomic_file.hpp"
#include "augment/core/error.hpp"

namespace fs = std::filesystem;
using augment::AtomicOutputFile;

namespace {

/// A fresh folder under the system temp folder, removed with everything in it.
struct ScratchFolder {
  fs::path path;
  ScratchFolder() {
    std::random_device random;
    path = fs::temp_directory_path() /
           ("augment-atomic-test-" + std::to_string(random()) + std::to_string(random()));
    fs::create_directories(path);
  }
  ~ScratchFolder() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
};

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t entries_in(const fs::path& folder) {
  return static_cast<std::size_t>(
      std::distance(fs::directory_iterator(folder), fs::directory_iterator()));
}

}  // namespace

TEST_CASE("a committed file holds what was written and no temporary file remains") {
  ScratchFolder scratch;
  const auto target = scratch.path / "out.csv";
  {
    AtomicOutputFile file(target);
    CHECK(file.temp_path().parent_path() == scratch.path);
    CHECK(file.temp_path().filename().string().starts_with(".out.csv.tmp."));
    file.stream() << "a,b\n1,2\n";
    CHECK_FALSE(fs::exists(target));  // invisible until commit
    file.commit();
  }
  CHECK(read_all(target) == "a,b\n1,2\n");
  CHECK(entries_in(scratch.path) == 1);
}

TEST_CASE("commit replaces an existing file") {
  ScratchFolder scratch;
  const auto target = scratch.path / "out.txt";
  std::ofstream(target) << "old";
  AtomicOutputFile file(target);
  file.stream() << "new";
  CHECK(read_all(target) == "old");
  file.commit();
  CHECK(read_all(target) == "new");
  CHECK_THROWS_AS(file.commit(), augment::UsageError);
}

TEST_CASE("an abandoned file leaves neither the target nor a temporary file") {
  ScratchFolder scratch;
  const auto target = scratch.path / "out.csv";
  {
    AtomicOutputFile file(target);
    file.stream() << "partial";
    CHECK(fs::exists(file.temp_path()));
  }
  CHECK_FALSE(fs::exists(target));
  CHECK(entries_in(scratch.path) == 0);
}

TEST_CASE("an abandoned rewrite keeps the old content") {
  ScratchFolder scratch;
  const auto target = scratch.path / "out.txt";
  std::ofstream(target) << "old";
  {
    AtomicOutputFile file(target);
    file.stream() << "new";
  }
  CHECK(read_all(target) == "old");
  CHECK(entries_in(scratch.path) == 1);
}

TEST_CASE("a failed stream makes commit throw and leaves nothing behind") {
  ScratchFolder scratch;
  const auto target = scratch.path / "out.csv";
  AtomicOutputFile file(target);
  file.stream() << "data";
  file.stream().setstate(std::ios::badbit);
  CHECK_THROWS_WITH_AS(file.commit(), doctest::Contains((target.string() + ": write failed: ").c_str()),
                       augment::DataError);
  CHECK_FALSE(fs::exists(target));
  CHECK(entries_in(scratch.path) == 0);
}

TEST_CASE("opening in a missing folder throws DataError naming the path") {
  ScratchFolder scratch;
  const auto target = scratch.path / "missing" / "out.csv";
  CHECK_THROWS_WITH_AS(AtomicOutputFile{target},
                       doctest::Contains(target.string().c_str()), augment::DataError);
  CHECK_FALSE(fs::exists(scratch.path / "missing"));
}

TEST_CASE("a moved file is committed or cleaned up exactly once") {
  ScratchFolder scratch;
  const auto kept = scratch.path / "kept.txt";
  const auto dropped = scratch.path / "dropped.txt";
  {
    AtomicOutputFile first(kept);
    std::ostream& out = first.stream();
    AtomicOutputFile moved(std::move(first));
    out << "kept";  // the stream survives the move
    AtomicOutputFile other(dropped);
    other.stream() << "dropped";
    other = std::move(moved);  // abandons dropped.txt's temporary file
    other.commit();
  }
  CHECK(read_all(kept) == "kept");
  CHECK_FALSE(fs::exists(dropped));
  CHECK(entries_in(scratch.path) == 1);
}
