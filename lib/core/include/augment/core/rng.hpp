#pragma once
// Counter-based random numbers. A generator is a 64-bit key plus a counter; the i-th output is
// a SplitMix64 mix of (key + i·φ). Keys derive from (seed, sample key, copy, epoch), so every
// sample's numbers are fixed by what it is, not by which thread or in what order it ran.
// Conversions to ranges are written here rather than taken from std::*_distribution, whose
// outputs differ between standard libraries.
#include <cstdint>
#include <string_view>

namespace augment {

/// 64-bit avalanche mix (SplitMix64's finalizer): a bijection that scrambles every bit.
std::uint64_t mix64(std::uint64_t x);

/// Portable hash of a sample key (FNV-1a over the bytes, then mix64): the same on every platform.
std::uint64_t hash_key(std::string_view key);

class Rng {
 public:
  /// A generator whose stream is fixed by `key`.
  explicit Rng(std::uint64_t key) : key_(key) {}

  /// The generator for one sample: fixed by the run's seed, the sample's key (e.g. its relative
  /// path), the copy index and the epoch.
  static Rng derive(std::uint64_t seed, std::string_view sample_key, std::uint64_t copy,
                    std::uint64_t epoch);

  /// An independent child stream (e.g. one per pipeline stage). Does not advance this generator.
  [[nodiscard]] Rng fork(std::uint64_t stream) const;

  std::uint64_t key() const { return key_; }

  /// Next raw 64 bits.
  std::uint64_t next_u64();

  /// Uniform in [0, 1), 53 random bits.
  double uniform();
  /// Uniform in [lo, hi); returns lo when lo == hi.
  double uniform(double lo, double hi);
  /// Uniform integer in [lo, hi], both inclusive, without modulo bias (Lemire's method).
  std::int64_t integer(std::int64_t lo, std::int64_t hi);
  /// Uniform index in [0, n); n must be > 0.
  std::uint64_t index(std::uint64_t n);
  /// True with probability p (p <= 0 never, p >= 1 always; neither consumes a number).
  bool bernoulli(double p);
  /// Standard normal (Marsaglia's polar method: only log and sqrt, no trigonometry).
  double normal();
  double normal(double mean, double stddev) { return mean + stddev * normal(); }

 private:
  std::uint64_t key_;
  std::uint64_t counter_ = 0;
  double spare_normal_ = 0.0;
  bool has_spare_normal_ = false;
};

}  // namespace augment
