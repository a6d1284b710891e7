#pragma once
// Sizes that a config or a checkpoint header asks for, checked before anything is allocated: a
// layer of 1e9 units or a batch of 1e9 rows is a SpecError naming the field, not std::bad_alloc.
// Private to the trainer sources.
#include <cstdint>
#include <limits>
#include <string>

#include "augment/core/limits.hpp"

namespace augment::trainer::detail {

/// a × b, saturating at the largest value: sizes read from a file must not wrap around.
inline std::uint64_t saturating_product(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a) return std::numeric_limits<std::uint64_t>::max();
  return a * b;
}

/// SpecError "`what`, in bytes: N is over the allocation_bytes limit of M (raise it with ...)"
/// when a rows × cols buffer of `value_bytes`-byte values is over limits().allocation_bytes.
inline void check_buffer(const std::string& what, std::uint64_t rows, std::uint64_t cols, std::uint64_t value_bytes) {
  check_requested("allocation_bytes", saturating_product(saturating_product(rows, cols), value_bytes),
                  what + ", in bytes");
}

}  // namespace augment::trainer::detail
