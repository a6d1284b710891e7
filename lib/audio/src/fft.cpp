#include "augment/audio/fft.hpp"

#include <cstring>
#include <map>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>

#include <fftw3.h>

namespace augment::audio {
namespace {

std::mutex& planner_mutex() {
  static std::mutex m;
  return m;
}

/// fftwf_malloc'd memory (SIMD-aligned, as the plans were made on).
struct AlignedBuffer {
  void* data = nullptr;
  std::size_t bytes = 0;
  ~AlignedBuffer() { fftwf_free(data); }
  void* reserve(std::size_t n) {
    if (n > bytes) {
      fftwf_free(data);
      data = fftwf_malloc(n);
      if (!data) throw std::bad_alloc();
      bytes = n;
    }
    return data;
  }
};

/// Per-thread scratch for inputs that are misaligned (or must stay intact, for c2r).
struct Scratch {
  AlignedBuffer real, spectrum;
};
thread_local Scratch scratch;

bool aligned(const void* p) { return fftwf_alignment_of(static_cast<float*>(const_cast<void*>(p))) == 0; }

}  // namespace

struct RealFft::Plans {
  fftwf_plan forward = nullptr;
  fftwf_plan inverse = nullptr;
  ~Plans() {
    std::lock_guard lock(planner_mutex());  // fftwf_destroy_plan touches the planner's state too
    if (forward) fftwf_destroy_plan(forward);
    if (inverse) fftwf_destroy_plan(inverse);
  }
};

RealFft::RealFft(int n) : n_(n), plans_(std::make_unique<Plans>()) {
  if (n < 1) throw std::invalid_argument("FFT size must be >= 1, got " + std::to_string(n));
  const std::size_t bins = static_cast<std::size_t>(n) / 2 + 1;
  AlignedBuffer real, spectrum;
  auto* r = static_cast<float*>(real.reserve(sizeof(float) * static_cast<std::size_t>(n)));
  auto* c = static_cast<fftwf_complex*>(spectrum.reserve(sizeof(fftwf_complex) * bins));
  // FFTW_ESTIMATE: the plan (and so every output bit) does not depend on timing measurements,
  // which FFTW_MEASURE would make differ between runs and machines.
  plans_->forward = fftwf_plan_dft_r2c_1d(n, r, c, FFTW_ESTIMATE);
  plans_->inverse = fftwf_plan_dft_c2r_1d(n, c, r, FFTW_ESTIMATE);
  if (!plans_->forward || !plans_->inverse) throw std::runtime_error("FFTW could not plan size " + std::to_string(n));
}

RealFft::~RealFft() = default;

const RealFft& RealFft::of_size(int n) {
  // Plans live for the process (never destroyed: no exit-time order against the mutex).
  static auto& cache = *new std::map<int, std::unique_ptr<RealFft>>;
  std::lock_guard lock(planner_mutex());
  auto& slot = cache[n];
  if (!slot) slot.reset(new RealFft(n));
  return *slot;
}

void RealFft::forward(const float* in, std::complex<float>* out) const {
  const auto n = static_cast<std::size_t>(n_);
  const float* source = in;
  if (!aligned(in)) {
    auto* copy = static_cast<float*>(scratch.real.reserve(sizeof(float) * n));
    std::memcpy(copy, in, sizeof(float) * n);
    source = copy;
  }
  if (aligned(out)) {
    // r2c leaves its input intact (FFTW only destroys inputs of c2r and multi-dimensional plans).
    fftwf_execute_dft_r2c(plans_->forward, const_cast<float*>(source), reinterpret_cast<fftwf_complex*>(out));
    return;
  }
  const std::size_t bins = n / 2 + 1;
  auto* spectrum = static_cast<fftwf_complex*>(scratch.spectrum.reserve(sizeof(fftwf_complex) * bins));
  fftwf_execute_dft_r2c(plans_->forward, const_cast<float*>(source), spectrum);
  std::memcpy(static_cast<void*>(out), spectrum, sizeof(fftwf_complex) * bins);
}

void RealFft::inverse(const std::complex<float>* in, float* out) const {
  const auto n = static_cast<std::size_t>(n_);
  const std::size_t bins = n / 2 + 1;
  // c2r overwrites its input, so it always works on a copy.
  auto* spectrum = static_cast<fftwf_complex*>(scratch.spectrum.reserve(sizeof(fftwf_complex) * bins));
  std::memcpy(spectrum, static_cast<const void*>(in), sizeof(fftwf_complex) * bins);
  if (aligned(out)) {
    fftwf_execute_dft_c2r(plans_->inverse, spectrum, out);
    return;
  }
  auto* real = static_cast<float*>(scratch.real.reserve(sizeof(float) * n));
  fftwf_execute_dft_c2r(plans_->inverse, spectrum, real);
  std::memcpy(out, real, sizeof(float) * n);
}

}  // namespace augment::audio
