#pragma once
// SIGINT and SIGTERM during a long run: the first one asks the run to stop cleanly (the
// handler only stores the signal's number); a second one of either ends the process at once,
// as if no handler were installed. Exit status after a clean stop: 128 + the signal's number
// (130 for SIGINT, 143 for SIGTERM), as a shell reports a process the signal killed.
#include <atomic>

namespace augment::cli {

class InterruptSignals {
 public:
  /// Installs the handlers; a SIGINT the process started with ignored (a background job of a
  /// non-interactive shell) stays ignored, as the shell meant.
  InterruptSignals();
  /// Restores the handlers there were before.
  ~InterruptSignals();
  InterruptSignals(const InterruptSignals&) = delete;
  InterruptSignals& operator=(const InterruptSignals&) = delete;

  /// The number of the first signal received, 0 if none: pass it as DatasetRunOptions::stop.
  static const std::atomic<int>& received();
};

}  // namespace augment::cli
