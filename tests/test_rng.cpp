// Rng: SplitMix64 against the published algorithm (values from tests/fixtures/rng/make_reference.py,
// an independent Python implementation; the seed-1234567 sequence is also the one widely quoted
// for Vigna's splitmix64.c), FNV-1a test vectors, range conversions, thread independence.
#include <doctest/doctest.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "augment/core/rng.hpp"

using augment::Rng;

TEST_CASE("Rng(key) reproduces Vigna's SplitMix64 sequence") {
  const std::vector<std::pair<std::uint64_t, std::vector<std::uint64_t>>> reference = {
      {0, {16294208416658607535ULL, 7960286522194355700ULL, 487617019471545679ULL, 17909611376780542444ULL,
           1961750202426094747ULL}},
      {1234567, {6457827717110365317ULL, 3203168211198807973ULL, 9817491932198370423ULL, 4593380528125082431ULL,
                 16408922859458223821ULL}},
      {0xFFFFFFFFFFFFFFFFULL, {16490336266968443936ULL, 16834447057089888969ULL, 4048727598324417001ULL,
                               7862637804313477842ULL, 13015481187462834606ULL}},
  };
  for (const auto& [seed, values] : reference) {
    Rng rng(seed);
    for (std::uint64_t v : values) CHECK(rng.next_u64() == v);
  }
}

TEST_CASE("uniform() is the top 53 bits scaled by 2^-53") {
  Rng rng(42);
  CHECK(rng.uniform() == 0.7415648787718233);
  CHECK(rng.uniform() == 0.1599103928769201);
  CHECK(rng.uniform() == 0.27860113025513866);
}

TEST_CASE("hash_key is FNV-1a 64 (published test vectors) followed by mix64") {
  // FNV-1a 64-bit vectors from the FNV reference (isthe.com/chongo/tech/comp/fnv).
  CHECK(augment::hash_key("") == augment::mix64(0xcbf29ce484222325ULL));
  CHECK(augment::hash_key("a") == augment::mix64(0xaf63dc4c8601ec8cULL));
  CHECK(augment::hash_key("foobar") == augment::mix64(0x85944171f73967e8ULL));
}

TEST_CASE("derive depends on every input, and only on them") {
  const Rng base = Rng::derive(7, "images/cat.png", 0, 0);
  CHECK(Rng::derive(7, "images/cat.png", 0, 0).key() == base.key());
  CHECK(Rng::derive(8, "images/cat.png", 0, 0).key() != base.key());
  CHECK(Rng::derive(7, "images/dog.png", 0, 0).key() != base.key());
  CHECK(Rng::derive(7, "images/cat.png", 1, 0).key() != base.key());
  CHECK(Rng::derive(7, "images/cat.png", 0, 1).key() != base.key());
  // fork neither advances the parent nor collides with it
  Rng parent = base;
  const Rng child = parent.fork(3);
  CHECK(child.key() != parent.key());
  CHECK(parent.fork(3).key() == child.key());
  CHECK(parent.next_u64() == Rng(base.key()).next_u64());
}

TEST_CASE("uniform ranges stay half-open and cover the interval") {
  Rng rng(1);
  double lo = 1.0, hi = 0.0, sum = 0.0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double x = rng.uniform(-2.0, 3.0);
    REQUIRE(x >= -2.0);
    REQUIRE(x < 3.0);
    lo = std::min(lo, x);
    hi = std::max(hi, x);
    sum += x;
  }
  CHECK(lo < -1.99);
  CHECK(hi > 2.99);
  CHECK(sum / n == doctest::Approx(0.5).epsilon(0.01));  // mean of U(-2, 3); σ/√n ≈ 0.003
  CHECK(rng.uniform(4.0, 4.0) == 4.0);
}

TEST_CASE("integer() is unbiased over small ranges (chi-square) and inclusive") {
  Rng rng(99);
  std::vector<int> counts(7, 0);
  const int n = 70000;
  for (int i = 0; i < n; ++i) {
    const auto v = rng.integer(-3, 3);
    REQUIRE(v >= -3);
    REQUIRE(v <= 3);
    ++counts[static_cast<std::size_t>(v + 3)];
  }
  double chi2 = 0;
  for (int c : counts) chi2 += (c - n / 7.0) * (c - n / 7.0) / (n / 7.0);
  CHECK(chi2 < 22.46);  // χ²(6 dof) 0.999 quantile
  CHECK(rng.integer(5, 5) == 5);
  // The full 64-bit range must not divide by zero.
  (void)rng.integer(INT64_MIN, INT64_MAX);
}

TEST_CASE("normal() has mean 0 and variance 1") {
  Rng rng(2024);
  const int n = 400000;
  double sum = 0, sum2 = 0;
  int beyond3 = 0;
  for (int i = 0; i < n; ++i) {
    const double z = rng.normal();
    sum += z;
    sum2 += z * z;
    beyond3 += std::fabs(z) > 3.0;
  }
  CHECK(std::fabs(sum / n) < 0.01);
  CHECK(sum2 / n == doctest::Approx(1.0).epsilon(0.01));
  CHECK(static_cast<double>(beyond3) / n == doctest::Approx(0.0027).epsilon(0.15));  // 2·(1−Φ(3))
}

TEST_CASE("bernoulli frequencies, and the edge probabilities consume nothing") {
  Rng rng(5);
  int hits = 0;
  for (int i = 0; i < 100000; ++i) hits += rng.bernoulli(0.3);
  CHECK(hits / 100000.0 == doctest::Approx(0.3).epsilon(0.02));
  Rng a(6), b(6);
  CHECK(a.bernoulli(1.0));
  CHECK_FALSE(a.bernoulli(0.0));
  CHECK(a.next_u64() == b.next_u64());
}

TEST_CASE("streams are identical across 1 and 2 threads") {
  auto draw_all = [](int threads) {
    std::vector<double> out(4000);
    tbb::task_arena arena(threads);
    arena.execute([&] {
      tbb::parallel_for(std::size_t{0}, out.size(), [&](std::size_t i) {
        Rng rng = Rng::derive(11, "sample-" + std::to_string(i / 4), i % 4, 0);
        out[i] = rng.normal() + rng.uniform() + static_cast<double>(rng.integer(0, 9));
      });
    });
    return out;
  };
  CHECK(draw_all(1) == draw_all(2));
}
