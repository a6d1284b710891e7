#pragma once
// Test helpers for augment::embed: a scratch folder, whole-file reads and writes, fixtures.
#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "augment/embed/embeddings.hpp"

namespace embed_test {

namespace fs = std::filesystem;

/// A fresh folder under the system temp folder, removed with everything in it.
class ScratchFolder {
 public:
  ScratchFolder() {
    std::random_device random;
    path_ = fs::temp_directory_path() / ("augment-embed-test-" + std::to_string(random()) + std::to_string(random()));
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

inline fs::path fixture(const std::string& name) { return fs::path(AUGMENT_FIXTURES) / "embed" / name; }

/// Every value of two embeddings, compared bit for bit (so -0.0 differs from 0.0).
inline bool same_bits(const augment::embed::Embeddings& a, const augment::embed::Embeddings& b) {
  if (a.words() != b.words() || a.dims() != b.dims()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::memcmp(a.vector(i).data(), b.vector(i).data(), a.dims() * sizeof(float)) != 0) return false;
  return true;
}

}  // namespace embed_test
