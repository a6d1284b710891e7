#include "augment/trainer/max_pool2d.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "augment/core/error.hpp"

namespace augment::trainer {

std::array<std::size_t, 2> pool_output_size(const Shape& input, const PoolOptions& o) {
  if (input.rank() != 3)
    throw ShapeError("expects a [C, H, W] input, got " + std::to_string(input.rank()) + " dims");
  std::array<std::size_t, 2> out{};
  for (int a = 0; a < 2; ++a) {
    if (2 * o.padding[a] > o.kernel[a])
      throw ShapeError("padding " + std::to_string(o.padding[a]) + " is more than half the kernel " +
                       std::to_string(o.kernel[a]));
    const std::size_t padded = input[1 + a] + 2 * o.padding[a];
    if (o.kernel[a] > padded)
      throw ShapeError("the " + std::to_string(o.kernel[0]) + "×" + std::to_string(o.kernel[1]) +
                       " window is larger than the input padded to " +
                       std::to_string(input[1] + 2 * o.padding[0]) + "×" + std::to_string(input[2] + 2 * o.padding[1]));
    out[a] = (padded - o.kernel[a]) / o.stride[a] + 1;
  }
  return out;
}

template <class T>
MaxPool2d<T>::MaxPool2d(const Shape& input, const PoolOptions& options) : options_(options), input_shape_(input) {
  const auto out = pool_output_size(input, options);
  if (input.size() > std::numeric_limits<std::uint32_t>::max())  // argmax_ holds 32-bit columns
    throw ShapeError("takes at most 2^32 values per sample, got " + to_string(input));
  output_shape_ = {input[0], out[0], out[1]};
}

template <class T>
const Matrix<T>& MaxPool2d<T>::forward(const Matrix<T>& x, Phase, Rng&) {
  using I = std::ptrdiff_t;
  if (x.cols() != static_cast<Eigen::Index>(input_shape_.size()))
    throw UsageError("max_pool2d: expected " + std::to_string(input_shape_.size()) + " input columns, got " +
                     std::to_string(x.cols()));
  const I c = I(input_shape_[0]), h = I(input_shape_[1]), w = I(input_shape_[2]);
  const I oh = I(output_shape_[1]), ow = I(output_shape_[2]);
  const I kh = I(options_.kernel[0]), kw = I(options_.kernel[1]), sh = I(options_.stride[0]),
          sw = I(options_.stride[1]), ph = I(options_.padding[0]), pw = I(options_.padding[1]);
  output_.resize(x.rows(), I(output_shape_.size()));
  argmax_.resize(static_cast<std::size_t>(output_.size()));
  std::uint32_t* arg = argmax_.data();
  T* y = output_.data();
  // The usual 2×2 window with stride 2 and no padding: fixed loads, no loops per window.
  const bool two_by_two = kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0;
  for (I n = 0; n < x.rows(); ++n) {
    const T* xs = x.data() + n * x.cols();
    for (I ch = 0; ch < c; ++ch)
      for (I i = 0; i < oh; ++i) {
        if (two_by_two) {
          bool nan = false;
          for (I j = 0; j < ow; ++j) {
            const I at = (ch * h + 2 * i) * w + 2 * j;
            const T v[4] = {xs[at], xs[at + 1], xs[at + w], xs[at + w + 1]};
            const I offset[4] = {0, 1, w, w + 1};
            T best = v[0];
            I best_at = at;
            for (int k = 1; k < 4; ++k) {  // strictly greater: the first maximum wins
              // Arithmetic, not a select: GCC turns float selects into branches here.
              best_at += static_cast<I>(v[k] > best) * (at + offset[k] - best_at);
              best = std::max(best, v[k]);
            }
            nan |= (v[0] != v[0]) | (v[1] != v[1]) | (v[2] != v[2]) | (v[3] != v[3]);
            y[j] = best;
            arg[j] = static_cast<std::uint32_t>(best_at);
          }
          if (!nan) {
            y += ow;
            arg += ow;
            continue;
          }  // else the general loop below redoes this row of windows, NaN rule included
        }
        const I h0 = std::max<I>(i * sh - ph, 0), h1 = std::min(i * sh - ph + kh, h);
        for (I j = 0; j < ow; ++j, ++y, ++arg) {
          const I w0 = std::max<I>(j * sw - pw, 0), w1 = std::min(j * sw - pw + kw, w);
          // Two passes without branches on the data (on random maps every comparison is a coin
          // toss, and mispredicted branches took most of this layer's time): the maximum, then
          // the first position holding it, found backwards with selects.
          T best = -std::numeric_limits<T>::infinity();
          bool nan = false;
          for (I r = h0; r < h1; ++r)
            for (I q = w0; q < w1; ++q) {
              const T v = xs[(ch * h + r) * w + q];
              best = v > best ? v : best;
              nan |= v != v;
            }
          I best_at = (ch * h + h0) * w + w0;  // padding never wins: a window holds an input
          if (nan) {  // PyTorch's rule, (v > best || isnan(v)): the window's last NaN
            for (I r = h0; r < h1; ++r)
              for (I q = w0; q < w1; ++q)
                if (xs[(ch * h + r) * w + q] != xs[(ch * h + r) * w + q]) best_at = (ch * h + r) * w + q;
          } else {
            for (I r = h1; r-- > h0;)
              for (I q = w1; q-- > w0;) {
                const I at = (ch * h + r) * w + q;
                best_at = xs[at] == best ? at : best_at;
              }
          }
          *y = xs[best_at];
          *arg = static_cast<std::uint32_t>(best_at);
        }
      }
  }
  return output_;
}

template <class T>
const Matrix<T>& MaxPool2d<T>::backward(const Matrix<T>& dy) {
  input_grad_.setZero(dy.rows(), static_cast<Eigen::Index>(input_shape_.size()));
  const Eigen::Index per = dy.cols();
  for (Eigen::Index n = 0; n < dy.rows(); ++n) {
    T* dx = input_grad_.data() + n * input_grad_.cols();
    const std::uint32_t* arg = argmax_.data() + n * per;
    const T* g = dy.data() + n * per;
    for (Eigen::Index k = 0; k < per; ++k) dx[arg[k]] += g[k];
  }
  return input_grad_;
}

template <class T>
nlohmann::json MaxPool2d<T>::config() const {
  return {{"type", "max_pool2d"}, {"kernel", options_.kernel}, {"stride", options_.stride}, {"padding", options_.padding}};
}

template class MaxPool2d<float>;
template class MaxPool2d<double>;

}  // namespace augment::trainer
