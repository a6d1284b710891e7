#pragma once
// Per-channel normalisation of images; the output is 32-bit float (an affine map of 8- or 16-bit
// levels is not a level). A state's per-channel lists are in the stage's `order`: R, G, B (, A)
// by default, as published figures are; "bgr" for OpenCV's order, in which colour pixels are
// held (channel_order.hpp). A fitted state is written in that order too.
//   rescale      x' = (x − data_min_c) / (data_max_c − data_min_c) · (max − min) + min per channel
//                c; fitted (each channel's min and max over every pixel of the dataset) or given
//                as state {"data_min": [...], "data_max": [...]}. A constant channel maps to min.
//   standardize  x' = (x · pixel_scale − mean_c) / std_c per channel, std the population one;
//                fitted (mean and std of x · pixel_scale over every pixel of the dataset) or
//                given as state {"mean": [...], "std": [...]}. ImageNet's statistics on
//                [0, 1], as printed (RGB): pixel_scale 1/255, mean [0.485, 0.456, 0.406],
//                std [0.229, 0.224, 0.225]. A constant channel is only centred (scikit-learn's
//                rule, as the features op).
//   unit_norm    x' = x / ‖x‖ with ‖x‖ the L2 (default), L1 or max norm over all pixels and
//                channels of the image; not fitted. An all-zero image stays zero.
//
// Fitting reuses the features module's mergeable statistics (ColumnStatistics, one column per
// channel): each image's per-channel count, mean, M2, min and max are computed with OpenCV and
// merged (Chan et al.), so fitting in blocks or threads gives the state of one pass. Float
// pixels that are NaN or infinite are a DataError when fitting.
#include "augment/core/registry.hpp"

namespace augment::image {

OpInfo rescale_op();
OpInfo standardize_op();
OpInfo unit_norm_op();

}  // namespace augment::image
