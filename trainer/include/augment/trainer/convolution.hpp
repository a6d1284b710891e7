#pragma once
// What conv2d and conv1d share (conv2d.hpp, conv1d.hpp): a cross-correlation of every output
// channel's kernel with the input, as PyTorch's Conv2d computes it (no flip), by im2col and one
// matrix product per batch (gemm.hpp, OpenBLAS):
//   col    (C·kh·kw) × (N·OH·OW): row (c, i, j), column (n, oh, ow) holds
//          x[n, c, oh·sh − ph + i·dh, ow·sw − pw + j·dw], 0 in the padding
//   y'     = Wᵀ·col, out_channels × (N·OH·OW), then copied into the batch's NCHW rows, + bias
//   dW    += col·dy'ᵀ;   dcol = W·dy', scattered back (col2im) into dx
// W is (C·kh·kw) × out_channels — PyTorch's weight (O, C, kh, kw) reshaped to (O, C·kh·kw) and
// transposed — so a column is one output channel's incoming weights, as a dense layer's column
// is one unit's: penalties, max-norm (per output channel), weight noise and checkpoints apply
// unchanged. Initializers use fan_in = C·kh·kw and fan_out = out_channels·kh·kw (Keras,
// PyTorch); the bias starts at zero. OH = ⌊(H + 2·ph − dh·(kh − 1) − 1)/sh⌋ + 1, likewise OW.
#include <array>
#include <cstddef>

#include "augment/trainer/initializers.hpp"
#include "augment/trainer/layer.hpp"

namespace augment::trainer {

/// Sizes per spatial axis, {height, width}; conv1d uses the width only (height 1).
struct ConvOptions {
  std::size_t out_channels = 0;
  std::size_t in_channels = 0;  // 0: taken from the input; else checked against it
  std::array<std::size_t, 2> kernel{1, 1}, stride{1, 1}, padding{0, 0}, dilation{1, 1};
  bool bias = true;
  Initializer init;
  Penalties penalties;
};

template <class T>
class Convolution : public Layer<T> {
 public:
  Shape output_shape(const Shape&) const override { return output_shape_; }
  const Matrix<T>& forward(const Matrix<T>& input, Phase phase, Rng& rng) override;
  const Matrix<T>& backward(const Matrix<T>& output_grad) override;
  std::vector<Parameter<T>*> parameters() override {
    if (options_.bias) return {&weight_, &bias_};
    return {&weight_};
  }
  bool has_trainable_parameters() const override { return !weight_.frozen || (options_.bias && !bias_.frozen); }

  const ConvOptions& options() const { return options_; }
  Parameter<T>& weight() { return weight_; }
  /// The weight's penalties as they are now (a trainer may set them after construction).
  const Penalties& penalties() const { return weight_.penalties; }
  /// Unused (all zero, not among parameters()) when options().bias is false.
  Parameter<T>& bias() { return bias_; }

 protected:
  /// `height`, `width`: the input's spatial size (height 1 for a sequence). ShapeError when the
  /// dilated kernel is larger than the padded input.
  Convolution(std::size_t channels, std::size_t height, std::size_t width, const ConvOptions& options,
              Rng& init);

  ConvOptions options_;
  std::size_t channels_, height_, width_, out_height_, out_width_;
  Shape output_shape_;

 private:
  Parameter<T> weight_, bias_;
  Matrix<T> col_, product_, output_, product_grad_, col_grad_, input_grad_;
};

/// Bytes of one sample's im2col buffer, for the allocation limit.
std::size_t conv_column_bytes(std::size_t channels, std::size_t out_positions, const ConvOptions& options,
                              std::size_t scalar_bytes);

}  // namespace augment::trainer
