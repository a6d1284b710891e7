#pragma once
// Filtering with second-order sections in double precision, as scipy.signal does:
//   sos_filter       = sosfilt: the sections in cascade, each in transposed direct form II;
//   sos_filter_zi    = sosfilt_zi: the state in which a constant input gives a constant output
//                      (the step response's steady state), per section;
//   sos_filtfilt     = sosfiltfilt(padtype="odd"): zero phase, forward then backward. The signal
//                      is first extended at both ends by `pad` frames of odd reflection
//                      (2·x[0] − x[pad..1] before, 2·x[n−1] − x[n−2..n−1−pad] after), each pass
//                      starts from sos_filter_zi times its first value, and the padding is cut
//                      off again. The magnitude response is squared (−6 dB at a Butterworth
//                      cutoff instead of −3 dB) and the phase is zero.
// SciPy's default pad is 3·(2·sections + 1 − sections that are first order) and it refuses
// signals not longer than that; here shorter signals are padded by n − 1 frames instead, so a
// short clip is still filtered (only such clips differ from SciPy).
#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "augment/audio/butterworth.hpp"

namespace augment::audio {

/// Per section: the two delay values of transposed direct form II.
using SectionState = std::vector<std::array<double, 2>>;

/// Filters `x` in place. `state` (one entry per section, or empty for zeros) is updated to the
/// final state when given.
void sos_filter(const Sections& sos, std::span<double> x, SectionState* state = nullptr);

/// SciPy's sosfilt_zi: the initial state for a unit step.
SectionState sos_filter_zi(const Sections& sos);

/// SciPy's default odd-extension length for `sos`: 3·(2·sections + 1 − min(#b2 == 0, #a2 == 0)).
std::size_t sos_filtfilt_default_pad(const Sections& sos);

/// Zero-phase forward-backward filtering of `x` (see above), in place.
void sos_filtfilt(const Sections& sos, std::span<double> x);

}  // namespace augment::audio
