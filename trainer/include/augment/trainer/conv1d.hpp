#pragma once
// 1-D convolution over a [C, L] input (spectrogram frames with C bands, token sequences with C
// embedding dims) into [out_channels, OL]: conv2d's arithmetic with a height of 1 (conv2d.hpp,
// convolution.hpp). PyTorch's Conv1d; its weight (O, C, k) reshaped to (O, C·k), transposed.
// Config: {"type": "conv1d", "out_channels": 16, "kernel": 3, "stride": 1, "padding": 0,
//          "dilation": 1, "bias": true, "in_channels": C (optional), "init", "variance", "l1",
//          "l2", "max_norm"} — sizes are single integers.
#include "augment/trainer/convolution.hpp"

namespace augment::trainer {

template <class T>
class Conv1d final : public Convolution<T> {
 public:
  /// `options`' sizes are read at index 1 (index 0 must be 1, 1, 0, 1). ShapeError unless
  /// `input` is [C, L] with C = options.in_channels (when set) and the kernel fits.
  Conv1d(const Shape& input, const ConvOptions& options, Rng& init);

  std::string type() const override { return "conv1d"; }
  nlohmann::json config() const override;
};

}  // namespace augment::trainer
