#pragma once
// Test helpers for tests that write files: a scratch folder removed with its contents, and
// whole-file reads and writes in binary mode.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

namespace file_test {

namespace fs = std::filesystem;

/// A fresh folder under the system temp folder, removed with everything in it.
class ScratchFolder {
 public:
  explicit ScratchFolder(const std::string& prefix = "augment-test-") {
    std::random_device random;
    path_ = fs::temp_directory_path() / (prefix + std::to_string(random()) + std::to_string(random()));
    fs::create_directories(path_);
  }
  ~ScratchFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  fs::path operator/(const std::string& name) const { return path_ / name; }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

inline std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_all(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out);
}

}  // namespace file_test
