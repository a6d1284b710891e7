// Layers: every backward against numerical gradients (double), dense's product and penalties,
// initializers' statistics, dropout's two conventions and MC-dropout sampling.
#include <doctest/doctest.h>

#include <cmath>

#include "augment/core/error.hpp"
#include "augment/trainer/dense.hpp"
#include "augment/trainer/dropout.hpp"
#include "augment/trainer/leaky_relu.hpp"
#include "augment/trainer/relu.hpp"
#include "augment/trainer/sigmoid.hpp"
#include "augment/trainer/softmax.hpp"
#include "augment/trainer/tanh.hpp"
#include "trainer_test_helpers.hpp"

using namespace augment::trainer;
using namespace trainer_test;
using nlohmann::json;

namespace {

std::unique_ptr<Layer<double>> layer(const json& config, std::size_t inputs, std::uint64_t seed = 1) {
  Rng init(seed);
  return make_layer<double>(config, inputs, init);
}

// Inputs kept away from 0, where ReLU's kink would spoil the finite differences.
M away_from_zero(Eigen::Index rows, Eigen::Index cols, Rng& rng) {
  M x = random_matrix(rows, cols, rng);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] += x.data()[i] >= 0 ? 0.1 : -0.1;
  return x;
}

}  // namespace

TEST_CASE("dense computes x times W plus b") {
  auto d = layer({{"type", "dense"}, {"units", 2}}, 3);
  auto& dense = dynamic_cast<Dense<double>&>(*d);
  dense.weight().value << 1, 2, 3, 4, 5, 6;
  dense.bias().value << 0.5, -1;
  M x(2, 3);
  x << 1, 0, -1, 2, 1, 0;
  Rng rng(0);
  M expected(2, 2);
  expected << 1 - 5 + 0.5, 2 - 6 - 1, 2 + 3 + 0.5, 4 + 4 - 1;
  CHECK(relative_error(d->forward(x, Phase::train, rng), expected) < 1e-15);
}

TEST_CASE("gradient checks of dense, with and without L1 and L2 penalties") {
  Rng rng(5);
  const M x = random_matrix(6, 4, rng);
  check_layer_gradients(*layer({{"type", "dense"}, {"units", 3}}, 4), x, Phase::train, rng);
  auto penalized = layer({{"type", "dense"}, {"units", 3}, {"l1", 0.3}, {"l2", 0.7}}, 4);
  check_layer_gradients(*penalized, x, Phase::train, rng);
}

TEST_CASE("gradient checks of the activations") {
  Rng rng(6);
  const M x = away_from_zero(5, 7, rng);
  for (const json& config : {json{{"type", "relu"}}, json{{"type", "leaky_relu"}, {"slope", 0.2}},
                             json{{"type", "leaky_relu"}, {"slope", -0.5}}, json{{"type", "tanh"}},
                             json{{"type", "sigmoid"}}, json{{"type", "softmax"}}}) {
    INFO(config.dump());
    check_layer_gradients(*layer(config, 7), x, Phase::train, rng);
  }
}

TEST_CASE("activations compute their functions") {
  M x(1, 4);
  x << -2, -0.5, 0.5, 3;
  Rng rng(0);
  M relu(1, 4), leaky(1, 4), tanh(1, 4), sigmoid(1, 4);
  relu << 0, 0, 0.5, 3;
  leaky << -0.02, -0.005, 0.5, 3;
  for (Eigen::Index i = 0; i < 4; ++i) {
    tanh(0, i) = std::tanh(x(0, i));
    sigmoid(0, i) = 1 / (1 + std::exp(-x(0, i)));
  }
  CHECK(relative_error(layer({{"type", "relu"}}, 4)->forward(x, Phase::infer, rng), relu) < 1e-15);
  CHECK(relative_error(layer({{"type", "leaky_relu"}}, 4)->forward(x, Phase::infer, rng), leaky) < 1e-15);
  CHECK(relative_error(layer({{"type", "tanh"}}, 4)->forward(x, Phase::infer, rng), tanh) < 1e-15);
  CHECK(relative_error(layer({{"type", "sigmoid"}}, 4)->forward(x, Phase::infer, rng), sigmoid) < 1e-15);
  M big(1, 3);
  big << 1000, 999, -1000;  // softmax shifted by the max: no overflow
  auto softmax = layer({{"type", "softmax"}}, 3);
  const M& p = softmax->forward(big, Phase::infer, rng);
  CHECK(p(0, 0) == doctest::Approx(1 / (1 + std::exp(-1.0))));
  CHECK(p.sum() == doctest::Approx(1));
}

