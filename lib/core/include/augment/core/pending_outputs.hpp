#pragma once
// The temporary files of outputs being written, kept where a signal handler can reach them: a
// process told to stop at once (SIGINT, SIGTERM) removes them before it exits, so an
// interrupted command leaves neither a half-written file nor a hidden temporary behind.
#include <cstddef>

namespace augment {

/// Records `path` (a NUL-terminated path) as the temporary of an output being written; returns
/// the slot to release once it is committed or removed, or -1 when no slot is free or the path
/// is too long (then only a later `--resume` or the user removes it; nothing else changes).
int register_pending_output(const char* path) noexcept;

/// Forgets a slot returned by register_pending_output (a -1 is ignored).
void release_pending_output(int slot) noexcept;

/// Unlinks every registered temporary and returns how many were removed. Async-signal-safe: it
/// only reads atomics and calls unlink(2).
std::size_t remove_pending_outputs() noexcept;

}  // namespace augment
