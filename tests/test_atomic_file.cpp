#include <doctest/doctest.h>

#include <sys/resource.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

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

namespace {

/// A 64 KiB tmpfs mounted on a scratch folder, for a real "No space left on device"; needs the
/// right to mount (root in a container that allows it): mounted() is false otherwise.
struct SmallFileSystem {
  ScratchFolder scratch;
  bool mounted = false;
  SmallFileSystem() {
    const std::string command = "mount -t tmpfs -o size=64k tmpfs '" + scratch.path.string() + "' 2>/dev/null";
    mounted = std::system(command.c_str()) == 0;
  }
  ~SmallFileSystem() {
    if (mounted) std::system(("umount '" + scratch.path.string() + "'").c_str());
  }
  SmallFileSystem(const SmallFileSystem&) = delete;
  SmallFileSystem& operator=(const SmallFileSystem&) = delete;
};

}  // namespace

TEST_CASE("a full disk names the output and the system's reason, and leaves nothing behind") {
  SmallFileSystem disk;
  if (!disk.mounted) {
    MESSAGE("skipped: cannot mount a tmpfs here");
    return;
  }
  const auto target = disk.scratch.path / "big.bin";
  AtomicOutputFile file(target, augment::Durability::atomic_only);
  const std::string block(4096, 'x');
  for (int i = 0; i < 64 && file.stream(); ++i) file.stream() << block;  // 256 KiB into 64 KiB
  CHECK(file.write_error() == ENOSPC);  // known as soon as the stream goes bad
  try {
    file.commit();
    FAIL("commit succeeded on a full disk");
  } catch (const augment::OutputWriteError& e) {
    CHECK(std::string(e.what()) == target.string() + ": write failed: " + std::strerror(ENOSPC));
    CHECK(e.error() == ENOSPC);
  }
  CHECK(entries_in(disk.scratch.path) == 0);
}

TEST_CASE("a write past the file size limit is reported with the system's reason (EFBIG)") {
  // RLIMIT_FSIZE makes write() fail with EFBIG without root; SIGXFSZ would kill us, so ignore it.
  ScratchFolder scratch;
  const auto target = scratch.path / "out.bin";
  rlimit before{};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &before) == 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = before;
  small.rlim_cur = 1000;
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
  std::string message;
  int error = -1;
  {
    AtomicOutputFile file(target);
    file.stream() << std::string(200000, 'y');
    try {
      file.commit();
    } catch (const augment::OutputWriteError& e) {
      message = e.what();
      error = e.error();
    }
  }
  ::setrlimit(RLIMIT_FSIZE, &before);
  std::signal(SIGXFSZ, old_handler);
  CHECK(error == EFBIG);
  CHECK(message == target.string() + ": write failed: " + std::strerror(EFBIG));
  CHECK(entries_in(scratch.path) == 0);
}

TEST_CASE("write_error is 0 while writes succeed") {
  ScratchFolder scratch;
  AtomicOutputFile file(scratch.path / "ok.txt");
  file.stream() << std::string(300000, 'z');  // several buffer drains
  CHECK(file.write_error() == 0);
  file.commit();
  CHECK(read_all(scratch.path / "ok.txt").size() == 300000);
}
