#pragma once
// Reduced JPEG decoding. When a pipeline's first stage only shrinks the image — resize_longest,
// resize_shortest or resize (stretched or letterboxed), applied always (p = 1), with linear,
// area or cubic interpolation — a JPEG is decoded at 1/2, 1/4 or 1/8 of its size in the DCT
// (libjpeg-turbo's scale_denom, what PIL's draft() and DALI do): the smallest of those whose two
// sides still reach the resize's output size, so the resize still shrinks (or keeps) and never
// enlarges a reduced image. A 3000×2000 photo resized to 512 is decoded at 750×500: libjpeg
// skips most of the inverse DCT and the colour conversion of pixels the resize would throw away.
//
// Same sizes, same draws: the resize computes its output size from the full size
// (Image::reduced_from), not from the reduced pixels, so every output has the size a full decode
// gives it, and every later stage draws what it would draw.
//
// Not the same pixels: a reduced decode is an average over each 2×2, 4×4 or 8×8 block (the
// DCT's low frequencies), much like resizing with `area`. So against a full decode resized with
// `area`, the difference is small; against a full decode resized with `linear` or `cubic`, it is
// larger on fine detail, and there the reduced result is the better one: linear and cubic
// downscaling read only a few pixels around each output pixel and alias (moiré on fine
// patterns) when they shrink by more than 2.
//
// Tolerance: the output of reduced decode + resize against full decode + the same resize, and
// against full decode + an `area` resize, on the corpus photo (home.jpg enlarged to 3000×2000
// with cubic interpolation, written as JPEG quality 95, 4:2:0), the worst over resize_longest
// sizes 150 to 1500; mean absolute difference in levels of 255 over all channels, and PSNR.
// tests/test_image_reduced_decode.cpp checks these bounds at the worst sizes:
//
//   scale  interpolation   vs full + the same resize   vs full + area
//   1/2    linear          ≤ 0.5,  ≥ 48.5 dB           ≤ 0.4,  ≥ 50.5 dB
//   1/2    area            ≤ 0.4,  ≥ 50.5 dB           (the same)
//   1/2    cubic           ≤ 0.4,  ≥ 50.5 dB           ≤ 0.75, ≥ 45 dB
//   1/4    linear          ≤ 1.6,  ≥ 37.5 dB           ≤ 1.05, ≥ 41.5 dB
//   1/4    area            ≤ 1.05, ≥ 41.5 dB           (the same)
//   1/4    cubic           ≤ 1.05, ≥ 42 dB             ≤ 1.5,  ≥ 38.5 dB
//   1/8    linear          ≤ 4.0,  ≥ 29.5 dB           ≤ 2.25, ≥ 34.5 dB
//   1/8    area            ≤ 2.25, ≥ 34.5 dB           (the same)
//   1/8    cubic           ≤ 3.5,  ≥ 30.5 dB           ≤ 3.5,  ≥ 31.5 dB
//
// For comparison: full decode + linear and full decode + area differ from each other by up to 2.1
// levels (35 dB) on the same photo at 1/8 sizes. At equal sizes (an exact 1/8 of the image)
// the reduced decode matches full decode + area within 0.25 levels (54 dB); what remains above
// comes from the second, small resize. On fine texture the figures against linear and cubic
// grow: on blurred noise (σ 1.5 px) at 1/8, up to 8 levels (28 dB) against full + linear,
// while against full + area they stay under 2.8 levels (37 dB).
//
// `augment run --full-decode` turns it off (the pixels of a full decode, byte for byte).
//
// Decoded in full whatever the pipeline: images with targets (boxes or keypoints columns, a
// `<stem>.mask.png`: their coordinates are in full-size pixels), formats other than JPEG, and
// images the resize shrinks by less than half.
#include <functional>

#include <opencv2/core.hpp>

#include "augment/core/pipeline.hpp"

namespace augment::image {

/// For ImageReadOptions::reduce_to: the output size of `pipeline`'s first stage as a function
/// of an image's full size, when that stage allows reduced decoding (above); empty otherwise.
std::function<cv::Size(cv::Size full)> reduced_decode_target(const Pipeline& pipeline);

/// The libjpeg scale denominator (1, 2, 4 or 8) for an image of `full` size that becomes
/// `needed`: the largest whose decoded size (each side divided, rounded up, as libjpeg does) is
/// at least `needed` on both sides.
int reduced_decode_denominator(cv::Size full, cv::Size needed);

}  // namespace augment::image
