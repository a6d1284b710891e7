// Frame sampling: every expected position list is worked out by hand from the documented rules
// (TSN's segment centres, strides, clips padded with the last frame, sliding windows, moving
// averages, peak picking with suppression, equal steps of cumulative motion, scene cuts).
#include <doctest/doctest.h>

#include <cstddef>
#include <stdexcept>
#include <vector>

#include "augment/core/rng.hpp"
#include "augment/video/frame_sampling.hpp"

using augment::Rng;
using Positions = std::vector<std::size_t>;
namespace v = augment::video;

TEST_CASE("uniform_positions: the centre of each of n equal segments") {
  // floor((2k + 1) · 10 / 8): 10/8, 30/8, 50/8, 70/8 -> 1, 3, 6, 8.
  CHECK(v::uniform_positions(10, 4) == Positions{1, 3, 6, 8});
  // floor((2k + 1) · 3 / 12): 3/12, 9/12, 15/12, 21/12, 27/12, 33/12 -> frames repeat in order.
  CHECK(v::uniform_positions(3, 6) == Positions{0, 0, 1, 1, 2, 2});
  // floor((2k + 1) · 100 / 6): 16.67, 50, 83.33 -> 16, 50, 83.
  CHECK(v::uniform_positions(100, 3) == Positions{16, 50, 83});
  // One segment: its centre, floor(7 / 2) = 3.
  CHECK(v::uniform_positions(7, 1) == Positions{3});
  // As many positions as frames: every frame once.
  CHECK(v::uniform_positions(5, 5) == Positions{0, 1, 2, 3, 4});
  CHECK(v::uniform_positions(1, 3) == Positions{0, 0, 0});
  CHECK(v::uniform_positions(0, 4).empty());
  CHECK(v::uniform_positions(10, 0).empty());
}

TEST_CASE("uniform_positions_jittered: one position inside each segment, fixed by the generator") {
  // Segments of 100 frames in 8: starts floor(k · 100 / 8) = 0, 12, 25, 37, 50, 62, 75, 87, end 100.
  const Positions starts{0, 12, 25, 37, 50, 62, 75, 87, 100};
  for (std::uint64_t key = 0; key < 50; ++key) {
    Rng rng(key);
    const Positions p = v::uniform_positions_jittered(100, 8, rng);
    REQUIRE(p.size() == 8);
    for (std::size_t k = 0; k < 8; ++k) {
      CHECK(p[k] >= starts[k]);
      CHECK(p[k] < starts[k + 1]);
    }
    Rng again(key);
    CHECK(v::uniform_positions_jittered(100, 8, again) == p);
  }
  // Different keys draw different positions (within 20 draws some segment differs).
  Rng a(1), b(2);
  bool differ = false;
  for (int i = 0; i < 20 && !differ; ++i)
    differ = v::uniform_positions_jittered(100, 8, a) != v::uniform_positions_jittered(100, 8, b);
  CHECK(differ);
  // Every position of a segment is drawn: 2 segments of 5 frames over many draws hit 0..4 and 5..9.
  std::vector<int> hits(10, 0);
  Rng rng(7);
  for (int i = 0; i < 400; ++i)
    for (const std::size_t p : v::uniform_positions_jittered(10, 2, rng)) ++hits[p];
  for (const int h : hits) CHECK(h > 0);
}

TEST_CASE("uniform_positions_jittered: segments shorter than a frame give their start") {
  // count 3, n 6: starts floor(k · 3 / 6) = 0, 0, 1, 1, 2, 2, each segment 0 or 1 frame long.
  Rng rng(3);
  CHECK(v::uniform_positions_jittered(3, 6, rng) == Positions{0, 0, 1, 1, 2, 2});
  CHECK(v::uniform_positions_jittered(0, 4, rng).empty());
  // Segments exactly one frame long: every frame, with no randomness.
  CHECK(v::uniform_positions_jittered(4, 4, rng) == Positions{0, 1, 2, 3});
}

