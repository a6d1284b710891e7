// Optical flow on the moving-square clip (the square's known shift between frames), the .flo
// format against bytes written out by hand, and the Middlebury colour code against colours
// worked out from the colour wheel of Baker et al.'s colorcode.cpp.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "augment/core/error.hpp"
#include "augment/video/optical_flow.hpp"
#include "video_test_helpers.hpp"

using augment::video::compute_flow;
using augment::video::decode_flo;
using augment::video::encode_flo;
using augment::video::FlowMethod;
using augment::video::FlowSettings;
using augment::video::flow_to_colour;
using Bytes = std::vector<std::uint8_t>;

namespace {

FlowSettings farneback() {
  FlowSettings s;
  s.method = FlowMethod::farneback;
  return s;
}

FlowSettings dis(const std::string& preset) {
  FlowSettings s;
  s.method = FlowMethod::dis;
  s.dis_preset = preset;
  return s;
}

double median(std::vector<float> v) {
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

struct FlowSummary {
  cv::Point2d square;      // median flow over the square's interior, 6 px in from its edges
  cv::Point2d background;  // median |flow| over pixels 20 px or more away from both positions
};

FlowSummary summarize(const cv::Mat& flow, int f) {
  const cv::Point from = video_test::square_position(f - 1), to = video_test::square_position(f);
  const int side = video_test::kSquareSide, inset = 6, margin = 20;
  const auto far = [&](int x, int y, cv::Point p) {
    return x < p.x - margin || x >= p.x + side + margin || y < p.y - margin || y >= p.y + side + margin;
  };
  std::vector<float> dx, dy, bx, by;
  for (int y = 0; y < flow.rows; ++y)
    for (int x = 0; x < flow.cols; ++x) {
      const cv::Vec2f d = flow.at<cv::Vec2f>(y, x);
      if (x >= from.x + inset && x < from.x + side - inset && y >= from.y + inset && y < from.y + side - inset) {
        dx.push_back(d[0]);
        dy.push_back(d[1]);
      }
      if (far(x, y, from) && far(x, y, to)) {
        bx.push_back(std::abs(d[0]));
        by.push_back(std::abs(d[1]));
      }
    }
  return {{median(dx), median(dy)}, {median(bx), median(by)}};
}

// Checks every moving frame of the square clip: the square's shift within `tolerance` pixels.
void check_square_clip(const FlowSettings& settings, double tolerance) {
  for (int f = 1; f < video_test::kSquareFrames; ++f) {
    if (!video_test::square_moves(f)) continue;
    CAPTURE(f);
    const cv::Mat flow = compute_flow(video_test::square_frame(f - 1), video_test::square_frame(f), settings);
    REQUIRE(flow.type() == CV_32FC2);
    REQUIRE(flow.size() == cv::Size(video_test::kSquareWidth, video_test::kSquareHeight));
    const FlowSummary s = summarize(flow, f);
    const cv::Point shift = video_test::square_shift(f);
    CHECK(std::abs(s.square.x - shift.x) <= tolerance);
    CHECK(std::abs(s.square.y - shift.y) <= tolerance);
    CHECK(s.background.x < 0.1);
    CHECK(s.background.y < 0.1);
  }
}

void put_le(Bytes& b, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

Bytes flo_header(std::int32_t width, std::int32_t height) {
  Bytes b{'P', 'I', 'E', 'H'};
  put_le(b, static_cast<std::uint32_t>(width));
  put_le(b, static_cast<std::uint32_t>(height));
  return b;
}

cv::Vec3b colour_of(float dx, float dy, double max_magnitude) {
  const cv::Mat flow(1, 1, CV_32FC2, cv::Scalar(dx, dy));
  return flow_to_colour(flow, max_magnitude).at<cv::Vec3b>(0, 0);
}

}  // namespace

TEST_CASE("Farneback recovers the square's shift, and nothing moves on the background") {
  check_square_clip(farneback(), 0.5);
}

TEST_CASE("DIS medium recovers the square's shift within half a pixel") { check_square_clip(dis("medium"), 0.5); }

TEST_CASE("DIS fast and ultrafast recover the square's shift within a pixel") {
  // These presets stop at a quarter of the resolution (finest scale 2) and upsample the flow 4x,
  // so a quarter-pixel error there is a pixel here: on this clip the worst is 0.72 px.
  check_square_clip(dis("fast"), 1.0);
  check_square_clip(dis("ultrafast"), 1.0);
}

TEST_CASE("compute_flow: identical frames give zero flow, and gray, BGR and BGRA agree") {
  const cv::Mat a = video_test::square_frame(12), b = video_test::square_frame(13);
  for (const FlowSettings& s : {farneback(), dis("ultrafast"), dis("medium")}) {
    CHECK(cv::norm(compute_flow(a, a, s), cv::NORM_INF) < 1e-6);
    cv::Mat ga, gb, a4, b4;
    cv::cvtColor(a, ga, cv::COLOR_BGR2GRAY);
    cv::cvtColor(b, gb, cv::COLOR_BGR2GRAY);
    cv::cvtColor(a, a4, cv::COLOR_BGR2BGRA);
    cv::cvtColor(b, b4, cv::COLOR_BGR2BGRA);
    const cv::Mat bgr = compute_flow(a, b, s);
    CHECK(cv::norm(bgr, compute_flow(ga, gb, s), cv::NORM_INF) == 0.0);
    CHECK(cv::norm(bgr, compute_flow(a4, b4, s), cv::NORM_INF) == 0.0);
  }
}

TEST_CASE("compute_flow is deterministic and does not depend on OpenCV's thread count") {
  // DIS's patch search runs in a fixed 8 stripes and its other passes are per pixel, and
  // Farneback's parallel loops are per row, so the bytes match whatever the thread count.
  const cv::Mat a = video_test::square_frame(14), b = video_test::square_frame(15);
  const int threads = cv::getNumThreads();
  for (const FlowSettings& s : {farneback(), dis("ultrafast"), dis("fast"), dis("medium")}) {
    CAPTURE(s.dis_preset);
    cv::setNumThreads(1);
    const cv::Mat one = compute_flow(a, b, s);
    // 2, not more: TBB warns on stderr when asked for more workers than cores - 1.
    cv::setNumThreads(2);
    const cv::Mat two = compute_flow(a, b, s);
    const cv::Mat again = compute_flow(a, b, s);
    cv::setNumThreads(threads);
    CHECK(encode_flo(one) == encode_flo(two));
    CHECK(encode_flo(two) == encode_flo(again));
  }
}

TEST_CASE("compute_flow: frames of any size, down to 1x1") {
  for (const cv::Size size : {cv::Size(1, 1), cv::Size(7, 3), cv::Size(20, 4), cv::Size(64, 8), cv::Size(200, 24),
                              cv::Size(24, 200), cv::Size(80, 60)}) {
    CAPTURE(size);
    cv::Mat a(size, CV_8UC1);
    cv::randu(a, 0, 256);
    for (const FlowSettings& s : {farneback(), dis("ultrafast"), dis("fast"), dis("medium")}) {
      const cv::Mat flow = compute_flow(a, a, s);
      CHECK(flow.size() == size);
      CHECK(flow.type() == CV_32FC2);
    }
  }
}

TEST_CASE("compute_flow: bad settings and mismatched frames are std::invalid_argument") {
  const cv::Mat a = video_test::square_frame(0);
  const auto bad = [&](FlowSettings s) { CHECK_THROWS_AS(compute_flow(a, a, s), std::invalid_argument); };
  bad(dis("slow"));
  FlowSettings s = farneback();
  s.pyramid_scale = 1.0;
  bad(s);
  s = farneback();
  s.pyramid_scale = 0;
  bad(s);
  s = farneback();
  s.levels = -1;
  bad(s);
  s = farneback();
  s.window_size = 0;
  bad(s);
  s = farneback();
  s.iterations = 0;
  bad(s);
  s = farneback();
  s.poly_n = 6;
  bad(s);
  s = farneback();
  s.poly_sigma = 0;
  bad(s);
  CHECK_THROWS_AS(compute_flow(a, video_test::square_frame(0)(cv::Rect(0, 0, 80, 60)), dis("fast")),
                  std::invalid_argument);
  CHECK_THROWS_AS(compute_flow(a, cv::Mat(), dis("fast")), std::invalid_argument);
  cv::Mat wide;
  a.convertTo(wide, CV_16UC3);
  CHECK_THROWS_AS(compute_flow(wide, wide, farneback()), std::invalid_argument);
}

TEST_CASE("encode_flo: a 2x3 field byte by byte, little-endian") {
  cv::Mat flow(3, 2, CV_32FC2);
  flow.at<cv::Vec2f>(0, 0) = {1.0F, -1.0F};
  flow.at<cv::Vec2f>(0, 1) = {0.5F, 2.0F};
  flow.at<cv::Vec2f>(1, 0) = {0.0F, -2.5F};
  flow.at<cv::Vec2f>(1, 1) = {0.25F, 1.5F};
  flow.at<cv::Vec2f>(2, 0) = {3.0F, -0.5F};
  flow.at<cv::Vec2f>(2, 1) = {4.0F, 10.0F};
  const Bytes expected{
      0x50, 0x49, 0x45, 0x48,  // 202021.25f = 0x48454950: "PIEH"
      0x02, 0x00, 0x00, 0x00,  // width 2
      0x03, 0x00, 0x00, 0x00,  // height 3
      0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x80, 0xBF,  // (1, -1)
      0x00, 0x00, 0x00, 0x3F, 0x00, 0x00, 0x00, 0x40,  // (0.5, 2)
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0xC0,  // (0, -2.5)
      0x00, 0x00, 0x80, 0x3E, 0x00, 0x00, 0xC0, 0x3F,  // (0.25, 1.5)
      0x00, 0x00, 0x40, 0x40, 0x00, 0x00, 0x00, 0xBF,  // (3, -0.5)
      0x00, 0x00, 0x80, 0x40, 0x00, 0x00, 0x20, 0x41,  // (4, 10)
  };
  CHECK(encode_flo(flow) == expected);
  const cv::Mat back = decode_flo(expected);
  REQUIRE(back.type() == CV_32FC2);
  REQUIRE(back.size() == cv::Size(2, 3));
  CHECK(cv::norm(back, flow, cv::NORM_INF) == 0.0);
}

TEST_CASE("encode_flo and decode_flo round-trip every float, Middlebury's unknown flow included") {
  cv::Mat flow(17, 23, CV_32FC2);
  cv::randn(flow, 0, 40);
  flow.at<cv::Vec2f>(3, 4) = {1e10F, 1e10F};  // Middlebury's "unknown"
  flow.at<cv::Vec2f>(5, 6) = {-0.0F, std::numeric_limits<float>::denorm_min()};
  const Bytes bytes = encode_flo(flow);
  CHECK(bytes.size() == 12 + 17 * 23 * 8);
  const cv::Mat back = decode_flo(bytes);
  CHECK(back.size() == flow.size());
  CHECK(encode_flo(back) == bytes);
  // A view into a larger field is written as its own pixels.
  const cv::Mat view = flow(cv::Rect(2, 3, 5, 4));
  CHECK(cv::norm(decode_flo(encode_flo(view)), view, cv::NORM_INF) == 0.0);
}

TEST_CASE("decode_flo: every malformed input is a DataError with its reason") {
  const auto fails = [](const Bytes& b, const std::string& reason) {
    CAPTURE(reason);
    CHECK_THROWS_WITH_AS(decode_flo(b), doctest::Contains(reason.c_str()), augment::DataError);
  };
  Bytes ok = flo_header(2, 1);
  ok.resize(12 + 16, 0);
  CHECK(decode_flo(ok).size() == cv::Size(2, 1));

  fails({}, "too short");
  fails(Bytes(ok.begin(), ok.begin() + 11), "too short");
  Bytes magic = ok;
  magic[0] = 'X';
  fails(magic, "bad magic");
  Bytes be = ok;  // the magic written big-endian
  std::reverse(be.begin(), be.begin() + 4);
  fails(be, "bad magic");
  fails(flo_header(0, 1), "absurd size 0x1");
  fails(flo_header(2, -1), "absurd size 2x-1");
  fails(flo_header(65537, 1), "absurd size 65537x1");
  fails(flo_header(1, 1 << 20), "absurd size");
  fails(Bytes(ok.begin(), ok.end() - 1), "truncated");
  fails(flo_header(2, 1), "truncated");
  Bytes extra = ok;
  extra.push_back(0);
  fails(extra, "size mismatch");
}

TEST_CASE("encode_flo takes only non-empty CV_32FC2") {
  CHECK_THROWS_AS(encode_flo(cv::Mat()), std::invalid_argument);
  CHECK_THROWS_AS(encode_flo(cv::Mat(2, 2, CV_64FC2, cv::Scalar(0, 0))), std::invalid_argument);
  CHECK_THROWS_AS(encode_flo(cv::Mat(2, 2, CV_32FC1, cv::Scalar(0))), std::invalid_argument);
}

// The wheel (RGB), built as colorcode.cpp does with integer division:
//   0..14 (RY)  (255, 255·i/15, 0)      13: (255, 221, 0)   14: (255, 238, 0)
//   25..35 (CB) (0, 255 − 255·i/11, 255) 27: (0, 209, 255)
//   36..48 (BM) (255·i/13, 0, 255)       40: (78, 0, 255)    41: (98, 0, 255)
//   49..54 (MR) (255, 0, 255 − 255·i/6)  54: (255, 0, 43)
// a = atan2(−dy, −dx)/π, fk = (a + 1)/2 · 54, blend wheel[k0] and wheel[k0 + 1] by fk − k0,
// col = 1 − rad·(1 − col) within the maximum, col·0.75 beyond, byte = (int)(255·col), BGR out.
TEST_CASE("flow_to_colour: colours worked out from the Middlebury wheel") {
  // (1, +0): atan2(−0, −1) = −π (the sign of zero counts, as in the C original): a = −1, fk = 0,
  // wheel 0 = red.
  CHECK(colour_of(1, 0.0F, 1) == cv::Vec3b(0, 0, 255));
  // (1, −0): atan2(+0, −1) = +π: a = 1, fk = 54, wheel 54 = (255, 0, 43); 43/255 in float is a
  // hair under, so 255·col truncates to 42.
  CHECK(colour_of(1, -0.0F, 1) == cv::Vec3b(42, 0, 255));
  // (0, 1), down: a = −1/2, fk = 13.5: half of wheel 13 and 14: G = (221 + 238)/2 = 229.5 -> 229.
  CHECK(colour_of(0, 1, 1) == cv::Vec3b(0, 229, 255));
  // (−1, 0), left: a = 0, fk = 27: wheel 27 = (0, 209, 255).
  CHECK(colour_of(-1, 0, 1) == cv::Vec3b(255, 209, 0));
  // (0, −1), up: a = 1/2, fk = 40.5: R = (78 + 98)/2 = 88 -> 87 (88/255 in float rounds down).
  CHECK(colour_of(0, -1, 1) == cv::Vec3b(255, 0, 87));
  // Half the maximum: toward white, col = 1 − 0.5·(1 − col): R 1, G 0.95 -> 242, B 0.5 -> 127.
  CHECK(colour_of(0, 0.5F, 1) == cv::Vec3b(127, 242, 255));
  CHECK(colour_of(0, 2, 4) == cv::Vec3b(127, 242, 255));
  // Beyond the maximum: col · 0.75: R 191.25 -> 191, G 0.9 · 0.75 -> 172, B 0.
  CHECK(colour_of(0, 2, 1) == cv::Vec3b(0, 172, 191));
  // Zero flow is white.
  CHECK(colour_of(0, 0, 1) == cv::Vec3b(255, 255, 255));
}

TEST_CASE("flow_to_colour: unknown flow is black, the default maximum is the field's largest") {
  cv::Mat flow(1, 6, CV_32FC2);
  flow.at<cv::Vec2f>(0, 0) = {0, 2};
  flow.at<cv::Vec2f>(0, 1) = {0, 1};
  flow.at<cv::Vec2f>(0, 2) = {std::numeric_limits<float>::quiet_NaN(), 0};
  flow.at<cv::Vec2f>(0, 3) = {0, std::numeric_limits<float>::infinity()};
  flow.at<cv::Vec2f>(0, 4) = {1e10F, 1e10F};
  flow.at<cv::Vec2f>(0, 5) = {0, 0};
  // The unknown ones are left out of the maximum (2): (0, 2) is (0, 1) of it, (0, 1) half.
  const cv::Mat colours = flow_to_colour(flow);
  REQUIRE(colours.type() == CV_8UC3);
  REQUIRE(colours.size() == flow.size());
  CHECK(colours.at<cv::Vec3b>(0, 0) == cv::Vec3b(0, 229, 255));
  CHECK(colours.at<cv::Vec3b>(0, 1) == cv::Vec3b(127, 242, 255));
  CHECK(colours.at<cv::Vec3b>(0, 2) == cv::Vec3b(0, 0, 0));
  CHECK(colours.at<cv::Vec3b>(0, 3) == cv::Vec3b(0, 0, 0));
  CHECK(colours.at<cv::Vec3b>(0, 4) == cv::Vec3b(0, 0, 0));
  CHECK(colours.at<cv::Vec3b>(0, 5) == cv::Vec3b(255, 255, 255));
  // A field of zeros is white everywhere; a 64-bit field is taken as well.
  const cv::Mat zeros(2, 3, CV_64FC2, cv::Scalar(0, 0));
  CHECK(cv::countNonZero(flow_to_colour(zeros).reshape(1) != 255) == 0);
  CHECK_THROWS_AS(flow_to_colour(cv::Mat(2, 2, CV_32FC3)), std::invalid_argument);
}
