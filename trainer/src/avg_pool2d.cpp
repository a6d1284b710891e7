#include "augment/trainer/avg_pool2d.hpp"

#include <algorithm>

#include "augment/core/error.hpp"

namespace augment::trainer {

template <class T>
AvgPool2d<T>::AvgPool2d(const Shape& input, const PoolOptions& options, bool count_include_pad)
    : options_(options), count_include_pad_(count_include_pad), input_shape_(input) {
  const auto out = pool_output_size(input, options);
  output_shape_ = {input[0], out[0], out[1]};
}

template <class T>
template <class F>
void AvgPool2d<T>::each_window(F&& f) const {
  using I = std::ptrdiff_t;
  const I h = I(input_shape_[1]), w = I(input_shape_[2]), oh = I(output_shape_[1]), ow = I(output_shape_[2]);
  const I kh = I(options_.kernel[0]), kw = I(options_.kernel[1]), sh = I(options_.stride[0]),
          sw = I(options_.stride[1]), ph = I(options_.padding[0]), pw = I(options_.padding[1]);
  for (I i = 0; i < oh; ++i) {
    const I h0 = std::max<I>(i * sh - ph, 0), h1 = std::min(i * sh - ph + kh, h);
    for (I j = 0; j < ow; ++j) {
      const I w0 = std::max<I>(j * sw - pw, 0), w1 = std::min(j * sw - pw + kw, w);
      // Without ceil_mode a window never passes the padded edge: including the padding, it
      // always covers kh·kw cells.
      const I count = count_include_pad_ ? kh * kw : (h1 - h0) * (w1 - w0);
      f(i * ow + j, h0, h1, w0, w1, T(1) / static_cast<T>(count));
    }
  }
}

template <class T>
const Matrix<T>& AvgPool2d<T>::forward(const Matrix<T>& x, Phase, Rng&) {
  using I = std::ptrdiff_t;
  if (x.cols() != static_cast<Eigen::Index>(input_shape_.size()))
    throw UsageError("avg_pool2d: expected " + std::to_string(input_shape_.size()) + " input columns, got " +
                     std::to_string(x.cols()));
  const I c = I(input_shape_[0]), hw = I(input_shape_[1] * input_shape_[2]), w = I(input_shape_[2]);
  const I per = I(output_shape_[1] * output_shape_[2]);
  output_.resize(x.rows(), c * per);
  for (I n = 0; n < x.rows(); ++n)
    for (I ch = 0; ch < c; ++ch) {
      const T* xs = x.data() + n * x.cols() + ch * hw;
      T* y = output_.data() + n * output_.cols() + ch * per;
      each_window([&](I o, I h0, I h1, I w0, I w1, T scale) {
        T sum = 0;
        for (I r = h0; r < h1; ++r)
          for (I q = w0; q < w1; ++q) sum += xs[r * w + q];
        y[o] = sum * scale;
      });
    }
  return output_;
}

template <class T>
const Matrix<T>& AvgPool2d<T>::backward(const Matrix<T>& dy) {
  using I = std::ptrdiff_t;
  const I c = I(input_shape_[0]), hw = I(input_shape_[1] * input_shape_[2]), w = I(input_shape_[2]);
  const I per = I(output_shape_[1] * output_shape_[2]);
  input_grad_.setZero(dy.rows(), c * hw);
  for (I n = 0; n < dy.rows(); ++n)
    for (I ch = 0; ch < c; ++ch) {
      T* dx = input_grad_.data() + n * input_grad_.cols() + ch * hw;
      const T* g = dy.data() + n * dy.cols() + ch * per;
      each_window([&](I o, I h0, I h1, I w0, I w1, T scale) {
        const T share = g[o] * scale;
        for (I r = h0; r < h1; ++r)
          for (I q = w0; q < w1; ++q) dx[r * w + q] += share;
      });
    }
  return input_grad_;
}

template <class T>
nlohmann::json AvgPool2d<T>::config() const {
  return {{"type", "avg_pool2d"},
          {"kernel", options_.kernel},
          {"stride", options_.stride},
          {"padding", options_.padding},
          {"count_include_pad", count_include_pad_}};
}

template class AvgPool2d<float>;
template class AvgPool2d<double>;

}  // namespace augment::trainer
