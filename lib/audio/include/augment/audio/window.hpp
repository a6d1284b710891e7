#pragma once
// STFT analysis windows, as torch.hann_window / torch.hamming_window make them (periodic: the
// window of length N + 1 without its last point, so overlapped copies sum to a constant).
#include <string>
#include <string_view>
#include <vector>

namespace augment::audio {

enum class WindowKind { hann, hamming };

/// "hann" | "hamming"; throws std::invalid_argument naming the choices otherwise.
WindowKind parse_window(std::string_view name);
std::string to_string(WindowKind kind);

/// The periodic window of `length` (>= 1) points: hann 0.5 − 0.5·cos(2πn/N), hamming
/// 0.54 − 0.46·cos(2πn/N). Computed in double, stored as float.
std::vector<float> make_window(WindowKind kind, int length);

/// make_window(kind, win_length) zero-padded to n_fft points, centred with the extra zero on the
/// right when n_fft − win_length is odd (torch.stft's placement). Needs 1 <= win_length <= n_fft.
std::vector<float> padded_window(WindowKind kind, int win_length, int n_fft);

}  // namespace augment::audio
