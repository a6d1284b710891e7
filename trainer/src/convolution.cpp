#include "augment/trainer/convolution.hpp"

#include <algorithm>
#include <cstring>

#include "augment/core/error.hpp"
#include "gemm.hpp"

namespace augment::trainer {
namespace {

using Index = std::ptrdiff_t;

/// The output positions o in [0, out) whose input position o·stride + offset lies in [0, size):
/// [lo, hi), so the loops below need no bounds test per element.
void valid_range(Index out, Index stride, Index offset, Index size, Index& lo, Index& hi) {
  lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  hi = offset > size - 1 ? 0 : std::min(out, (size - 1 - offset) / stride + 1);
  if (hi < lo) hi = lo;
}

struct Geometry {
  Index c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow;
};

/// One sample's input (C×H×W) into its columns of col (leading dimension ld, first column first).
template <class T>
void im2col(const Geometry& g, const T* x, T* col, Index ld) {
  for (Index c = 0; c < g.c; ++c)
    for (Index i = 0; i < g.kh; ++i)
      for (Index j = 0; j < g.kw; ++j) {
        T* out = col + ((c * g.kh + i) * g.kw + j) * ld;
        Index lo, hi;
        valid_range(g.ow, g.sw, j * g.dw - g.pw, g.w, lo, hi);
        for (Index oh = 0; oh < g.oh; ++oh, out += g.ow) {
          const Index ih = oh * g.sh - g.ph + i * g.dh;
          if (ih < 0 || ih >= g.h) {
            std::fill(out, out + g.ow, T(0));
            continue;
          }
          const T* row = x + (c * g.h + ih) * g.w;
          const Index off = j * g.dw - g.pw;
          std::fill(out, out + lo, T(0));
          if (g.sw == 1) std::memcpy(out + lo, row + lo + off, static_cast<std::size_t>(hi - lo) * sizeof(T));
          else
            for (Index ow = lo; ow < hi; ++ow) out[ow] = row[ow * g.sw + off];
          std::fill(out + hi, out + g.ow, T(0));
        }
      }
}

/// The adjoint of im2col: adds each column entry into the input position it was read from.
template <class T>
void col2im(const Geometry& g, const T* col, Index ld, T* dx) {
  for (Index c = 0; c < g.c; ++c)
    for (Index i = 0; i < g.kh; ++i)
      for (Index j = 0; j < g.kw; ++j) {
        const T* in = col + ((c * g.kh + i) * g.kw + j) * ld;
        Index lo, hi;
        valid_range(g.ow, g.sw, j * g.dw - g.pw, g.w, lo, hi);
        for (Index oh = 0; oh < g.oh; ++oh, in += g.ow) {
          const Index ih = oh * g.sh - g.ph + i * g.dh;
          if (ih < 0 || ih >= g.h) continue;
          T* row = dx + (c * g.h + ih) * g.w;
          const Index off = j * g.dw - g.pw;
          for (Index ow = lo; ow < hi; ++ow) row[ow * g.sw + off] += in[ow];
        }
      }
}

Geometry geometry(std::size_t c, std::size_t h, std::size_t w, const ConvOptions& o, std::size_t oh, std::size_t ow) {
  return {Index(c), Index(h), Index(w), Index(o.kernel[0]), Index(o.kernel[1]), Index(o.stride[0]),
          Index(o.stride[1]), Index(o.padding[0]), Index(o.padding[1]), Index(o.dilation[0]), Index(o.dilation[1]),
          Index(oh), Index(ow)};
}

std::size_t out_size(std::size_t size, std::size_t kernel, std::size_t stride, std::size_t padding,
                     std::size_t dilation, bool& fits) {
  const std::size_t span = dilation * (kernel - 1) + 1, padded = size + 2 * padding;
  fits = span <= padded;
  return fits ? (padded - span) / stride + 1 : 0;
}

}  // namespace

std::size_t conv_column_bytes(std::size_t channels, std::size_t out_positions, const ConvOptions& o,
                              std::size_t scalar_bytes) {
  return channels * o.kernel[0] * o.kernel[1] * out_positions * scalar_bytes;
}

template <class T>
Convolution<T>::Convolution(std::size_t channels, std::size_t height, std::size_t width, const ConvOptions& options,
                            Rng& init)
    : options_(options), channels_(channels), height_(height), width_(width) {
  bool fits_h = false, fits_w = false;
  out_height_ = out_size(height, options.kernel[0], options.stride[0], options.padding[0], options.dilation[0], fits_h);
  out_width_ = out_size(width, options.kernel[1], options.stride[1], options.padding[1], options.dilation[1], fits_w);
  if (!fits_h || !fits_w) {
    const auto span = [&](int a) { return options.dilation[a] * (options.kernel[a] - 1) + 1; };
    throw ShapeError("the kernel spans " + std::to_string(span(0)) + "×" + std::to_string(span(1)) +
                     " (kernel and dilation), more than the input padded to " +
                     std::to_string(height + 2 * options.padding[0]) + "×" +
                     std::to_string(width + 2 * options.padding[1]));
  }
  const auto k = static_cast<Eigen::Index>(channels * options.kernel[0] * options.kernel[1]);
  const auto o = static_cast<Eigen::Index>(options.out_channels);
  weight_.name = "weight";
  weight_.value.resize(k, o);
  const double receptive = static_cast<double>(options.kernel[0] * options.kernel[1]);
  initialize(weight_.value, options.init, init, static_cast<double>(k), static_cast<double>(o) * receptive);
  weight_.grad = Matrix<T>::Zero(k, o);
  weight_.penalties = options.penalties;
  bias_.name = "bias";
  bias_.is_bias = true;
  bias_.value = Matrix<T>::Zero(1, o);
  bias_.grad = Matrix<T>::Zero(1, o);
}

template <class T>
const Matrix<T>& Convolution<T>::forward(const Matrix<T>& x, Phase, Rng&) {
  const auto in_size = static_cast<Eigen::Index>(channels_ * height_ * width_);
  if (x.cols() != in_size)
    throw UsageError(this->type() + ": expected " + std::to_string(in_size) + " input columns, got " +
                     std::to_string(x.cols()));
  const Geometry g = geometry(channels_, height_, width_, options_, out_height_, out_width_);
  const Index n = x.rows(), p = g.oh * g.ow, o = Index(options_.out_channels);
  col_.resize(weight_.value.rows(), n * p);
  for (Index s = 0; s < n; ++s) im2col(g, x.data() + s * in_size, col_.data() + s * p, n * p);
  product_.resize(o, n * p);
  detail::gemm(detail::Op::transpose, detail::Op::none, T(1), weight_.value, col_, T(0), product_);
  // product_ is channel-major over the whole batch; the batch wants each sample's channels.
  output_.resize(n, o * p);
  for (Index s = 0; s < n; ++s)
    for (Index c = 0; c < o; ++c)
      output_.row(s).segment(c * p, p).array() = product_.row(c).segment(s * p, p).array() + bias_.value(0, c);
  return output_;
}

template <class T>
const Matrix<T>& Convolution<T>::backward(const Matrix<T>& dy) {
  const Index n = dy.rows(), p = Index(out_height_ * out_width_), o = Index(options_.out_channels);
  product_grad_.resize(o, n * p);
  for (Index s = 0; s < n; ++s)
    for (Index c = 0; c < o; ++c) product_grad_.row(c).segment(s * p, p) = dy.row(s).segment(c * p, p);
  if (!weight_.frozen)  // dW += col·dy'ᵀ
    detail::gemm(detail::Op::none, detail::Op::transpose, T(1), col_, product_grad_, T(1), weight_.grad);
  if (options_.bias && !bias_.frozen)
    for (Index c = 0; c < o; ++c) bias_.grad(0, c) += product_grad_.row(c).sum();
  if (!this->input_grad_needed_) {
    input_grad_.resize(0, 0);
    return input_grad_;
  }
  col_grad_.resize(weight_.value.rows(), n * p);  // dcol = W·dy'
  detail::gemm(detail::Op::none, detail::Op::none, T(1), weight_.value, product_grad_, T(0), col_grad_);
  const Geometry g = geometry(channels_, height_, width_, options_, out_height_, out_width_);
  const auto in_size = Index(channels_ * height_ * width_);
  input_grad_.setZero(n, in_size);
  for (Index s = 0; s < n; ++s) col2im(g, col_grad_.data() + s * p, n * p, input_grad_.data() + s * in_size);
  return input_grad_;
}

template class Convolution<float>;
template class Convolution<double>;

}  // namespace augment::trainer
