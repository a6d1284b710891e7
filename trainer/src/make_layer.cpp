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
#include "json_fields.hpp"
#include "layer_factory.hpp"
#include "size_checks.hpp"

namespace augment::trainer {
namespace detail {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

template <class T>
std::unique_ptr<Layer<T>> build(Fields& c, const std::string& type, std::size_t inputs, Rng& init) {
  if (type == "dense") {
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
    const double keep = c.number("keep", 0.5, 0, 1, true);
    const auto convention = c.text("convention", "inverted", {"inverted", "course"});
    return std::make_unique<Dropout<T>>(keep, convention == "course" ? DropoutConvention::course
                                                                      : DropoutConvention::inverted);
  }
  if (type == "batch_norm") {
    BatchNormOptions o;
    o.momentum = c.number("momentum", o.momentum, 0, 1);
    o.epsilon = c.number("epsilon", o.epsilon, 0, kInf, true);
    o.population = c.text("population", "running", {"running", "exact"}) == "exact" ? PopulationStatistics::exact
                                                                                       : PopulationStatistics::running;
    return std::make_unique<BatchNorm<T>>(inputs, o);
  }
  c.fail("type", "unknown layer type '" + type +
                     "' (known: dense, relu, leaky_relu, tanh, sigmoid, softmax, dropout, batch_norm)");
}

}  // namespace

template <class T>
std::unique_ptr<Layer<T>> make_layer_at(const nlohmann::json& config, std::size_t input_size, Rng& init,
                                        const std::string& path) {
  Fields c(config, path, "key");
  const auto& type = c.at("type");
  if (!type.is_string()) c.fail("type", "must be a string, got " + type.dump());
  if (input_size == 0) throw SpecError(path + ": the layer's input has no columns");
  auto layer = build<T>(c, type.get<std::string>(), input_size, init);
  c.done();
  return layer;
}

template std::unique_ptr<Layer<float>> make_layer_at<float>(const nlohmann::json&, std::size_t, Rng&,
                                                            const std::string&);
template std::unique_ptr<Layer<double>> make_layer_at<double>(const nlohmann::json&, std::size_t, Rng&,
                                                              const std::string&);

}  // namespace detail

template <class T>
std::unique_ptr<Layer<T>> make_layer(const nlohmann::json& config, std::size_t input_size, Rng& init) {
  return detail::make_layer_at<T>(config, input_size, init, "layer");
}

template std::unique_ptr<Layer<float>> make_layer<float>(const nlohmann::json&, std::size_t, Rng&);
template std::unique_ptr<Layer<double>> make_layer<double>(const nlohmann::json&, std::size_t, Rng&);

}  // namespace augment::trainer
