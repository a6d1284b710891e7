#pragma once
// SIGINT and SIGTERM. Every command stops at once on them: the temporaries of outputs being
// written are removed (pending_outputs.hpp), a line says so, and the exit status is 128 + the
// signal's number (130 for SIGINT, 143 for SIGTERM), as a shell reports a process the signal
// killed. A dataset run asks for more: while an InterruptSignals object lives, the first signal
// only asks the run to stop cleanly between samples (the handler stores the signal's number); a
// second one of either stops at once as above.
#include <atomic>

namespace augment::cli {

/// Installs the stop-at-once handlers for the whole process; `command` names it in the line
/// printed on stderr ("augment COMMAND: interrupted ..."). A SIGINT the process started with
/// ignored (a background job of a non-interactive shell) stays ignored, as the shell meant.
void stop_at_once_on_interrupt(const char* command);

class InterruptSignals {
 public:
  /// Installs the handlers that ask for a clean stop.
  InterruptSignals();
  /// Restores the handlers there were before.
  ~InterruptSignals();
  InterruptSignals(const InterruptSignals&) = delete;
  InterruptSignals& operator=(const InterruptSignals&) = delete;

  /// The number of the first signal received, 0 if none: pass it as DatasetRunOptions::stop.
  static const std::atomic<int>& received();
};

}  // namespace augment::cli
