#pragma once
// Output files appear all at once or not at all: data goes to a hidden temporary file next to
// the target and is renamed over it only after it is complete and on disk. A crash, an
// exception or a full disk never leaves a truncated file under the final name.
#include <filesystem>
#include <iosfwd>
#include <memory>

namespace augment {

/// How far a commit goes. Both are atomic against a killed process: the rename happens only
/// after the data is complete. `fsync` also survives a power loss or kernel crash, at the price
/// of a disk flush per file (milliseconds each), so bulk outputs default to `atomic_only`.
enum class Durability { fsync, atomic_only };

class AtomicOutputFile {
 public:
  /// Creates "<folder of target>/.<target name>.tmp.<pid>.<counter>" for binary writing.
  /// Throws DataError naming `target` if its folder does not exist or the file cannot be made.
  explicit AtomicOutputFile(std::filesystem::path target, Durability durability = Durability::fsync);
  /// Without a successful commit(), removes the temporary file; the target is left untouched.
  ~AtomicOutputFile();

  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;
  AtomicOutputFile(AtomicOutputFile&& other) noexcept;
  AtomicOutputFile& operator=(AtomicOutputFile&& other) noexcept;

  /// The stream to write to; stays valid across moves of this object until commit().
  [[nodiscard]] std::ostream& stream();

  /// Flushes, checks that every write succeeded, fsyncs (with Durability::fsync) and renames
  /// onto the target.
  /// Throws DataError "TARGET: write failed: REASON" (and removes the temporary file) if not.
  /// Throws UsageError if called twice or on a moved-from object.
  void commit();

  [[nodiscard]] const std::filesystem::path& target() const { return target_; }
  [[nodiscard]] const std::filesystem::path& temp_path() const { return temp_path_; }

 private:
  void abandon() noexcept;

  std::filesystem::path target_;
  std::filesystem::path temp_path_;
  std::unique_ptr<std::ofstream> stream_;  // null once committed, abandoned or moved from
  Durability durability_ = Durability::fsync;
};

}  // namespace augment
