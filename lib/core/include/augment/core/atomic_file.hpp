#pragma once
// Output files appear all at once or not at all: data goes to a hidden temporary file next to
// the target and is renamed over it only after it is complete and on disk. A crash, an
// exception or a full disk never leaves a truncated file under the final name.
#include <filesystem>
#include <iosfwd>
#include <memory>

#include "augment/core/error.hpp"

namespace augment {

/// How far a commit goes. Both are atomic against a killed process: the rename happens only
/// after the data is complete. `fsync` also survives a power loss or kernel crash, at the price
/// of a disk flush per file (milliseconds each), so bulk outputs default to `atomic_only`.
enum class Durability { fsync, atomic_only };

/// Writing an output failed (a full disk, a quota, an I/O error): a problem of the output
/// folder, not of the data being written, so a run should stop rather than go on file by file.
/// The message is "TARGET: write failed: REASON" with the system's reason (strerror).
class OutputWriteError : public DataError {
 public:
  OutputWriteError(const std::string& message, int error) : DataError(message), error_(error) {}
  /// The errno of the failure (0 when the system gave none).
  [[nodiscard]] int error() const { return error_; }

 private:
  int error_;
};

class AtomicOutputFile {
 public:
  /// Creates "<folder of target>/.<target name>.tmp.<pid>.<counter>" for binary writing.
  /// Throws DataError naming `target` if its folder does not exist, OutputWriteError (a
  /// DataError) with the system's reason if the file cannot be made.
  explicit AtomicOutputFile(std::filesystem::path target, Durability durability = Durability::fsync);
  /// Without a successful commit(), removes the temporary file; the target is left untouched.
  ~AtomicOutputFile();

  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;
  AtomicOutputFile(AtomicOutputFile&& other) noexcept;
  AtomicOutputFile& operator=(AtomicOutputFile&& other) noexcept;

  /// The stream to write to; stays valid across moves of this object until commit().
  [[nodiscard]] std::ostream& stream();

  /// The errno of the first write to the temporary file that failed (ENOSPC, EIO, ...), 0 if
  /// none has. A writer that only sees its stream go bad can name the real reason with it.
  [[nodiscard]] int write_error() const;

  /// Flushes, checks that every write succeeded, fsyncs (with Durability::fsync) and renames
  /// onto the target.
  /// Throws OutputWriteError "TARGET: write failed: REASON" (and removes the temporary file) if
  /// not. Throws UsageError if called twice or on a moved-from object.
  void commit();

  [[nodiscard]] const std::filesystem::path& target() const { return target_; }
  [[nodiscard]] const std::filesystem::path& temp_path() const { return temp_path_; }

 private:
  struct Stream;
  void abandon() noexcept;

  std::filesystem::path target_;
  std::filesystem::path temp_path_;
  std::unique_ptr<Stream> stream_;  // null once committed, abandoned or moved from
  Durability durability_ = Durability::fsync;
  int last_error_ = 0;  // write_error() after the stream is gone
  int pending_slot_ = -1;  // where an interrupt handler finds temp_path_ (pending_outputs.hpp)
};

/// "TARGET: write failed: REASON" as an OutputWriteError, REASON being strerror(error) (or
/// "unknown error" for 0).
[[noreturn]] void throw_write_error(const std::filesystem::path& target, int error, const std::string& what = "");

}  // namespace augment