TEST_CASE("stride_positions: offset, offset + step, ... below count") {
  CHECK(v::stride_positions(10, 3, 0) == Positions{0, 3, 6, 9});
  CHECK(v::stride_positions(10, 3, 2) == Positions{2, 5, 8});
  CHECK(v::stride_positions(10, 1, 7) == Positions{7, 8, 9});
  CHECK(v::stride_positions(10, 20, 4) == Positions{4});
  CHECK(v::stride_positions(10, 2, 10).empty());
  CHECK(v::stride_positions(0, 2, 0).empty());
  CHECK_THROWS_AS(v::stride_positions(10, 0, 0), std::invalid_argument);
}

TEST_CASE("clip_positions and clip_span: a clip past the end repeats the last frame") {
  CHECK(v::clip_positions(20, 4, 2, 3) == Positions{3, 5, 7, 9});
  // 10 frames, 5 positions 3 apart from 2: 2, 5, 8, then 11 and 14 are past 9 -> 9, 9.
  CHECK(v::clip_positions(10, 5, 3, 2) == Positions{2, 5, 8, 9, 9});
  CHECK(v::clip_positions(1, 3, 1, 0) == Positions{0, 0, 0});
  CHECK(v::clip_positions(5, 3, 1, 7) == Positions{4, 4, 4});
  CHECK(v::clip_positions(5, 0, 1, 0).empty());
  CHECK_THROWS_AS(v::clip_positions(0, 3, 1, 0), std::invalid_argument);
  CHECK(v::clip_span(4, 2) == 7);
  CHECK(v::clip_span(1, 5) == 1);
  CHECK(v::clip_span(16, 1) == 16);
  CHECK(v::clip_span(3, 4) == 9);
}

TEST_CASE("sliding_starts: windows that fit, or just 0") {
  // span 4 in 10 frames, stride 3: starts 0, 3, 6 (6 + 4 = 10 fits; 9 + 4 does not).
  CHECK(v::sliding_starts(10, 4, 3) == Positions{0, 3, 6});
  CHECK(v::sliding_starts(10, 4, 1) == Positions{0, 1, 2, 3, 4, 5, 6});
  CHECK(v::sliding_starts(10, 10, 2) == Positions{0});
  CHECK(v::sliding_starts(10, 11, 2) == Positions{0});
  CHECK(v::sliding_starts(10, 3, 5) == Positions{0, 5});
  CHECK_THROWS_AS(v::sliding_starts(10, 3, 0), std::invalid_argument);
}

TEST_CASE("smooth_scores: centred moving average that shrinks at the ends") {
  const std::vector<double> s{3, 0, 6, 0, 9};
  CHECK(v::smooth_scores(s, 1) == s);
  // Window 3: (3+0)/2, (3+0+6)/3, (0+6+0)/3, (6+0+9)/3, (0+9)/2.
  const std::vector<double> w3 = v::smooth_scores(s, 3);
  REQUIRE(w3.size() == 5);
  CHECK(w3[0] == doctest::Approx(1.5));
  CHECK(w3[1] == doctest::Approx(3.0));
  CHECK(w3[2] == doctest::Approx(2.0));
  CHECK(w3[3] == doctest::Approx(5.0));
  CHECK(w3[4] == doctest::Approx(4.5));
  // Window 5: (3+0+6)/3, (3+0+6+0)/4, 18/5, (0+6+0+9)/4, (6+0+9)/3.
  const std::vector<double> w5 = v::smooth_scores(s, 5);
  CHECK(w5[0] == doctest::Approx(3.0));
  CHECK(w5[1] == doctest::Approx(2.25));
  CHECK(w5[2] == doctest::Approx(3.6));
  CHECK(w5[3] == doctest::Approx(3.75));
  CHECK(w5[4] == doctest::Approx(5.0));
  // A window wider than the scores covers all of them from every position.
  const std::vector<double> wide = v::smooth_scores({2, 4}, 9);
  CHECK(wide[0] == doctest::Approx(3.0));
  CHECK(wide[1] == doctest::Approx(3.0));
  CHECK(v::smooth_scores({}, 3).empty());
  CHECK_THROWS_AS(v::smooth_scores(s, 2), std::invalid_argument);
  CHECK_THROWS_AS(v::smooth_scores(s, 0), std::invalid_argument);
}

