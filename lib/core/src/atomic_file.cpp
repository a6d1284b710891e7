#include "augment/core/atomic_file.hpp"

#include "augment/core/pending_outputs.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <ostream>
#include <streambuf>
#include <string>
#include <utility>
#include <vector>

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

// A buffered stream over a file descriptor that keeps the errno of the first failed write:
// std::ofstream only sets badbit, and errno is long overwritten by the time anyone asks.
class FdBuffer : public std::streambuf {
 public:
  explicit FdBuffer(int fd) : fd_(fd), buffer_(1 << 16) { setp(buffer_.data(), buffer_.data() + buffer_.size()); }
  int error() const { return error_; }
  /// Writes what is buffered; false (and error() set) on failure.
  bool drain() {
    const bool ok = write_all(pbase(), static_cast<std::size_t>(pptr() - pbase()));
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return ok;
  }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    if (n <= epptr() - pptr()) {
      std::memcpy(pptr(), s, static_cast<std::size_t>(n));
      pbump(static_cast<int>(n));
      return n;
    }
    // Larger than the room left: drain and write it directly, no second copy.
    if (!drain() || !write_all(s, static_cast<std::size_t>(n))) return 0;
    return n;
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool write_all(const char* data, std::size_t size) {
    if (error_ != 0) return false;
    while (size > 0) {
      const ssize_t n = ::write(fd_, data, size);
      if (n < 0) {
        if (errno == EINTR) continue;
        error_ = errno;
        return false;
      }
      data += n;
      size -= static_cast<std::size_t>(n);
    }
    return true;
  }

  int fd_;
  std::vector<char> buffer_;
  int error_ = 0;
};

}  // namespace

struct AtomicOutputFile::Stream {
  int fd;
  FdBuffer buffer;
  std::ostream out;
  explicit Stream(int file) : fd(file), buffer(file), out(&buffer) {}
  ~Stream() {
    if (fd >= 0) ::close(fd);
  }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
};

void throw_write_error(const std::filesystem::path& target, int error, const std::string& what) {
  const std::string reason = what.empty() ? errno_text(error) : error == 0 ? what : what + ": " + errno_text(error);
  throw OutputWriteError(target.string() + ": write failed: " + reason, error);
}

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
  // Registered before it exists, so no moment passes when an interrupt could leave it behind.
  pending_slot_ = register_pending_output(temp_path_.c_str());
  const int fd = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) {
    const int error = errno;
    release_pending_output(std::exchange(pending_slot_, -1));
    // An output that cannot be created (a full disk, a read-only or forbidden folder) is a
    // problem of the output folder, not of the data: an OutputWriteError.
    throw OutputWriteError(target_.string() + ": cannot write: " + errno_text(error), error);
  }
  stream_ = std::make_unique<Stream>(fd);
}

AtomicOutputFile::~AtomicOutputFile() { abandon(); }

AtomicOutputFile::AtomicOutputFile(AtomicOutputFile&& other) noexcept
    : target_(std::move(other.target_)),
      temp_path_(std::move(other.temp_path_)),
      stream_(std::move(other.stream_)),
      durability_(other.durability_),
      last_error_(other.last_error_),
      pending_slot_(std::exchange(other.pending_slot_, -1)) {}

AtomicOutputFile& AtomicOutputFile::operator=(AtomicOutputFile&& other) noexcept {
  if (this != &other) {
    abandon();
    target_ = std::move(other.target_);
    temp_path_ = std::move(other.temp_path_);
    stream_ = std::move(other.stream_);
    durability_ = other.durability_;
    last_error_ = other.last_error_;
    pending_slot_ = std::exchange(other.pending_slot_, -1);
  }
  return *this;
}

std::ostream& AtomicOutputFile::stream() {
  if (!stream_) throw UsageError(target_.string() + ": output already committed or abandoned");
  return stream_->out;
}

int AtomicOutputFile::write_error() const { return stream_ ? stream_->buffer.error() : last_error_; }

void AtomicOutputFile::abandon() noexcept {
  if (!stream_) return;
  if (last_error_ == 0) last_error_ = stream_->buffer.error();
  stream_.reset();  // closes the file
  std::error_code ignored;
  std::filesystem::remove(temp_path_, ignored);
  release_pending_output(std::exchange(pending_slot_, -1));
}

void AtomicOutputFile::commit() {
  if (!stream_) throw UsageError(target_.string() + ": output already committed or abandoned");
  auto fail = [&](int error, const std::string& what) {
    last_error_ = error;
    abandon();
    throw_write_error(target_, error, what);
  };

  stream_->out.flush();
  if (!stream_->buffer.drain() || stream_->buffer.error() != 0) fail(stream_->buffer.error(), "");
  // A stream that went bad without a failed write: a writer set failbit (a formatting error).
  if (!stream_->out) fail(0, "the output stream failed");
  // Data must be on disk before the rename makes it visible, or a crash could leave an empty
  // file under the final name.
  if (durability_ == Durability::fsync && ::fsync(stream_->fd) != 0) fail(errno, "fsync");
  // Some file systems (NFS, quotas) report a failed write only when the file is closed.
  const int fd = std::exchange(stream_->fd, -1);
  if (::close(fd) != 0 && errno != EINTR) fail(errno, "close");
  std::error_code rename_error;
  std::filesystem::rename(temp_path_, target_, rename_error);
  if (rename_error) fail(rename_error.value(), "rename");
  stream_.reset();  // committed: nothing left to clean up
  release_pending_output(std::exchange(pending_slot_, -1));
  // Make the rename itself durable. Some file systems refuse fsync on a folder; the data is
  // already safe then, so this is best effort.
  if (durability_ == Durability::fsync) sync_path(folder_of(target_), O_RDONLY | O_DIRECTORY);
}

}  // namespace augment
