#include "augment/audio/window.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace augment::audio {

WindowKind parse_window(std::string_view name) {
  if (name == "hann") return WindowKind::hann;
  if (name == "hamming") return WindowKind::hamming;
  throw std::invalid_argument("window must be \"hann\" or \"hamming\", got \"" + std::string(name) + "\"");
}

std::string to_string(WindowKind kind) { return kind == WindowKind::hann ? "hann" : "hamming"; }

std::vector<float> make_window(WindowKind kind, int length) {
  if (length < 1) throw std::invalid_argument("window length must be >= 1, got " + std::to_string(length));
  const double alpha = kind == WindowKind::hann ? 0.5 : 0.54;
  const double beta = 1.0 - alpha;
  std::vector<float> w(static_cast<std::size_t>(length));
  // torch returns [1] for a window of one point, whatever the formula would give.
  if (length == 1) {
    w[0] = 1.0f;
    return w;
  }
  for (int n = 0; n < length; ++n)
    w[static_cast<std::size_t>(n)] = static_cast<float>(alpha - beta * std::cos(2.0 * std::numbers::pi * n / length));
  return w;
}

std::vector<float> padded_window(WindowKind kind, int win_length, int n_fft) {
  if (win_length < 1 || win_length > n_fft)
    throw std::invalid_argument("win_length must be in [1, n_fft = " + std::to_string(n_fft) + "], got " +
                                std::to_string(win_length));
  const std::vector<float> w = make_window(kind, win_length);
  std::vector<float> padded(static_cast<std::size_t>(n_fft), 0.0f);
  const auto left = static_cast<std::size_t>((n_fft - win_length) / 2);
  std::copy(w.begin(), w.end(), padded.begin() + static_cast<std::ptrdiff_t>(left));
  return padded;
}

}  // namespace augment::audio
