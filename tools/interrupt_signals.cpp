#include "interrupt_signals.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "augment/core/pending_outputs.hpp"

namespace augment::cli {
namespace {

std::atomic<int> first_signal{0};
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs a lock-free atomic");

// The line the stop-at-once handler prints, made before any signal comes (a handler may not
// format or allocate).
char stop_line[256] = "augment: interrupted; unfinished outputs removed\n";

struct sigaction previous_int {}, previous_term {};
bool int_installed = false, term_installed = false;

bool int_ignored_at_start() {
  struct sigaction current {};
  return sigaction(SIGINT, nullptr, &current) == 0 && current.sa_handler == SIG_IGN;
}

// Only async-signal-safe calls: unlink (inside remove_pending_outputs), write, _exit.
[[noreturn]] void stop_now(int number) {
  remove_pending_outputs();
  const ssize_t written = ::write(STDERR_FILENO, stop_line, std::strlen(stop_line));
  (void)written;
  ::_exit(128 + number);
}

extern "C" void on_interrupt_stop_now(int number) { stop_now(number); }

extern "C" void on_interrupt_stop_cleanly(int number) {
  int expected = 0;
  if (first_signal.compare_exchange_strong(expected, number)) return;
  stop_now(number);  // a second signal: the user insists
}

void install(void (*handler)(int), struct sigaction* previous_int_out, struct sigaction* previous_term_out) {
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // reads and writes carry on; a clean stop is checked between samples
  if (!int_ignored_at_start()) int_installed = sigaction(SIGINT, &action, previous_int_out) == 0;
  term_installed = sigaction(SIGTERM, &action, previous_term_out) == 0;
}

}  // namespace

void stop_at_once_on_interrupt(const char* command) {
  const char* parts[] = {"augment ", command, ": interrupted; unfinished outputs removed, nothing half-written left\n"};
  std::size_t used = 0;
  for (const char* part : parts) {
    const std::size_t n = std::min(std::strlen(part), sizeof stop_line - 1 - used);
    std::memcpy(stop_line + used, part, n);
    used += n;
  }
  stop_line[used] = '\0';
  install(on_interrupt_stop_now, nullptr, nullptr);
}

InterruptSignals::InterruptSignals() {
  first_signal = 0;
  install(on_interrupt_stop_cleanly, &previous_int, &previous_term);
}

InterruptSignals::~InterruptSignals() {
  if (int_installed) sigaction(SIGINT, &previous_int, nullptr);
  if (term_installed) sigaction(SIGTERM, &previous_term, nullptr);
  int_installed = term_installed = false;
}

const std::atomic<int>& InterruptSignals::received() { return first_signal; }

}  // namespace augment::cli
