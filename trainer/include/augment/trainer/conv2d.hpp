#pragma once
// 2-D convolution over a [C, H, W] input into [out_channels, OH, OW] (convolution.hpp has the
// arithmetic, the weight's layout and its initialization). PyTorch's Conv2d with
// padding_mode "zeros", groups 1.
// Config: {"type": "conv2d", "out_channels": 16, "kernel": 5 | [kh, kw], "stride": 1 | [sh, sw],
//          "padding": 0 | [ph, pw], "dilation": 1 | [dh, dw], "bias": true,
//          "in_channels": C (optional: checked against the input), "init": "glorot_uniform",
//          "variance" (with "normal"), "l1": 0, "l2": 0, "max_norm": 0}; the penalties apply to
// the weight only.
#include "augment/trainer/convolution.hpp"

namespace augment::trainer {

template <class T>
class Conv2d final : public Convolution<T> {
 public:
  /// ShapeError unless `input` is [C, H, W] with C = options.in_channels (when set) and the
  /// kernel fits.
  Conv2d(const Shape& input, const ConvOptions& options, Rng& init);

  std::string type() const override { return "conv2d"; }
  nlohmann::json config() const override;
};

/// conv2d's and conv1d's common config keys (init, penalties, bias) as written by config().
nlohmann::json conv_common_config(const ConvOptions& options, const Penalties& live);

}  // namespace augment::trainer