TEST_CASE("peak_positions: highest local maxima first, suppressed near taken ones, ascending") {
  //                              0  1  2  3  4  5  6  7  8  9
  const std::vector<double> s{0, 5, 1, 2, 9, 3, 0, 7, 7, 1};
  // Local maxima (>= both neighbours, > 0): 1 (5), 4 (9), 7 (7), 8 (7); 3 (2) is below 9.
  CHECK(v::peak_positions(s, 10, 0) == Positions{1, 4, 7, 8});
  // By score: 4, then 7 (ties with 8: the earlier wins), 8, 1.
  CHECK(v::peak_positions(s, 1, 0) == Positions{4});
  CHECK(v::peak_positions(s, 2, 0) == Positions{4, 7});
  CHECK(v::peak_positions(s, 3, 0) == Positions{4, 7, 8});
  // min_distance 2: 4 taken, 7 taken (3 away), 8 is 1 from 7 -> out, 1 is 3 from 4 -> in.
  CHECK(v::peak_positions(s, 10, 2) == Positions{1, 4, 7});
  // min_distance 4: 4, then 7 is 3 away -> out, 8 is 4 away -> in, 1 is 3 from 4 -> out.
  CHECK(v::peak_positions(s, 10, 4) == Positions{4, 8});
  CHECK(v::peak_positions(s, 0, 0).empty());
  // The ends count with their one neighbour; zeros are never peaks.
  CHECK(v::peak_positions({4, 1, 0, 0, 2}, 5, 0) == Positions{0, 4});
  CHECK(v::peak_positions({0, 0, 0}, 3, 0).empty());
  CHECK(v::peak_positions({}, 3, 0).empty());
}

TEST_CASE("cumulative_motion_positions: equal steps of cumulative motion") {
  // C = 0, 0, 4, 8, 8, 8, 10, 10; total 10. n = 4: targets 1.25, 3.75, 6.25, 8.75 ->
  // first C >= target: 2, 2, 3, 6.
  const std::vector<double> s{0, 0, 4, 4, 0, 0, 2, 0};
  CHECK(v::cumulative_motion_positions(s, 4) == Positions{2, 2, 3, 6});
  // n = 2: targets 2.5 and 7.5 -> 2 and 3.
  CHECK(v::cumulative_motion_positions(s, 2) == Positions{2, 3});
  // Steady motion is uniform sampling: C = 1..8, n 4: targets 1, 3, 5, 7 -> 0, 2, 4, 6.
  CHECK(v::cumulative_motion_positions(std::vector<double>(8, 1.0), 4) == Positions{0, 2, 4, 6});
  // Nothing moves: uniform_positions(6, 3) = 1, 3, 5.
  CHECK(v::cumulative_motion_positions(std::vector<double>(6, 0.0), 3) == Positions{1, 3, 5});
  CHECK(v::cumulative_motion_positions({}, 3).empty());
  CHECK_THROWS_AS(v::cumulative_motion_positions({1, -1}, 2), std::invalid_argument);
}

TEST_CASE("scene_starts: cuts at or above the threshold, min_scene_length apart") {
  //                              0   1  2   3  4  5   6  7
  const std::vector<double> s{99, 1, 40, 2, 3, 35, 50, 1};
  CHECK(v::scene_starts(s, 30, 1) == Positions{0, 2, 5, 6});
  // min 2: 2 (2 after 0), 5 (3 after 2), 6 is 1 after 5 -> not a cut.
  CHECK(v::scene_starts(s, 30, 2) == Positions{0, 2, 5});
  // min 4: 2 is too close to 0, 5 is 5 after 0, 6 too close to 5.
  CHECK(v::scene_starts(s, 30, 4) == Positions{0, 5});
  // The threshold is inclusive; scores[0] is ignored.
  CHECK(v::scene_starts(s, 40, 1) == Positions{0, 2, 6});
  CHECK(v::scene_starts(s, 100, 1) == Positions{0});
  CHECK(v::scene_starts({}, 30, 1).empty());
}