TEST_CASE("gradient checks of dropout in both conventions, masks held fixed") {
  Rng rng(7);
  const M x = random_matrix(6, 5, rng);
  for (const char* convention : {"inverted", "course"}) {
    INFO(convention);
    auto d = layer({{"type", "dropout"}, {"keep", 0.6}, {"convention", convention}}, 5);
    check_layer_gradients(*d, x, Phase::train, Rng(11));
    check_layer_gradients(*d, x, Phase::infer, Rng(11));
  }
}

TEST_CASE("dropout conventions agree in expectation with their inference outputs") {
  Rng rng(8);
  const M x = random_matrix(4, 6, rng);
  const double keep = 0.7;
  for (const char* convention : {"inverted", "course"}) {
    INFO(convention);
    auto d = layer({{"type", "dropout"}, {"keep", keep}, {"convention", convention}}, 6);
    const M inferred = d->forward(x, Phase::infer, rng);
    const int passes = 20000;
    M mean = M::Zero(x.rows(), x.cols());
    for (int i = 0; i < passes; ++i) mean += d->forward(x, Phase::train, rng);
    mean /= passes;
    // Per element the training output is x·r·s (s = 1/P inverted, 1 course), variance
    // x²·s²·P(1−P); the mean of n passes is within 5 standard errors.
    const double s = std::string(convention) == "inverted" ? 1 / keep : 1;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      const double se = std::abs(x.data()[i]) * s * std::sqrt(keep * (1 - keep) / passes);
      CHECK(std::abs(mean.data()[i] - inferred.data()[i]) <= 5 * se + 1e-12);
    }
    CHECK(relative_error(inferred, std::string(convention) == "inverted" ? x : M(x * keep)) < 1e-15);
  }
}

TEST_CASE("course dropout at inference equals scaling the next layer's weights, not its bias") {
  Rng rng(9);
  const M x = random_matrix(3, 4, rng);
  auto d = layer({{"type", "dropout"}, {"keep", 0.25}, {"convention", "course"}}, 4);
  auto next = layer({{"type", "dense"}, {"units", 2}}, 4);
  auto& dense = dynamic_cast<Dense<double>&>(*next);
  dense.bias().value << 0.5, -2;
  const M through_dropout = next->forward(d->forward(x, Phase::infer, rng), Phase::infer, rng);
  dense.weight().value *= 0.25;
  CHECK(relative_error(through_dropout, next->forward(x, Phase::infer, rng)) < 1e-14);
}

TEST_CASE("dropout keeps units with probability keep and samples masks in the sample phase") {
  Rng rng(10);
  const M x = M::Ones(200, 100);
  auto d = layer({{"type", "dropout"}, {"keep", 0.3}}, 100);
  const M& y = d->forward(x, Phase::train, rng);
  const double kept = static_cast<double>((y.array() != 0).count()) / static_cast<double>(x.size());
  CHECK(std::abs(kept - 0.3) < 5 * std::sqrt(0.3 * 0.7 / 20000));
  CHECK(((y.array() == 0) || (y.array() - 1 / 0.3).abs() < 1e-12).all());
  CHECK(d->forward(x, Phase::infer, rng) == x);
  const M sampled = d->forward(x, Phase::sample, rng);
  CHECK((sampled.array() == 0).any());
  CHECK(sampled != d->forward(x, Phase::sample, rng));  // a new mask each pass
  CHECK(layer({{"type", "dropout"}, {"keep", 1}}, 100)->forward(x, Phase::train, rng) == x);
}

