#include <limits>

#include "augment/core/error.hpp"
#include "augment/trainer/batch_norm.hpp"
#include "augment/trainer/dense.hpp"
#include "augment/trainer/dropout.hpp"
#include "augment/trainer/leaky_relu.hpp"
#include "augment/trainer/relu.hpp"
#include "augment/trainer/sigmoid.hpp"
#include "augment/trainer/softmax.hpp"
#include "augment/trainer/tanh.hpp"
#include "dropout_keep.hpp"
#include "json_fields.hpp"
#include "layer_factory.hpp"
#include "size_checks.hpp"

namespace augment::trainer {
namespace detail {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// Dense and batch_norm read a feature per column: a map must be flattened (or pooled) first,
/// explicitly, rather than have its C·H·W values taken for features by accident.
void require_flat(const Shape& input, const std::string& hint) {
  if (input.rank() != 1)
    throw ShapeError("expects a flat input (" + hint + "), got " + std::to_string(input.rank()) + " dims");
}

template <class T>
std::unique_ptr<Layer<T>> build(Fields& c, const std::string& type, const Shape& input, Rng& init) {
  const std::size_t inputs = input.size();
  if (type == "dense") {
    require_flat(input, "put a flatten or global_avg_pool layer before it");
    DenseOptions o;
    o.units = c.required_count("units", 1);
    check_buffer(c.where("units") + ": the weights of " + std::to_string(o.units) + " units × " +
                     std::to_string(inputs) + " inputs",
                 inputs, o.units, sizeof(T));  // before allocating them
    o.init.name = c.text("init", o.init.name, initializer_names());
    if (o.init.name == "normal") o.init.variance = c.number("variance", o.init.variance, 0, kInf, true);
    else if (c.has("variance")) c.fail("variance", "is only read with \"init\": \"normal\"");
    o.penalties.l1 = c.number("l1", 0, 0, kInf);
    o.penalties.l2 = c.number("l2", 0, 0, kInf);
    o.penalties.max_norm = c.number("max_norm", 0, 0, kInf);
    return std::make_unique<Dense<T>>(inputs, o, init);
  }
  if (type == "relu") return std::make_unique<Relu<T>>();
  if (type == "tanh") return std::make_unique<Tanh<T>>();
  if (type == "sigmoid") return std::make_unique<Sigmoid<T>>();
  if (type == "softmax") return std::make_unique<Softmax<T>>();
  if (type == "leaky_relu") return std::make_unique<LeakyRelu<T>>(c.number("slope", 0.01, -kInf, kInf));
  if (type == "dropout") {
    const double keep = dropout_keep(c);
    const auto convention = c.text("convention", "inverted", {"inverted", "course"});
    return std::make_unique<Dropout<T>>(keep, convention == "course" ? DropoutConvention::course
                                                                      : DropoutConvention::inverted);
  }
  if (type == "batch_norm") {
    require_flat(input, "batch_norm2d normalizes each channel of a map");
    BatchNormOptions o;
    o.momentum = c.number("momentum", o.momentum, 0, 1);
    o.epsilon = c.number("epsilon", o.epsilon, 0, kInf, true);
    o.population = c.text("population", "running", {"running", "exact"}) == "exact" ? PopulationStatistics::exact
                                                                                       : PopulationStatistics::running;
    return std::make_unique<BatchNorm<T>>(inputs, o);
  }
  if (auto layer = build_tensor_layer<T>(c, type, input, init)) return layer;
  c.fail("type", "unknown layer type '" + type +
                     "' (known: dense, relu, leaky_relu, tanh, sigmoid, softmax, dropout, batch_norm, conv2d, "
                     "conv1d, max_pool2d, avg_pool2d, global_avg_pool, flatten, batch_norm2d, dropout2d)");
}

}  // namespace

template <class T>
std::unique_ptr<Layer<T>> make_layer_at(const nlohmann::json& config, const Shape& input, Rng& init,
                                        const std::string& path, const std::string& source) {
  Fields c(config, path, "key");
  const auto& type = c.at("type");
  if (!type.is_string()) c.fail("type", "must be a string, got " + type.dump());
  if (input.size() == 0) throw SpecError(path + ": the layer's input has no columns");
  std::unique_ptr<Layer<T>> layer;
  try {
    layer = build<T>(c, type.get<std::string>(), input, init);
  } catch (const ShapeError& e) {  // the layer says what it expects; where it is and what fed it, here
    throw SpecError(path + " (" + type.get<std::string>() + "): " + e.what() + " from " + source);
  }
  c.done();
  return layer;
}

template std::unique_ptr<Layer<float>> make_layer_at<float>(const nlohmann::json&, const Shape&, Rng&,
                                                            const std::string&, const std::string&);
template std::unique_ptr<Layer<double>> make_layer_at<double>(const nlohmann::json&, const Shape&, Rng&,
                                                              const std::string&, const std::string&);

}  // namespace detail

template <class T>
std::unique_ptr<Layer<T>> make_layer(const nlohmann::json& config, const Shape& input, Rng& init) {
  return detail::make_layer_at<T>(config, input, init, "layer", "the input " + to_string(input));
}

template <class T>
std::unique_ptr<Layer<T>> make_layer(const nlohmann::json& config, std::size_t input_size, Rng& init) {
  return make_layer<T>(config, Shape{input_size}, init);
}

template std::unique_ptr<Layer<float>> make_layer<float>(const nlohmann::json&, const Shape&, Rng&);
template std::unique_ptr<Layer<double>> make_layer<double>(const nlohmann::json&, const Shape&, Rng&);
template std::unique_ptr<Layer<float>> make_layer<float>(const nlohmann::json&, std::size_t, Rng&);
template std::unique_ptr<Layer<double>> make_layer<double>(const nlohmann::json&, std::size_t, Rng&);

}  // namespace augment::trainer
