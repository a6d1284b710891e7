#include "stft_framing.hpp"

#include <algorithm>
#include <string>

#include "augment/audio/window.hpp"
#include "augment/core/error.hpp"

namespace augment::audio::detail {

Framing resolve(const StftSettings& s) {
  Framing f;
  f.settings = s;
  if (s.n_fft < 1) throw UsageError("n_fft must be >= 1, got " + std::to_string(s.n_fft));
  f.n_fft = s.n_fft;
  f.win_length = s.win_length > 0 ? s.win_length : s.n_fft;
  if (f.win_length > f.n_fft)
    throw UsageError("win_length (" + std::to_string(f.win_length) + ") must be <= n_fft (" + std::to_string(f.n_fft) + ")");
  f.hop_length = s.hop_length > 0 ? s.hop_length : std::max(1, f.win_length / 2);
  f.bins = f.n_fft / 2 + 1;
  // The last window this thread made, kept: computing one costs n_fft cosines, as much as the
  // FFTs of several frames, and consecutive calls almost always ask for the same one.
  thread_local struct {
    WindowKind kind = WindowKind::hann;
    int win_length = 0, n_fft = 0;
    std::vector<float> values;
  } last;
  if (last.values.empty() || last.kind != s.window || last.win_length != f.win_length || last.n_fft != f.n_fft)
    last = {s.window, f.win_length, f.n_fft, padded_window(s.window, f.win_length, f.n_fft)};
  f.window = last.values;
  f.window_begin = static_cast<std::size_t>((f.n_fft - f.win_length) / 2);
  f.window_end = f.window_begin + static_cast<std::size_t>(f.win_length);
  return f;
}

double window_energy(const std::vector<float>& window) {
  double sum = 0;
  for (float w : window) sum += static_cast<double>(w) * w;
  return sum;
}

}  // namespace augment::audio::detail
