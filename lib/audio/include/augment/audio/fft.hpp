#pragma once
// Real FFTs through FFTW3 (single precision). A plan is made once per size and kept for the
// process: FFTW's planner is not thread-safe, so planning is serialised by a mutex, while
// executing a plan (fftwf_execute_dft_r2c with new arrays) is safe from any thread.
#include <complex>
#include <memory>

namespace augment::audio {

class RealFft {
 public:
  /// The transform of size n (>= 1), planned on first use (FFTW_ESTIMATE | FFTW_DESTROY_INPUT
  /// is not used: inputs are left intact).
  static const RealFft& of_size(int n);

  int size() const { return n_; }
  /// out[k] = sum_j in[j]·e^{-2πi jk/n}, k = 0..n/2 (n/2 + 1 values). Any alignment.
  void forward(const float* in, std::complex<float>* out) const;
  /// out[j] = sum_k X[k]·e^{+2πi jk/n} over the full Hermitian spectrum (unnormalised: inverse
  /// of forward times n). Reads n/2 + 1 values; `in` is left intact. Any alignment.
  void inverse(const std::complex<float>* in, float* out) const;

  RealFft(const RealFft&) = delete;
  RealFft& operator=(const RealFft&) = delete;
  ~RealFft();

 private:
  explicit RealFft(int n);
  struct Plans;
  int n_;
  std::unique_ptr<Plans> plans_;
};

}  // namespace augment::audio
