#include "journal_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "augment/core/atomic_file.hpp"

namespace augment::runner {

JournalFile::JournalFile(std::filesystem::path path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd_ < 0) throw_write_error(path_, errno, "cannot create");
}

JournalFile::~JournalFile() {
  if (fd_ >= 0) ::close(fd_);
}

void JournalFile::append(std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd_, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_write_error(path_, errno);
    }
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

void JournalFile::close() {
  if (fd_ < 0) return;
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0 && errno != EINTR) throw_write_error(path_, errno, "close");
}

}  // namespace augment::runner