TEST_CASE("initializers draw with the course's variances") {
  const std::size_t fan_in = 200, fan_out = 300;
  const double n = fan_in * fan_out;
  struct Case {
    json init;
    double variance;
  };
  const double glorot = std::sqrt(6.0 / (fan_in + fan_out));
  for (const auto& c : {Case{{{"init", "normal"}}, 0.01}, Case{{{"init", "normal"}, {"variance", 0.5}}, 0.5},
                        Case{{{"init", "standard_normal"}}, 1.0},
                        Case{{{"init", "glorot_uniform"}}, glorot * glorot / 3},
                        Case{{{"init", "glorot_normal"}}, 2.0 / (fan_in + fan_out)},
                        Case{{{"init", "he_normal"}}, 2.0 / fan_in}}) {
    INFO(c.init.dump());
    json config = c.init;
    config["type"] = "dense";
    config["units"] = fan_out;
    auto d = layer(config, fan_in, 3);
    auto& dense = dynamic_cast<Dense<double>&>(*d);
    const M& w = dense.weight().value;
    const double mean = w.mean(), var = (w.array() - mean).square().sum() / (n - 1);
    CHECK(std::abs(mean) < 5 * std::sqrt(c.variance / n));
    // The sample variance's standard error: σ²·√(2/n) for a normal, less for a uniform.
    CHECK(std::abs(var - c.variance) < 5 * c.variance * std::sqrt(2 / n));
    CHECK(dense.bias().value.isZero());
    if (c.init["init"] == "glorot_uniform") CHECK(w.cwiseAbs().maxCoeff() < glorot);
    CHECK(layer(config, fan_in, 3)->parameters()[0]->value == w);  // same seed, same weights
    CHECK(layer(config, fan_in, 4)->parameters()[0]->value != w);
  }
}

TEST_CASE("max_norm rescales only the columns above the limit") {
  auto d = layer({{"type", "dense"}, {"units", 3}, {"max_norm", 2}}, 2);
  auto& w = dynamic_cast<Dense<double>&>(*d).weight();
  w.value << 3, 1, 0, 4, 1, 0.5;  // column norms 5, √2, 0.5
  apply_max_norm(d->parameters());
  M expected(2, 3);
  expected << 1.2, 1, 0, 1.6, 1, 0.5;
  CHECK(relative_error(w.value, expected) < 1e-15);
  w.frozen = true;
  w.value *= 10;
  apply_max_norm(d->parameters());
  CHECK(relative_error(w.value, expected * 10) < 1e-15);
}

TEST_CASE("layer configs round trip and bad ones name the field") {
  for (const json& config :
       {json{{"type", "dense"}, {"units", 4}, {"init", "normal"}, {"variance", 0.01}, {"l1", 0.1}, {"l2", 0.2}, {"max_norm", 3.0}},
        json{{"type", "dropout"}, {"keep", 0.8}, {"convention", "course"}},
        json{{"type", "leaky_relu"}, {"slope", 0.1}}, json{{"type", "softmax"}}}) {
    CHECK(layer(config, 3)->config() == config);
  }
  const auto message = [](const json& config) {
    try {
      layer(config, 3);
    } catch (const augment::SpecError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message({{"type", "dense"}, {"units", 0}}) == "layer.units: must be an integer >= 1, got 0");
  CHECK(message({{"type", "dense"}}) == "layer.units: missing");
  CHECK(message({{"type", "dense"}, {"units", 2}, {"init", "he"}}).starts_with("layer.init: must be one of normal,"));
  CHECK(message({{"type", "dense"}, {"units", 2}, {"variance", 1}}) ==
        "layer.variance: is only read with \"init\": \"normal\"");
  CHECK(message({{"type", "dense"}, {"units", 2}, {"unit", 2}}).starts_with("layer.unit: unknown key"));
  CHECK(message({{"type", "dropout"}, {"keep", 0}}) == "layer.keep: must be a number in (0, 1], got 0");
  // Keras' rate and PyTorch's p drop units; keep (the course's P) keeps them: never taken silently.
  CHECK(message({{"type", "dropout"}, {"rate", 0.3}}) ==
        "layer.rate: dropout takes keep = 1 − rate (the probability a unit is kept); give \"keep\": 0.7");
  CHECK(message({{"type", "dropout"}, {"p", 0.5}}) ==
        "layer.p: dropout takes keep = 1 − p (the probability a unit is kept); give \"keep\": 0.5");
  CHECK(message({{"type", "dropout"}, {"convention", "srivastava"}}) ==
        "layer.convention: must be one of inverted, course, got \"srivastava\"");
  CHECK(message({{"type", "conv"}}).starts_with("layer.type: unknown layer type 'conv'"));
  CHECK(message(json::array()).starts_with("layer: must be an object"));
}
