#include "augment/core/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <utility>

#include "augment/core/error.hpp"

namespace augment {

namespace {

// Distinguishes temporary files of several outputs written at once by one process.
std::atomic<unsigned long> temp_counter{0};

std::string errno_text(int error) {
  return error != 0 ? std::strerror(error) : "unknown error";
}

/// fsync()s `path`; returns 0 or the errno of the failing call.
int sync_path(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return errno;
  int error = 0;
  if (::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  return error;
}

std::filesystem::path folder_of(const std::filesystem::path& target) {
  const auto parent = target.parent_path();
  return parent.empty() ? std::filesystem::path(".") : parent;
}

}  // namespace

AtomicOutputFile::AtomicOutputFile(std::filesystem::path target, Durability durability)
    : target_(std::move(target)), durability_(durability) {
  const auto folder = folder_of(target_);
  std::error_code ignored;
  if (!std::filesystem::is_directory(folder, ignored)) {
    throw DataError(target_.string() + ": cannot write: folder " + folder.string() +
                    " does not exist");
  }
  temp_path_ = folder / ("." + target_.filename().string() + ".tmp." +
                         std::to_string(::getpid()) + "." + std::to_string(temp_counter++));
  errno = 0;
  stream_ = std::make_unique<std::ofstream>(temp_path_,
                                            std::ios::binary | std::ios::out | std::ios::trunc);
  if (!stream_->is_open()) {
    const int error = errno;
    stream_.reset();
    throw DataError(target_.string() + ": cannot write: " + errno_text(error));
  }
}

AtomicOutputFile::~AtomicOutputFile() { abandon(); }

AtomicOutputFile::AtomicOutputFile(AtomicOutputFile&& other) noexcept
    : target_(std::move(other.target_)),
      temp_path_(std::move(other.temp_path_)),
      stream_(std::move(other.stream_)),
      durability_(other.durability_) {}

AtomicOutputFile& AtomicOutputFile::operator=(AtomicOutputFile&& other) noexcept {
  if (this != &other) {
    abandon();
    target_ = std::move(other.target_);
    temp_path_ = std::move(other.temp_path_);
    stream_ = std::move(other.stream_);
    durability_ = other.durability_;
  }
  return *this;
}

std::ostream& AtomicOutputFile::stream() {
  if (!stream_) throw UsageError(target_.string() + ": output already committed or abandoned");
  return *stream_;
}

void AtomicOutputFile::abandon() noexcept {
  if (!stream_) return;
  stream_.reset();  // closes the file
  std::error_code ignored;
  std::filesystem::remove(temp_path_, ignored);
}

void AtomicOutputFile::commit() {
  if (!stream_) throw UsageError(target_.string() + ": output already committed or abandoned");
  auto fail = [&](const std::string& reason) {
    abandon();
    throw DataError(target_.string() + ": write failed: " + reason);
  };

  errno = 0;
  stream_->flush();
  if (!*stream_) fail(errno_text(errno));  // errno is the best clue (ENOSPC, EIO) if set
  errno = 0;
  stream_->close();
  if (stream_->fail()) fail(errno_text(errno));
  // ofstream cannot fsync, so reopen the closed file by path; data must be on disk before the
  // rename makes it visible, or a crash could leave an empty file under the final name.
  if (durability_ == Durability::fsync) {
    if (const int error = sync_path(temp_path_, O_RDONLY); error != 0) fail("fsync: " + errno_text(error));
  }
  std::error_code rename_error;
  std::filesystem::rename(temp_path_, target_, rename_error);
  if (rename_error) fail("rename: " + rename_error.message());
  stream_.reset();  // committed: nothing left to clean up
  // Make the rename itself durable. Some file systems refuse fsync on a folder; the data is
  // already safe then, so this is best effort.
  if (durability_ == Durability::fsync) sync_path(folder_of(target_), O_RDONLY | O_DIRECTORY);
}

}  // namespace augment
