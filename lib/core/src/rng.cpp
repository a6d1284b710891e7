#include "augment/core/rng.hpp"

#include <cmath>

namespace augment {
namespace {
constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;  // 2^64 / φ, SplitMix64's increment

std::uint64_t combine(std::uint64_t a, std::uint64_t b) { return mix64(a ^ mix64(b + kGolden)); }

__extension__ using uint128 = unsigned __int128;  // GCC/Clang; __extension__ keeps -Wpedantic quiet
}  // namespace

std::uint64_t mix64(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

std::uint64_t hash_key(std::string_view key) {
  std::uint64_t h = 0xCBF29CE484222325ULL;  // FNV-1a offset basis
  for (unsigned char c : key) {
    h ^= c;
    h *= 0x100000001B3ULL;
  }
  return mix64(h);
}

Rng Rng::derive(std::uint64_t seed, std::string_view sample_key, std::uint64_t copy,
                std::uint64_t epoch) {
  std::uint64_t k = mix64(seed);
  k = combine(k, hash_key(sample_key));
  k = combine(k, copy);
  k = combine(k, epoch);
  return Rng(k);
}

Rng Rng::fork(std::uint64_t stream) const { return Rng(combine(key_ ^ kGolden, stream)); }

std::uint64_t Rng::next_u64() { return mix64(key_ + (++counter_) * kGolden); }

double Rng::uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

double Rng::uniform(double lo, double hi) {
  if (!(hi > lo)) return lo;
  const double x = lo + (hi - lo) * uniform();
  return x < hi ? x : lo;  // rounding can reach hi when the span is huge; keep the interval half-open
}

std::uint64_t Rng::index(std::uint64_t n) {
  // Lemire, "Fast random integer generation in an interval" (2019): unbiased, rarely divides.
  std::uint64_t x = next_u64();
  uint128 m = static_cast<uint128>(x) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      x = next_u64();
      m = static_cast<uint128>(x) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

std::int64_t Rng::integer(std::int64_t lo, std::int64_t hi) {
  if (hi <= lo) return lo;
  const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) + 1;
  const std::uint64_t offset = span == 0 ? next_u64() : index(span);  // span 0: the full 64-bit range
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + offset);
}

bool Rng::bernoulli(double p) {
  if (p >= 1.0) return true;
  if (!(p > 0.0)) return false;
  return uniform() < p;
}

double Rng::normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  double u = 0, v = 0, s = 0;
  do {
    u = 2.0 * uniform() - 1.0;
    v = 2.0 * uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double factor = std::sqrt(-2.0 * std::log(s) / s);
  spare_normal_ = v * factor;
  has_spare_normal_ = true;
  return u * factor;
}

}  // namespace augment
