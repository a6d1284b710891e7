#include "augment/video/frame_sampling.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace augment::video {

std::vector<std::size_t> uniform_positions(std::size_t count, std::size_t n) {
  std::vector<std::size_t> out;
  if (count == 0) return out;
  out.reserve(n);
  for (std::size_t k = 0; k < n; ++k) out.push_back((2 * k + 1) * count / (2 * n));
  return out;
}

std::vector<std::size_t> uniform_positions_jittered(std::size_t count, std::size_t n, Rng& rng) {
  std::vector<std::size_t> out;
  if (count == 0) return out;
  out.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t start = k * count / n;
    const std::size_t length = (k + 1) * count / n - start;
    // Only segments of two or more frames draw a number, so n > count consumes none.
    out.push_back(length > 1 ? start + static_cast<std::size_t>(rng.index(length)) : start);
  }
  return out;
}

std::vector<std::size_t> stride_positions(std::size_t count, std::size_t step, std::size_t offset) {
  if (step == 0) throw std::invalid_argument("stride_positions: step must be >= 1");
  std::vector<std::size_t> out;
  for (std::size_t i = offset; i < count; i += step) out.push_back(i);
  return out;
}

std::vector<std::size_t> clip_positions(std::size_t count, std::size_t length, std::size_t step, std::size_t start) {
  if (count == 0) throw std::invalid_argument("clip_positions: the video has no frames");
  if (step == 0) throw std::invalid_argument("clip_positions: step must be >= 1");
  std::vector<std::size_t> out;
  out.reserve(length);
  for (std::size_t i = 0; i < length; ++i) {
    // Compared before multiplying so a huge start or step cannot wrap around.
    const bool past = start >= count || i > (count - 1 - start) / step;
    out.push_back(past ? count - 1 : start + i * step);
  }
  return out;
}

std::size_t clip_span(std::size_t length, std::size_t step) { return length == 0 ? 0 : (length - 1) * step + 1; }

std::vector<std::size_t> sliding_starts(std::size_t count, std::size_t span, std::size_t stride) {
  if (stride == 0) throw std::invalid_argument("sliding_starts: stride must be >= 1");
  if (span > count) return {0};
  std::vector<std::size_t> out;
  for (std::size_t s = 0; s <= count - span; s += stride) out.push_back(s);
  return out;
}

std::vector<double> smooth_scores(const std::vector<double>& scores, std::size_t window) {
  if (window % 2 == 0) throw std::invalid_argument("smooth_scores: the window must be odd, got " + std::to_string(window));
  const std::size_t half = window / 2, n = scores.size();
  std::vector<double> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t lo = i >= half ? i - half : 0;
    const std::size_t hi = std::min(n - 1, i + half);
    double sum = 0;
    for (std::size_t j = lo; j <= hi; ++j) sum += scores[j];
    out[i] = sum / static_cast<double>(hi - lo + 1);
  }
  return out;
}

std::vector<std::size_t> peak_positions(const std::vector<double>& scores, std::size_t n, std::size_t min_distance) {
  const std::size_t count = scores.size();
  std::vector<std::size_t> candidates;
  for (std::size_t i = 0; i < count; ++i) {
    const double s = scores[i];
    if (!(s > 0)) continue;  // also skips NaN
    if (i > 0 && !(s >= scores[i - 1])) continue;
    if (i + 1 < count && !(s >= scores[i + 1])) continue;
    candidates.push_back(i);
  }
  // Highest first; stable, so equal scores keep ascending positions (earlier wins).
  std::stable_sort(candidates.begin(), candidates.end(),
                   [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  std::vector<std::size_t> taken;
  for (const std::size_t c : candidates) {
    if (taken.size() >= n) break;
    const bool far = std::all_of(taken.begin(), taken.end(), [&](std::size_t t) {
      return (c > t ? c - t : t - c) >= min_distance;
    });
    if (far) taken.push_back(c);
  }
  std::sort(taken.begin(), taken.end());
  return taken;
}

std::vector<std::size_t> cumulative_motion_positions(const std::vector<double>& scores, std::size_t n) {
  for (const double s : scores)
    if (!(s >= 0) || !std::isfinite(s))
      throw std::invalid_argument("cumulative_motion_positions: scores must be finite and >= 0");
  std::vector<double> cumulative(scores.size());
  std::partial_sum(scores.begin(), scores.end(), cumulative.begin());
  if (cumulative.empty() || cumulative.back() <= 0) return uniform_positions(scores.size(), n);
  const double total = cumulative.back();
  std::vector<std::size_t> out;
  out.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    const double target = (static_cast<double>(k) + 0.5) / static_cast<double>(n) * total;
    const auto at = std::lower_bound(cumulative.begin(), cumulative.end(), target);
    // target < total, so some C(i) reaches it; the guard only covers rounding.
    out.push_back(at == cumulative.end() ? scores.size() - 1
                                         : static_cast<std::size_t>(at - cumulative.begin()));
  }
  return out;
}

std::vector<std::size_t> scene_starts(const std::vector<double>& scores, double threshold, std::size_t min_scene_length) {
  std::vector<std::size_t> starts;
  if (scores.empty()) return starts;
  starts.push_back(0);
  for (std::size_t i = 1; i < scores.size(); ++i)
    if (scores[i] >= threshold && i - starts.back() >= min_scene_length) starts.push_back(i);
  return starts;
}

}  // namespace augment::video
