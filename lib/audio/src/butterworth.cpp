#include "augment/audio/butterworth.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstddef>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "augment/core/number_text.hpp"

// A line-by-line port of SciPy 1.10's buttap, lp2{lp,hp,bp,bs}_zpk, bilinear_zpk, _cplxreal and
// zpk2sos(pairing="nearest"), keeping its orderings and tie-breaks so section order matches too.
namespace augment::audio {
namespace {

using Complex = std::complex<double>;
using Roots = std::vector<Complex>;

struct Zpk {
  Roots zeros;
  Roots poles;
  double gain = 1.0;
};

bool is_real(Complex x) { return x.imag() == 0.0; }

Zpk analog_prototype(int order) {
  Zpk zpk;
  for (int m = -order + 1; m < order; m += 2)
    zpk.poles.push_back(-std::exp(Complex(0.0, std::numbers::pi * m / (2.0 * order))));
  return zpk;
}

Complex product(const Roots& roots, Complex shift, double sign) {
  Complex out = 1.0;
  for (Complex r : roots) out *= shift + sign * r;
  return out;
}

int relative_degree(const Zpk& zpk) { return static_cast<int>(zpk.poles.size() - zpk.zeros.size()); }

void to_lowpass(Zpk& zpk, double wo) {
  const int degree = relative_degree(zpk);
  for (Complex& z : zpk.zeros) z *= wo;
  for (Complex& p : zpk.poles) p *= wo;
  zpk.gain *= std::pow(wo, degree);
}

void to_highpass(Zpk& zpk, double wo) {
  const int degree = relative_degree(zpk);
  zpk.gain *= (product(zpk.zeros, 0.0, -1.0) / product(zpk.poles, 0.0, -1.0)).real();
  for (Complex& z : zpk.zeros) z = wo / z;
  for (Complex& p : zpk.poles) p = wo / p;
  zpk.zeros.insert(zpk.zeros.end(), static_cast<std::size_t>(degree), Complex(0.0));
}

// Each root r of the low-pass becomes r' ± sqrt(r'² − wo²) (first all +, then all −).
Roots split_roots(const Roots& scaled, double wo) {
  Roots out;
  for (Complex r : scaled) out.push_back(r + std::sqrt(r * r - wo * wo));
  for (Complex r : scaled) out.push_back(r - std::sqrt(r * r - wo * wo));
  return out;
}

void to_bandpass(Zpk& zpk, double wo, double bw) {
  const int degree = relative_degree(zpk);
  auto scale = [bw](Roots roots) {
    for (Complex& r : roots) r = r * bw / 2.0;
    return roots;
  };
  zpk.zeros = split_roots(scale(zpk.zeros), wo);
  zpk.poles = split_roots(scale(zpk.poles), wo);
  zpk.zeros.insert(zpk.zeros.end(), static_cast<std::size_t>(degree), Complex(0.0));
  zpk.gain *= std::pow(bw, degree);
}

void to_bandstop(Zpk& zpk, double wo, double bw) {
  const int degree = relative_degree(zpk);
  auto invert = [bw](Roots roots) {
    for (Complex& r : roots) r = (bw / 2.0) / r;
    return roots;
  };
  const double gain = (product(zpk.zeros, 0.0, -1.0) / product(zpk.poles, 0.0, -1.0)).real();
  zpk.zeros = split_roots(invert(zpk.zeros), wo);
  zpk.poles = split_roots(invert(zpk.poles), wo);
  zpk.zeros.insert(zpk.zeros.end(), static_cast<std::size_t>(degree), Complex(0.0, wo));
  zpk.zeros.insert(zpk.zeros.end(), static_cast<std::size_t>(degree), Complex(0.0, -wo));
  zpk.gain *= gain;
}

void bilinear(Zpk& zpk, double fs) {
  const int degree = relative_degree(zpk);
  const double fs2 = 2.0 * fs;
  zpk.gain *= (product(zpk.zeros, fs2, -1.0) / product(zpk.poles, fs2, -1.0)).real();
  for (Complex& z : zpk.zeros) z = (fs2 + z) / (fs2 - z);
  for (Complex& p : zpk.poles) p = (fs2 + p) / (fs2 - p);
  zpk.zeros.insert(zpk.zeros.end(), static_cast<std::size_t>(degree), Complex(-1.0));
}

// SciPy's _cplxreal: one root of each conjugate pair (positive imaginary part, averaged with its
// partner), then the real roots; both sorted by real part, runs of equal real part by |imag|.
Roots conjugate_halves_then_reals(Roots roots) {
  if (roots.empty()) return roots;
  const double tol = 100.0 * std::numeric_limits<double>::epsilon();
  std::stable_sort(roots.begin(), roots.end(), [](Complex a, Complex b) {
    if (a.real() != b.real()) return a.real() < b.real();
    return std::abs(a.imag()) < std::abs(b.imag());
  });
  Roots reals, upper, lower;
  for (Complex r : roots) {
    if (std::abs(r.imag()) <= tol * std::abs(r)) reals.emplace_back(r.real(), 0.0);
    else if (r.imag() > 0) upper.push_back(r);
    else lower.push_back(r);
  }
  if (upper.size() != lower.size()) throw std::logic_error("butterworth: roots are not in conjugate pairs");
  auto by_abs_imag = [](Complex a, Complex b) { return std::abs(a.imag()) < std::abs(b.imag()); };
  for (std::size_t start = 0; start < upper.size();) {
    std::size_t stop = start;
    while (stop + 1 < upper.size() && upper[stop + 1].real() - upper[stop].real() <= tol * std::abs(upper[stop]))
      ++stop;
    const auto from = static_cast<std::ptrdiff_t>(start), to = static_cast<std::ptrdiff_t>(stop + 1);
    std::stable_sort(upper.begin() + from, upper.begin() + to, by_abs_imag);
    std::stable_sort(lower.begin() + from, lower.begin() + to, by_abs_imag);
    start = stop + 1;
  }
  Roots out;
  for (std::size_t i = 0; i < upper.size(); ++i) {
    if (std::abs(upper[i] - std::conj(lower[i])) > tol * std::abs(lower[i]))
      throw std::logic_error("butterworth: roots are not in conjugate pairs");
    out.push_back((upper[i] + std::conj(lower[i])) / 2.0);
  }
  out.insert(out.end(), reals.begin(), reals.end());
  return out;
}

// The digital pole closest to the unit circle (the first, on ties).
std::size_t worst_index(const Roots& poles, const std::vector<std::size_t>& among) {
  std::size_t best = among.front();
  for (std::size_t i : among)
    if (std::abs(1.0 - std::abs(poles[i])) < std::abs(1.0 - std::abs(poles[best]))) best = i;
  return best;
}

std::vector<std::size_t> all_indices(const Roots& roots) {
  std::vector<std::size_t> out(roots.size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = i;
  return out;
}

enum class Which { real, complex, any };

std::size_t nearest_index(const Roots& from, Complex to, Which which) {
  std::vector<std::size_t> order = all_indices(from);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return std::abs(from[a] - to) < std::abs(from[b] - to); });
  for (std::size_t i : order)
    if (which == Which::any || (which == Which::real) == is_real(from[i])) return i;
  throw std::logic_error("butterworth: no zero to pair with a pole");
}

Complex take(Roots& roots, std::size_t index) {
  const Complex out = roots[index];
  roots.erase(roots.begin() + static_cast<std::ptrdiff_t>(index));
  return out;
}

std::size_t count_real(const Roots& roots) {
  return static_cast<std::size_t>(std::count_if(roots.begin(), roots.end(), is_real));
}

// Coefficients of prod (x − r), highest power first, real parts (the roots are conjugate pairs
// or real).
std::vector<double> polynomial(const Roots& roots) {
  std::vector<Complex> c = {1.0};
  for (Complex r : roots) {
    std::vector<Complex> next(c.size() + 1, 0.0);
    for (std::size_t i = 0; i < c.size(); ++i) {
      next[i] += c[i];
      next[i + 1] -= r * c[i];
    }
    c = std::move(next);
  }
  std::vector<double> out;
  for (Complex x : c) out.push_back(x.real());
  return out;
}

// Right-aligned like SciPy's _single_zpksos (a single zero gives b = {0, 1, −z}).
Section single_section(const Roots& zeros, const Roots& poles) {
  Section s{};
  const auto b = polynomial(zeros), a = polynomial(poles);
  std::copy(b.begin(), b.end(), s.begin() + static_cast<std::ptrdiff_t>(3 - b.size()));
  std::copy(a.begin(), a.end(), s.begin() + static_cast<std::ptrdiff_t>(6 - a.size()));
  return s;
}

Sections to_sections(Zpk zpk) {
  Roots z = std::move(zpk.zeros), p = std::move(zpk.poles);
  if (z.empty() && p.empty()) return {Section{zpk.gain, 0, 0, 1, 0, 0}};
  if (p.size() < z.size()) p.resize(z.size(), 0.0);
  if (z.size() < p.size()) z.resize(p.size(), 0.0);
  const std::size_t n_sections = (p.size() + 1) / 2;
  if (p.size() % 2 == 1) {
    p.emplace_back(0.0);
    z.emplace_back(0.0);
  }
  z = conjugate_halves_then_reals(std::move(z));
  p = conjugate_halves_then_reals(std::move(p));

  Sections sos(n_sections);
  for (std::size_t si = n_sections; si-- > 0;) {
    const Complex p1 = take(p, worst_index(p, all_indices(p)));
    if (is_real(p1) && count_real(p) == 0) {
      const Complex z1 = take(z, nearest_index(z, p1, Which::real));
      sos[si] = single_section({z1, 0.0}, {p1, 0.0});
    } else if (p.size() + 1 == z.size() && !is_real(p1) && count_real(p) == 1 && count_real(z) == 1) {
      // One real pole and one real zero left: this complex pole must take a complex zero.
      const Complex z1 = take(z, nearest_index(z, p1, Which::complex));
      sos[si] = single_section({z1, std::conj(z1)}, {p1, std::conj(p1)});
    } else {
      Complex p2 = std::conj(p1);
      if (is_real(p1)) {
        std::vector<std::size_t> reals;
        for (std::size_t i = 0; i < p.size(); ++i)
          if (is_real(p[i])) reals.push_back(i);
        p2 = take(p, worst_index(p, reals));
      }
      if (z.empty()) {
        sos[si] = single_section({}, {p1, p2});
      } else {
        const Complex z1 = take(z, nearest_index(z, p1, Which::any));
        if (!is_real(z1)) {
          sos[si] = single_section({z1, std::conj(z1)}, {p1, p2});
        } else if (!z.empty()) {
          const Complex z2 = take(z, nearest_index(z, p1, Which::real));
          sos[si] = single_section({z1, z2}, {p1, p2});
        } else {
          sos[si] = single_section({z1}, {p1, p2});
        }
      }
    }
  }
  for (int i = 0; i < 3; ++i) sos.front()[static_cast<std::size_t>(i)] *= zpk.gain;
  return sos;
}

}  // namespace

