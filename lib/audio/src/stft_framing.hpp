#pragma once
// How an STFT cuts a signal into frames — sizes, the window and where it sits in n_fft — shared
// by the forward transforms (stft.cpp) and the inverse (istft.cpp).
#include <complex>
#include <cstddef>
#include <new>
#include <vector>

#include "augment/audio/stft.hpp"

namespace augment::audio::detail {

using Complex = std::complex<float>;

// FFTW executes its SIMD plans on 16-byte (AVX: 32-byte) aligned arrays directly; RealFft copies
// anything else through scratch memory, which we avoid on the per-frame path.
template <class T>
struct AlignedAllocator {
  using value_type = T;
  static constexpr std::align_val_t alignment{64};
  AlignedAllocator() = default;
  template <class U>
  AlignedAllocator(const AlignedAllocator<U>&) {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), alignment)); }
  void deallocate(T* p, std::size_t) { ::operator delete(p, alignment); }
  friend bool operator==(const AlignedAllocator&, const AlignedAllocator&) { return true; }
};
template <class T>
using AlignedVector = std::vector<T, AlignedAllocator<T>>;

struct Framing {
  int n_fft = 0, win_length = 0, hop_length = 0, bins = 0;
  StftSettings settings;
  std::vector<float> window;  // n_fft points, zero outside [window_begin, window_end)
  std::size_t window_begin = 0, window_end = 0;
};

/// The frames `settings` describe (defaults filled in); throws UsageError on invalid sizes.
Framing resolve(const StftSettings& settings);
/// Σ w², what normalized STFTs divide by (its square root).
double window_energy(const std::vector<float>& window);

}  // namespace augment::audio::detail
