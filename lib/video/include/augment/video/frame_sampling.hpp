#pragma once
// Which frames to keep, as positions into a video's current frames (0..count-1). Pure functions
// of counts, settings and scores; the sample_* ops call them.
#include <cstddef>
#include <vector>

#include "augment/core/rng.hpp"

namespace augment::video {

/// `n` positions spread over `count` frames: the centre of each of n equal segments,
/// floor((2k + 1) · count / (2n)) for k = 0..n-1 (TSN's test-time sampling). When n > count the
/// segments are shorter than a frame and frames repeat, in order, so there are always n
/// (count 3, n 6 → 0 0 1 1 2 2). Empty when count is 0.
std::vector<std::size_t> uniform_positions(std::size_t count, std::size_t n);

/// The same segments, one position drawn uniformly inside each: floor(k·count/n) +
/// uniform integer in [0, segment length) (TSN's training sampling). A segment shorter than a
/// frame (n > count) gives its start, as uniform_positions does.
std::vector<std::size_t> uniform_positions_jittered(std::size_t count, std::size_t n, Rng& rng);

/// offset, offset + step, ... below count. step >= 1.
std::vector<std::size_t> stride_positions(std::size_t count, std::size_t step, std::size_t offset);

/// One clip: `length` positions start, start + step, ...; positions past the end repeat the
/// last frame (count - 1), so a clip always has `length` frames. count >= 1.
std::vector<std::size_t> clip_positions(std::size_t count, std::size_t length, std::size_t step, std::size_t start);

/// The frames a clip of `length` frames `step` apart spans: (length - 1) · step + 1.
std::size_t clip_span(std::size_t length, std::size_t step);

/// Starts of sliding windows: 0, stride, 2·stride, ... while a window of `span` frames fits
/// (start + span <= count); just {0} when even one does not fit.
std::vector<std::size_t> sliding_starts(std::size_t count, std::size_t span, std::size_t stride);

/// Moving average over a centred window of `window` frames (odd; 1 leaves the scores as they
/// are); the window shrinks at the ends (the mean of the frames it covers).
std::vector<double> smooth_scores(const std::vector<double>& scores, std::size_t window);

/// Up to `n` local maxima of `scores` (a score >= both neighbours and > 0), highest first with
/// earlier positions winning ties, each at least `min_distance` positions from those already
/// taken (non-maximum suppression), returned in ascending order.
std::vector<std::size_t> peak_positions(const std::vector<double>& scores, std::size_t n, std::size_t min_distance);

/// `n` positions at equal steps of cumulative motion: with C(i) = scores[0] + ... + scores[i],
/// for k = 0..n-1 the first i with C(i) >= (k + 0.5) / n · C(last). Frames where nothing moves
/// add nothing to C, so they are never chosen unless a step falls exactly on a plateau's start.
/// When every score is 0 it falls back to uniform_positions.
std::vector<std::size_t> cumulative_motion_positions(const std::vector<double>& scores, std::size_t n);

/// Positions where a new scene starts (the first is always 0): i where scores[i] >= threshold
/// and at least `min_scene_length` frames passed since the last cut (PySceneDetect's content
/// detector rule). scores[i] compares frame i with frame i - 1 (scores[0] is ignored).
std::vector<std::size_t> scene_starts(const std::vector<double>& scores, double threshold, std::size_t min_scene_length);

}  // namespace augment::video
