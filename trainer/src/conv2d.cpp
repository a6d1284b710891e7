#include "augment/trainer/conv2d.hpp"

namespace augment::trainer {
namespace {

const ConvOptions& checked(const Shape& input, const ConvOptions& options) {
  if (input.rank() != 3)
    throw ShapeError("expects a [C, H, W] input (set the network's input_shape, e.g. [1, 20, 20]), got " +
                     std::to_string(input.rank()) + " dims");
  if (options.in_channels != 0 && options.in_channels != input[0])
    throw ShapeError("expects " + std::to_string(options.in_channels) + " input channels, got " +
                     std::to_string(input[0]));
  return options;
}

}  // namespace

nlohmann::json conv_common_config(const ConvOptions& o, const Penalties& p) {
  nlohmann::json c = {{"bias", o.bias}, {"init", o.init.name}};
  if (o.init.name == "normal") c["variance"] = o.init.variance;
  if (p.l1 != 0) c["l1"] = p.l1;
  if (p.l2 != 0) c["l2"] = p.l2;
  if (p.max_norm != 0) c["max_norm"] = p.max_norm;
  return c;
}

template <class T>
Conv2d<T>::Conv2d(const Shape& input, const ConvOptions& options, Rng& init)
    : Convolution<T>(input.rank() == 3 ? input[0] : 0, input.rank() == 3 ? input[1] : 0,
                     input.rank() == 3 ? input[2] : 0, checked(input, options), init) {
  this->options_.in_channels = input[0];
  this->output_shape_ = {options.out_channels, this->out_height_, this->out_width_};
}

template <class T>
nlohmann::json Conv2d<T>::config() const {
  const auto& o = this->options_;
  nlohmann::json c = {{"type", "conv2d"},        {"out_channels", o.out_channels}, {"in_channels", o.in_channels},
                      {"kernel", o.kernel},      {"stride", o.stride},             {"padding", o.padding},
                      {"dilation", o.dilation}};
  c.update(conv_common_config(o, this->penalties()));
  return c;
}

template class Conv2d<float>;
template class Conv2d<double>;

}  // namespace augment::trainer
