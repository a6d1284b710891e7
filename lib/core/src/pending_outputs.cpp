#include "augment/core/pending_outputs.hpp"

#include <unistd.h>

#include <atomic>
#include <climits>
#include <cstring>

namespace augment {
namespace {

// A fixed table, because a signal handler may neither allocate nor lock. A slot is claimed
// (free -> filling), its path copied, then published (filling -> ready); the handler touches
// only ready slots, so it never reads a path being copied.
enum SlotState : int { free_slot = 0, filling = 1, ready = 2 };

struct Slot {
  std::atomic<int> state{free_slot};
  char path[PATH_MAX];
};

constexpr std::size_t slot_count = 256;  // outputs in flight at once: a few per worker thread
Slot slots[slot_count];
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs lock-free atomics");

}  // namespace

int register_pending_output(const char* path) noexcept {
  const std::size_t length = std::strlen(path);
  if (length >= PATH_MAX) return -1;
  for (std::size_t i = 0; i < slot_count; ++i) {
    int expected = free_slot;
    if (!slots[i].state.compare_exchange_strong(expected, filling, std::memory_order_acquire)) continue;
    std::memcpy(slots[i].path, path, length + 1);
    slots[i].state.store(ready, std::memory_order_release);
    return static_cast<int>(i);
  }
  return -1;
}

void release_pending_output(int slot) noexcept {
  if (slot < 0 || static_cast<std::size_t>(slot) >= slot_count) return;
  slots[slot].state.store(free_slot, std::memory_order_release);
}

std::size_t remove_pending_outputs() noexcept {
  std::size_t removed = 0;
  for (auto& slot : slots)
    if (slot.state.load(std::memory_order_acquire) == ready && ::unlink(slot.path) == 0) ++removed;
  return removed;
}

}  // namespace augment
