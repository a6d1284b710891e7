// make_layer's part for feature maps and sequences: conv2d, conv1d, max_pool2d, avg_pool2d,
// global_avg_pool, flatten, batch_norm2d, dropout2d (each type's keys are in its header).
#include <limits>

#include "augment/trainer/avg_pool2d.hpp"
#include "augment/trainer/batch_norm2d.hpp"
#include "augment/trainer/conv1d.hpp"
#include "augment/trainer/conv2d.hpp"
#include "augment/trainer/dropout2d.hpp"
#include "augment/trainer/flatten.hpp"
#include "augment/trainer/global_avg_pool.hpp"
#include "augment/trainer/max_pool2d.hpp"
#include "dropout_keep.hpp"
#include "json_fields.hpp"
#include "layer_factory.hpp"
#include "size_checks.hpp"

namespace augment::trainer::detail {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Kernels, strides, paddings and dilations past this are typos, not models.
constexpr std::size_t kMaxSize = 1u << 16;

/// A size per spatial axis: an integer for both axes or [height, width] (2-D); an integer (1-D,
/// returned as {1-D default, value}).
std::array<std::size_t, 2> sizes(Fields& c, const std::string& key, std::array<std::size_t, 2> fallback,
                                 std::size_t min, bool two_d) {
  if (!c.has(key)) return fallback;
  const auto& v = c.at(key);
  const auto ok = [&](const nlohmann::json& e) {
    return e.is_number_integer() && e.get<std::int64_t>() >= static_cast<std::int64_t>(min) &&
           e.get<std::int64_t>() <= static_cast<std::int64_t>(kMaxSize);
  };
  const std::string range = "in [" + std::to_string(min) + ", " + std::to_string(kMaxSize) + "]";
  if (two_d) {
    if (ok(v)) return {v.get<std::size_t>(), v.get<std::size_t>()};
    if (v.is_array() && v.size() == 2 && ok(v[0]) && ok(v[1])) return {v[0].get<std::size_t>(), v[1].get<std::size_t>()};
    c.fail(key, "must be an integer or [height, width], each " + range + ", got " + v.dump());
  }
  if (!ok(v)) c.fail(key, "must be an integer " + range + ", got " + v.dump());
  return {fallback[0], v.get<std::size_t>()};
}

template <class T>
std::unique_ptr<Layer<T>> convolution(Fields& c, const Shape& input, Rng& init, bool two_d) {
  ConvOptions o;
  o.out_channels = c.required_count("out_channels", 1);
  if (c.has("in_channels")) o.in_channels = c.required_count("in_channels", 1);
  if (!c.has("kernel")) c.fail("kernel", "missing");
  o.kernel = sizes(c, "kernel", o.kernel, 1, two_d);
  o.stride = sizes(c, "stride", o.stride, 1, two_d);
  o.padding = sizes(c, "padding", o.padding, 0, two_d);
  o.dilation = sizes(c, "dilation", o.dilation, 1, two_d);
  o.bias = c.flag("bias", true);
  o.init.name = c.text("init", o.init.name, initializer_names());
  if (o.init.name == "normal") o.init.variance = c.number("variance", o.init.variance, 0, kInf, true);
  else if (c.has("variance")) c.fail("variance", "is only read with \"init\": \"normal\"");
  o.penalties.l1 = c.number("l1", 0, 0, kInf);
  o.penalties.l2 = c.number("l2", 0, 0, kInf);
  o.penalties.max_norm = c.number("max_norm", 0, 0, kInf);
  // Before allocating: the weights, and the im2col columns of one sample (a batch takes
  // batch_size times that).
  const std::uint64_t channels = input.rank() > 0 ? input[0] : 0;
  const std::uint64_t k = saturating_product(saturating_product(channels, o.kernel[0]), o.kernel[1]);
  check_buffer(c.where("out_channels") + ": the weights of " + std::to_string(o.out_channels) + " channels × " +
                   std::to_string(k) + " inputs",
               k, o.out_channels, sizeof(T));
  std::uint64_t positions = 1;  // at most the padded input's positions
  for (std::size_t d = 1; d < input.rank(); ++d)
    positions = saturating_product(positions, input[d] + 2 * o.padding[input.rank() == 3 && d == 1 ? 0 : 1]);
  check_buffer(c.path() + ": the im2col columns of one sample", k, positions, sizeof(T));
  if (two_d) return std::make_unique<Conv2d<T>>(input, o, init);
  return std::make_unique<Conv1d<T>>(input, o, init);
}

PoolOptions pool_options(Fields& c) {
  PoolOptions o;
  if (!c.has("kernel")) c.fail("kernel", "missing");
  o.kernel = sizes(c, "kernel", o.kernel, 1, true);
  o.stride = sizes(c, "stride", o.kernel, 1, true);  // PyTorch: the stride defaults to the kernel
  o.padding = sizes(c, "padding", o.padding, 0, true);
  return o;
}

BatchNormOptions batch_norm_options(Fields& c) {
  BatchNormOptions o;
  o.momentum = c.number("momentum", o.momentum, 0, 1);
  o.epsilon = c.number("epsilon", o.epsilon, 0, kInf, true);
  o.population = c.text("population", "running", {"running", "exact"}) == "exact" ? PopulationStatistics::exact
                                                                                     : PopulationStatistics::running;
  return o;
}

}  // namespace

template <class T>
std::unique_ptr<Layer<T>> build_tensor_layer(Fields& c, const std::string& type, const Shape& input, Rng& init) {
  if (type == "conv2d") return convolution<T>(c, input, init, true);
  if (type == "conv1d") return convolution<T>(c, input, init, false);
  if (type == "max_pool2d") return std::make_unique<MaxPool2d<T>>(input, pool_options(c));
  if (type == "avg_pool2d") {
    const auto o = pool_options(c);
    return std::make_unique<AvgPool2d<T>>(input, o, c.flag("count_include_pad", true));
  }
  if (type == "global_avg_pool") return std::make_unique<GlobalAvgPool<T>>(input);
  if (type == "flatten") return std::make_unique<Flatten<T>>();
  if (type == "batch_norm2d") return std::make_unique<BatchNorm2d<T>>(input, batch_norm_options(c));
  if (type == "dropout2d") {
    const double keep = dropout_keep(c);
    const auto convention = c.text("convention", "inverted", {"inverted", "course"});
    return std::make_unique<Dropout2d<T>>(
        input, keep, convention == "course" ? DropoutConvention::course : DropoutConvention::inverted);
  }
  return nullptr;
}

template std::unique_ptr<Layer<float>> build_tensor_layer<float>(Fields&, const std::string&, const Shape&, Rng&);
template std::unique_ptr<Layer<double>> build_tensor_layer<double>(Fields&, const std::string&, const Shape&, Rng&);

}  // namespace augment::trainer::detail