std::string to_string(FilterBand band) {
  switch (band) {
    case FilterBand::lowpass: return "lowpass";
    case FilterBand::highpass: return "highpass";
    case FilterBand::bandpass: return "bandpass";
    case FilterBand::bandstop: return "bandstop";
  }
  return "?";
}

Sections butterworth_sections(int order, FilterBand band, double low, double high) {
  if (order < 1) throw std::invalid_argument("butterworth: order must be >= 1, got " + std::to_string(order));
  const bool two_edges = band == FilterBand::bandpass || band == FilterBand::bandstop;
  auto check_edge = [](double w) {
    if (!(w > 0.0 && w < 1.0))
      throw std::invalid_argument("butterworth: cutoffs must be in (0, 1) (fractions of Nyquist), got " +
                                  format_number(w));
  };
  check_edge(low);
  if (two_edges) {
    check_edge(high);
    if (!(low < high))
      throw std::invalid_argument("butterworth: the low cutoff must be below the high one, got " +
                                  format_number(low) + " and " + format_number(high));
  }
  constexpr double fs = 2.0;  // SciPy designs at fs = 2, where 1 is Nyquist
  auto warp = [](double w) { return 2.0 * fs * std::tan(std::numbers::pi * w / fs); };
  Zpk zpk = analog_prototype(order);
  switch (band) {
    case FilterBand::lowpass: to_lowpass(zpk, warp(low)); break;
    case FilterBand::highpass: to_highpass(zpk, warp(low)); break;
    case FilterBand::bandpass:
    case FilterBand::bandstop: {
      const double w1 = warp(low), w2 = warp(high);
      if (band == FilterBand::bandpass) to_bandpass(zpk, std::sqrt(w1 * w2), w2 - w1);
      else to_bandstop(zpk, std::sqrt(w1 * w2), w2 - w1);
      break;
    }
  }
  bilinear(zpk, fs);
  return to_sections(std::move(zpk));
}

}  // namespace augment::audio
