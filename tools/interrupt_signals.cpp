#include "interrupt_signals.hpp"

#include <signal.h>

namespace augment::cli {
namespace {

std::atomic<int> first_signal{0};
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs a lock-free atomic");

struct sigaction previous_int {}, previous_term {};
bool int_installed = false, term_installed = false;

extern "C" void on_interrupt(int number) {
  int expected = 0;
  if (first_signal.compare_exchange_strong(expected, number)) return;
  // A second signal: the user insists. Die of it now (sigaction and raise are async-signal-safe).
  struct sigaction fallback {};
  fallback.sa_handler = SIG_DFL;
  sigemptyset(&fallback.sa_mask);
  sigaction(number, &fallback, nullptr);
  raise(number);
}

}  // namespace

InterruptSignals::InterruptSignals() {
  first_signal = 0;
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // reads and writes carry on; the run checks the flag between samples
  if (sigaction(SIGINT, nullptr, &previous_int) == 0 && previous_int.sa_handler != SIG_IGN)
    int_installed = sigaction(SIGINT, &action, nullptr) == 0;
  term_installed = sigaction(SIGTERM, &action, &previous_term) == 0;
}

InterruptSignals::~InterruptSignals() {
  if (int_installed) sigaction(SIGINT, &previous_int, nullptr);
  if (term_installed) sigaction(SIGTERM, &previous_term, nullptr);
  int_installed = term_installed = false;
}

const std::atomic<int>& InterruptSignals::received() { return first_signal; }

}  // namespace augment::cli
