#include "augment/trainer/conv1d.hpp"

#include "augment/trainer/conv2d.hpp"

namespace augment::trainer {
namespace {

const ConvOptions& checked(const Shape& input, const ConvOptions& options) {
  if (input.rank() != 2)
    throw ShapeError("expects a [C, L] input (set the network's input_shape, e.g. [40, 100]), got " +
                     std::to_string(input.rank()) + " dims");
  if (options.in_channels != 0 && options.in_channels != input[0])
    throw ShapeError("expects " + std::to_string(options.in_channels) + " input channels, got " +
                     std::to_string(input[0]));
  return options;
}

}  // namespace

template <class T>
Conv1d<T>::Conv1d(const Shape& input, const ConvOptions& options, Rng& init)
    : Convolution<T>(input.rank() == 2 ? input[0] : 0, 1, input.rank() == 2 ? input[1] : 0, checked(input, options),
                     init) {
  this->options_.in_channels = input[0];
  this->output_shape_ = {options.out_channels, this->out_width_};
}

template <class T>
nlohmann::json Conv1d<T>::config() const {
  const auto& o = this->options_;
  nlohmann::json c = {{"type", "conv1d"},          {"out_channels", o.out_channels}, {"in_channels", o.in_channels},
                      {"kernel", o.kernel[1]},     {"stride", o.stride[1]},          {"padding", o.padding[1]},
                      {"dilation", o.dilation[1]}};
  c.update(conv_common_config(o, this->penalties()));
  return c;
}

template class Conv1d<float>;
template class Conv1d<double>;

}  // namespace augment::trainer
