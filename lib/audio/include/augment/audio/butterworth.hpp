#pragma once
// Digital Butterworth filters as second-order sections, designed exactly as
// scipy.signal.butter(order, Wn, btype, output='sos') does (SciPy 1.10), so the coefficients agree
// with SciPy's to rounding:
//   1. analog prototype: order poles on the left half of the unit circle (buttap), no zeros;
//   2. frequency pre-warping, warped = 4·tan(π·Wn/2) (bilinear transform at fs = 2), then the
//      analog low-pass → low-, high-, band-pass or band-stop transform (lp2*_zpk; the band ones
//      at centre sqrt(w1·w2) and bandwidth w2 − w1, so band designs have order 2·N);
//   3. bilinear transform of zeros, poles and gain (bilinear_zpk);
//   4. zpk2sos with pairing "nearest": the pole closest to the unit circle goes to the last
//      section, each paired with its nearest zeros; the gain goes to the first section. An odd
//      number of poles gets a pole and a zero at 0, i.e. a first-order section with b2 = a2 = 0.
#include <array>
#include <string>
#include <vector>

namespace augment::audio {

enum class FilterBand { lowpass, highpass, bandpass, bandstop };

std::string to_string(FilterBand band);

/// One section: {b0, b1, b2, a0, a1, a2} with a0 = 1, SciPy's sos row layout.
using Section = std::array<double, 6>;
using Sections = std::vector<Section>;

/// The order-`order` (>= 1) Butterworth filter of `band` with cutoffs as fractions of the Nyquist
/// frequency (0 < w < 1; `high` is used by the band filters only, which need low < high).
/// Throws std::invalid_argument on other arguments.
Sections butterworth_sections(int order, FilterBand band, double low, double high = 0.0);

}  // namespace augment::audio
