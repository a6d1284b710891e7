#include "augment/audio/sos_filter.hpp"

#include <algorithm>
#include <stdexcept>

namespace augment::audio {

void sos_filter(const Sections& sos, std::span<double> x, SectionState* state) {
  SectionState zeros;
  SectionState& z = state ? *state : zeros;
  if (z.empty()) z.assign(sos.size(), {0.0, 0.0});
  if (z.size() != sos.size()) throw std::invalid_argument("sos_filter: the state needs one entry per section");
  for (double& sample : x) {
    double value = sample;
    for (std::size_t s = 0; s < sos.size(); ++s) {
      const Section& c = sos[s];
      const double out = c[0] * value + z[s][0];
      z[s][0] = c[1] * value - c[4] * out + z[s][1];
      z[s][1] = c[2] * value - c[5] * out;
      value = out;
    }
    sample = value;
  }
}

SectionState sos_filter_zi(const Sections& sos) {
  // Per section (lfilter_zi): solve zi = A·zi + B for the companion matrix of a; the input of
  // each later section is the DC gain of the ones before it.
  SectionState zi;
  double scale = 1.0;
  for (const Section& c : sos) {
    const double b0 = c[0], b1 = c[1], b2 = c[2], a1 = c[4], a2 = c[5];
    const double B0 = b1 - a1 * b0, B1 = b2 - a2 * b0;
    const double z0 = (B0 + B1) / (1.0 + a1 + a2);
    zi.push_back({scale * z0, scale * (B1 - a2 * z0)});
    scale *= (b0 + b1 + b2) / (1.0 + a1 + a2);
  }
  return zi;
}

std::size_t sos_filtfilt_default_pad(const Sections& sos) {
  const auto zero_b2 = std::count_if(sos.begin(), sos.end(), [](const Section& c) { return c[2] == 0.0; });
  const auto zero_a2 = std::count_if(sos.begin(), sos.end(), [](const Section& c) { return c[5] == 0.0; });
  const std::size_t taps = 2 * sos.size() + 1 - static_cast<std::size_t>(std::min(zero_b2, zero_a2));
  return 3 * taps;
}

void sos_filtfilt(const Sections& sos, std::span<double> x) {
  const std::size_t n = x.size();
  if (n == 0) return;
  const std::size_t pad = std::min(sos_filtfilt_default_pad(sos), n - 1);
  std::vector<double> ext(n + 2 * pad);
  for (std::size_t i = 0; i < pad; ++i) {
    ext[i] = 2.0 * x[0] - x[pad - i];
    ext[pad + n + i] = 2.0 * x[n - 1] - x[n - 2 - i];
  }
  std::copy(x.begin(), x.end(), ext.begin() + static_cast<std::ptrdiff_t>(pad));

  const SectionState zi = sos_filter_zi(sos);
  auto pass = [&](double first) {
    SectionState state = zi;
    for (auto& z : state) z = {z[0] * first, z[1] * first};
    sos_filter(sos, ext, &state);
  };
  pass(ext.front());
  std::reverse(ext.begin(), ext.end());
  pass(ext.front());
  std::reverse(ext.begin(), ext.end());
  std::copy_n(ext.begin() + static_cast<std::ptrdiff_t>(pad), n, x.begin());
}

}  // namespace augment::audio
