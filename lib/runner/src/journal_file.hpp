#pragma once
// The run's journal (OUT/.augment-journal[-K-of-N].jsonl), appended one line per finished
// output as they land, so --resume knows what a stopped run completed. Written straight to the
// file descriptor: a failed write (a full disk) is reported at once with its reason, naming
// the journal.
#include <filesystem>
#include <string_view>

namespace augment::runner {

class JournalFile {
 public:
  /// Creates or truncates `path`; throws OutputWriteError naming it if it cannot.
  explicit JournalFile(std::filesystem::path path);
  ~JournalFile();
  JournalFile(const JournalFile&) = delete;
  JournalFile& operator=(const JournalFile&) = delete;

  /// Appends `text` (whole lines); throws OutputWriteError "PATH: write failed: REASON".
  void append(std::string_view text);
  /// Closes the file, reporting a failure the system kept until then.
  void close();
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace augment::runner
