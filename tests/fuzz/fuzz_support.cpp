#include "fuzz_support.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <system_error>

#include <unistd.h>

#include "augment/core/limits.hpp"

namespace augment::fuzz {

void use_fuzz_limits() {
  static const bool done = [] {
    Limits l = limits();
    l.image_pixels = 1u << 22;        // 4 Mpx: a header asking for more is refused before decoding
    l.record_bytes = 1u << 20;
    l.allocation_bytes = 256u << 20;  // libFuzzer's default -rss_limit_mb is 2048
    l.audio_samples = 1u << 22;
    set_limits(l);
    return true;
  }();
  (void)done;
}

namespace {

struct ScratchFolder {
  std::filesystem::path path;
  ScratchFolder() {
    path = std::filesystem::temp_directory_path() / ("augment-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
  }
  ~ScratchFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

const std::filesystem::path& scratch_folder() {
  static const ScratchFolder folder;
  return folder.path;
}

}  // namespace

std::filesystem::path scratch_path(std::string_view name) { return scratch_folder() / std::string(name); }

std::filesystem::path scratch_file(std::string_view name, const std::uint8_t* data, std::size_t size) {
  const std::filesystem::path path = scratch_path(name);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  out.close();
  if (!out) fail("cannot write the scratch file " + path.string());
  return path;
}

void fail(std::string_view what) {
  std::fprintf(stderr, "fuzz invariant broken: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

}  // namespace augment::fuzz
