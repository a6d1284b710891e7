// RealFft against the DFT's definition, computed directly in double precision.
#include <cmath>
#include <complex>
#include <numbers>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "augment/audio/fft.hpp"

using augment::audio::RealFft;

namespace {

std::vector<std::complex<double>> direct_dft(const std::vector<float>& x) {
  const std::size_t n = x.size();
  std::vector<std::complex<double>> out(n / 2 + 1);
  for (std::size_t k = 0; k < out.size(); ++k)
    for (std::size_t j = 0; j < n; ++j)
      out[k] += static_cast<double>(x[j]) * std::polar(1.0, -2.0 * std::numbers::pi * double(j * k % n) / double(n));
  return out;
}

std::vector<float> test_signal(int n) {
  std::vector<float> x(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) x[i] = static_cast<float>(std::sin(0.37 * i) + 0.5 * std::cos(1.9 * i + 0.2) + 0.01 * i);
  return x;
}

}  // namespace

TEST_CASE("RealFft forward matches the direct DFT for even, odd and prime sizes") {
  for (int n : {1, 2, 7, 64, 400, 401, 512}) {
    const auto x = test_signal(n);
    std::vector<std::complex<float>> out(static_cast<std::size_t>(n / 2 + 1));
    RealFft::of_size(n).forward(x.data(), out.data());
    const auto ref = direct_dft(x);
    double scale = 0;
    for (const auto& v : ref) scale = std::max(scale, std::abs(v));
    for (std::size_t k = 0; k < ref.size(); ++k)
      CHECK(std::abs(std::complex<double>(out[k]) - ref[k]) <= 1e-5 * scale);
  }
}

TEST_CASE("RealFft inverse of forward gives n times the input, from misaligned buffers too") {
  const int n = 400;
  const auto x = test_signal(n);
  // Offset by one float so the buffers are not SIMD-aligned.
  std::vector<float> in(n + 1), back(n + 1);
  std::copy(x.begin(), x.end(), in.begin() + 1);
  std::vector<std::complex<float>> spectrum(n / 2 + 2);
  const RealFft& fft = RealFft::of_size(n);
  fft.forward(in.data() + 1, spectrum.data() + 1);
  const auto kept = spectrum;
  fft.inverse(spectrum.data() + 1, back.data() + 1);
  CHECK(spectrum == kept);  // the input of the inverse is left intact
  for (int i = 0; i < n; ++i) CHECK(back[i + 1] / n == doctest::Approx(x[i]).epsilon(1e-5));
}

TEST_CASE("RealFft plans are shared and usable from several threads at once") {
  const auto x = test_signal(512);
  std::vector<std::complex<float>> expected(257);
  RealFft::of_size(512).forward(x.data(), expected.data());
  std::vector<std::vector<std::complex<float>>> results(4, std::vector<std::complex<float>>(257));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      // Sizes 510..512 have at most 257 bins, so one buffer serves them all.
      for (int rep = 0; rep < 50; ++rep) RealFft::of_size(512 - (rep % 3)).forward(x.data(), results[t].data());
      RealFft::of_size(512).forward(x.data(), results[t].data());
    });
  for (auto& th : threads) th.join();
  CHECK(&RealFft::of_size(512) == &RealFft::of_size(512));
  for (const auto& r : results) CHECK(r == expected);
}
