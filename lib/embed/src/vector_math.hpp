#pragma once
// Private: the float kernels of training and queries. They are written so that GCC vectorizes
// them without -ffast-math: the dot product keeps 8 independent partial sums (one AVX register
// or two SSE ones) and adds them in a fixed order at the end, so its result is the same bits
// whatever the vector width; the element-wise loops work in fixed blocks of 8 (SLP-vectorized
// at -O2 as well as -O3). Pointers are __restrict: no runtime overlap checks.
#include <cstddef>

namespace augment::embed::detail {

inline constexpr std::size_t kLanes = 8;

inline float dot(const float* __restrict a, const float* __restrict b, std::size_t n) {
  float partial[kLanes] = {};
  std::size_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (std::size_t j = 0; j < kLanes; ++j) partial[j] += a[i + j] * b[i + j];
  float tail = 0;
  for (; i < n; ++i) tail += a[i] * b[i];
  return ((partial[0] + partial[4]) + (partial[1] + partial[5])) +
         ((partial[2] + partial[6]) + (partial[3] + partial[7])) + tail;
}

/// y += a·x
inline void axpy(float a, const float* __restrict x, float* __restrict y, std::size_t n) {
  std::size_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (std::size_t j = 0; j < kLanes; ++j) y[i + j] += a * x[i + j];
  for (; i < n; ++i) y[i] += a * x[i];
}

/// y += x
inline void add(const float* __restrict x, float* __restrict y, std::size_t n) {
  std::size_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (std::size_t j = 0; j < kLanes; ++j) y[i + j] += x[i + j];
  for (; i < n; ++i) y[i] += x[i];
}

inline void scale(float a, float* __restrict y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] *= a;
}

inline void zero(float* __restrict y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = 0;
}

}  // namespace augment::embed::detail
