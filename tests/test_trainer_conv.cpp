// Layers of feature maps and sequences: conv2d, conv1d, max_pool2d, avg_pool2d, global_avg_pool,
// flatten, batch_norm2d, dropout2d. Outputs and gradients against PyTorch 1.13
// (fixtures/trainer/conv.json, make_conv_fixtures.py), every backward against numerical
// gradients in double, dropout2d's masks and expectation, shapes and config errors.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "augment/core/error.hpp"
#include "augment/trainer/batch_norm2d.hpp"
#include "augment/trainer/conv2d.hpp"
#include "augment/trainer/dropout2d.hpp"
#include "trainer_test_helpers.hpp"

using namespace augment::trainer;
using namespace trainer_test;
using nlohmann::json;

namespace {

Shape shape_of(const json& dims) { return Shape(dims.get<std::vector<std::size_t>>()); }

std::unique_ptr<Layer<double>> layer(const json& config, const Shape& input, std::uint64_t seed = 1) {
  Rng init(seed);
  return make_layer<double>(config, input, init);
}

double max_abs_diff(const M& a, const M& b) {
  REQUIRE(a.rows() == b.rows());
  REQUIRE(a.cols() == b.cols());
  return (a - b).cwiseAbs().maxCoeff();
}

std::string error_of(const json& config, const Shape& input) {
  try {
    layer(config, input);
  } catch (const augment::SpecError& e) {
    return e.what();
  }
  return "no error";
}

/// One training-mode pass of a layer against a fixture case: output, input gradient, and the
/// parameter gradients the case lists (name in the file → parameter index).
void check_against_fixture(Layer<double>& l, const json& c, const std::vector<std::pair<std::string, int>>& grads) {
  Rng rng(0);
  const M x = to_matrix(c["input"]);
  for (auto* p : l.parameters()) p->grad.setZero();
  CHECK(max_abs_diff(l.forward(x, Phase::train, rng), to_matrix(c["output"])) < 1e-6);
  l.set_input_grad_needed(true);
  CHECK(max_abs_diff(l.backward(to_matrix(c["upstream"])), to_matrix(c["input_grad"])) < 1e-6);
  for (const auto& [name, index] : grads) {
    INFO(name);
    CHECK(max_abs_diff(l.parameters()[static_cast<std::size_t>(index)]->grad, to_matrix(c[name])) < 1e-6);
  }
}

json conv_config(const json& c, const std::string& type) {
  json config = {{"type", type}, {"out_channels", c["out_channels"]}, {"bias", c["bias"]}};
  for (const char* key : {"kernel", "stride", "padding", "dilation"})
    config[key] = type == "conv1d" ? c[key][0] : c[key];
  return config;
}

void check_conv_fixtures(const std::string& type) {
  const auto fixture = read_fixture("conv.json");
  int i = 0;
  for (const auto& c : fixture[type]) {
    INFO(type << " case " << i++ << ": " << conv_config(c, type).dump());
    auto l = layer(conv_config(c, type), shape_of(c["input_shape"]));
    CHECK(l->output_shape(shape_of(c["input_shape"])) == shape_of(c["output_shape"]));
    auto& conv = dynamic_cast<Convolution<double>&>(*l);
    conv.weight().value = to_matrix(c["weight"]);
    std::vector<std::pair<std::string, int>> grads = {{"weight_grad", 0}};
    if (c["bias"].get<bool>()) {
      conv.bias().value = to_matrix(c["bias_value"]);
      grads.emplace_back("bias_grad", 1);
    }
    CHECK(l->parameters().size() == grads.size());
    check_against_fixture(*l, c, grads);
  }
}

}  // namespace

TEST_CASE("conv2d matches PyTorch's Conv2d: outputs, input, weight and bias gradients") {
  check_conv_fixtures("conv2d");
}

TEST_CASE("conv1d matches PyTorch's Conv1d") { check_conv_fixtures("conv1d"); }

TEST_CASE("max_pool2d and avg_pool2d match PyTorch, ties and padding included") {
  const auto fixture = read_fixture("conv.json");
  for (const std::string type : {"max_pool2d", "avg_pool2d"}) {
    int i = 0;
    for (const auto& c : fixture[type]) {
      json config = {{"type", type}, {"kernel", c["kernel"]}, {"stride", c["stride"]}, {"padding", c["padding"]}};
      if (c.contains("count_include_pad")) config["count_include_pad"] = c["count_include_pad"];
      INFO(type << " case " << i++ << ": " << config.dump());
      auto l = layer(config, shape_of(c["input_shape"]));
      CHECK(l->output_shape(shape_of(c["input_shape"])) == shape_of(c["output_shape"]));
      check_against_fixture(*l, c, {});
    }
  }
}

TEST_CASE("global_avg_pool matches PyTorch's AdaptiveAvgPool2d(1) + Flatten") {
  const auto c = read_fixture("conv.json")["global_avg_pool"][0];
  auto l = layer({{"type", "global_avg_pool"}}, shape_of(c["input_shape"]));
  CHECK(l->output_shape(shape_of(c["input_shape"])) == shape_of(c["output_shape"]));
  check_against_fixture(*l, c, {});
}

TEST_CASE("batch_norm2d matches PyTorch's BatchNorm2d: training, running statistics, eval") {
  const auto fixture = read_fixture("conv.json");
  for (const auto& c : fixture["batch_norm2d"]) {
    INFO("momentum " << c["momentum"] << ", epsilon " << c["epsilon"] << ", shape " << c["input_shape"]);
    auto l = layer({{"type", "batch_norm2d"}, {"momentum", c["momentum"]}, {"epsilon", c["epsilon"]}},
                   shape_of(c["input_shape"]));
    auto& bn = dynamic_cast<BatchNorm2d<double>&>(*l);
    bn.norm().gamma().value = to_matrix(c["gamma"]);
    bn.norm().beta().value = to_matrix(c["beta"]);
    int i = 0;
    for (const auto& b : c["batches"]) {
      INFO("batch " << i++);
      check_against_fixture(*l, b, {{"gamma_grad", 0}, {"beta_grad", 1}});
      CHECK(max_abs_diff(bn.norm().running_mean(), to_matrix(b["running_mean"])) < 1e-6);
      CHECK(max_abs_diff(bn.norm().running_var(), to_matrix(b["running_var"])) < 1e-6);
    }
    Rng rng(0);
    CHECK(max_abs_diff(l->forward(to_matrix(c["eval_input"]), Phase::infer, rng), to_matrix(c["eval_output"])) < 1e-6);
  }
}

TEST_CASE("dropout2d drops whole channels and scales the kept ones as PyTorch's Dropout2d") {
  const auto c = read_fixture("conv.json")["dropout2d"][0];
  const Shape shape = shape_of(c["input_shape"]);
  const double keep = c["keep"].get<double>();
  const auto positions = static_cast<Eigen::Index>(shape.size() / shape[0]);
  const M x = to_matrix(c["input"]);
  // Every channel of an output is all 0 or all x/keep; the form is PyTorch's (its draws are its own).
  const auto check_form = [&](const M& y) {
    for (Eigen::Index n = 0; n < x.rows(); ++n)
      for (Eigen::Index ch = 0; ch < static_cast<Eigen::Index>(shape[0]); ++ch) {
        const M in = x.row(n).segment(ch * positions, positions), out = y.row(n).segment(ch * positions, positions);
        CHECK((out.isZero(0) || max_abs_diff(out, in / keep) < 1e-12));
      }
  };
  for (const auto& torch_output : c["outputs"]) check_form(to_matrix(torch_output));
  auto l = layer({{"type", "dropout2d"}, {"keep", keep}}, shape);
  Rng rng(3);
  int dropped = 0;
  for (int pass = 0; pass < 20; ++pass) {
    const M y = l->forward(x, Phase::train, rng);
    check_form(y);
    for (Eigen::Index n = 0; n < x.rows(); ++n)
      for (Eigen::Index ch = 0; ch < static_cast<Eigen::Index>(shape[0]); ++ch)
        dropped += y.row(n).segment(ch * positions, positions).isZero(0);
  }
  // 400 channel draws at keep 0.7: 120 dropped expected, sd 9.2.
  CHECK(dropped > 120 - 5 * 9.2);
  CHECK(dropped < 120 + 5 * 9.2);
  CHECK(max_abs_diff(l->forward(x, Phase::infer, rng), x) == 0);
}

TEST_CASE("dropout2d conventions agree in expectation with their inference outputs") {
  Rng rng(8);
  const Shape shape{3, 2, 2};
  const M x = random_matrix(2, 12, rng);
  const double keep = 0.6;
  for (const char* convention : {"inverted", "course"}) {
    INFO(convention);
    auto d = layer({{"type", "dropout2d"}, {"keep", keep}, {"convention", convention}}, shape);
    const M inferred = d->forward(x, Phase::infer, rng);
    const int passes = 20000;
    M mean = M::Zero(x.rows(), x.cols());
    for (int i = 0; i < passes; ++i) mean += d->forward(x, Phase::train, rng);
    mean /= passes;
    const double s = std::string(convention) == "inverted" ? 1 / keep : 1;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      const double se = std::abs(x.data()[i]) * s * std::sqrt(keep * (1 - keep) / passes);
      CHECK(std::abs(mean.data()[i] - inferred.data()[i]) <= 5 * se + 1e-12);
    }
  }
}

TEST_CASE("gradient checks of conv2d: odd sizes, stride, padding, dilation, no bias, batch of 1, penalties") {
  Rng rng(31);
  struct Case {
    json config;
    Shape input;
    Eigen::Index batch;
  };
  const Case cases[] = {
      {{{"type", "conv2d"}, {"out_channels", 3}, {"kernel", 3}}, {2, 5, 7}, 3},
      {{{"type", "conv2d"}, {"out_channels", 2}, {"kernel", {3, 2}}, {"stride", {2, 3}}, {"padding", {1, 2}}}, {3, 7, 8}, 2},
      {{{"type", "conv2d"}, {"out_channels", 4}, {"kernel", 2}, {"dilation", {2, 3}}, {"padding", 1}, {"stride", 2}},
       {1, 9, 9},
       1},
      {{{"type", "conv2d"}, {"out_channels", 2}, {"kernel", 1}, {"bias", false}}, {3, 3, 5}, 2},
      {{{"type", "conv2d"}, {"out_channels", 2}, {"kernel", 3}, {"padding", 3}, {"l1", 0.2}, {"l2", 0.5}}, {2, 2, 3}, 2},
  };
  for (const auto& c : cases) {
    INFO(c.config.dump() << " on " << to_string(c.input) << " × " << c.batch);
    auto l = layer(c.config, c.input);
    check_layer_gradients(*l, random_matrix(c.batch, static_cast<Eigen::Index>(c.input.size()), rng), Phase::train, rng);
  }
}

TEST_CASE("gradient checks of conv1d") {
  Rng rng(32);
  for (const json& config : {json{{"type", "conv1d"}, {"out_channels", 3}, {"kernel", 3}},
                             json{{"type", "conv1d"}, {"out_channels", 2}, {"kernel", 2}, {"stride", 3}, {"padding", 2},
                                  {"dilation", 2}}}) {
    INFO(config.dump());
    for (const Eigen::Index batch : {1, 3})
      check_layer_gradients(*layer(config, {3, 11}), random_matrix(batch, 33, rng), Phase::train, rng);
  }
}

TEST_CASE("gradient checks of the pools, global pooling and flatten") {
  Rng rng(33);
  // Distinct values: no pooling window holds a near-tie that ±h could reorder.
  const auto distinct = [&](Eigen::Index rows, Eigen::Index cols) {
    M x(rows, cols);
    for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = 0.01 * static_cast<double>((i * 37) % x.size()) - 1;
    return x;
  };
  const Shape s{2, 7, 5};
  for (const json& config :
       {json{{"type", "max_pool2d"}, {"kernel", 2}}, json{{"type", "max_pool2d"}, {"kernel", 3}, {"stride", {2, 1}}, {"padding", 1}},
        json{{"type", "avg_pool2d"}, {"kernel", 3}, {"stride", 2}, {"padding", 1}},
        json{{"type", "avg_pool2d"}, {"kernel", {3, 2}}, {"stride", 1}, {"padding", {1, 1}}, {"count_include_pad", false}},
        json{{"type", "global_avg_pool"}}, json{{"type", "flatten"}}}) {
    INFO(config.dump());
    for (const Eigen::Index batch : {1, 3})
      check_layer_gradients(*layer(config, s), distinct(batch, 70), Phase::train, rng);
  }
}

TEST_CASE("gradient checks of batch_norm2d (training and inference) and dropout2d (masks held fixed)") {
  Rng rng(34);
  auto bn = layer({{"type", "batch_norm2d"}}, {3, 3, 2});
  auto& norm = dynamic_cast<BatchNorm2d<double>&>(*bn).norm();
  norm.gamma().value << 1.5, -0.7, 0.3;
  norm.beta().value << 0.2, 0, -1;
  for (const Eigen::Index batch : {1, 4}) {
    INFO("batch " << batch);
    check_layer_gradients(*bn, random_matrix(batch, 18, rng, 2, 1), Phase::train, rng);
    check_layer_gradients(*bn, random_matrix(batch, 18, rng, 2, 1), Phase::infer, rng);
  }
  for (const char* convention : {"inverted", "course"}) {
    auto d = layer({{"type", "dropout2d"}, {"keep", 0.5}, {"convention", convention}}, {4, 3});
    check_layer_gradients(*d, random_matrix(5, 12, rng), Phase::train, Rng(11));
    check_layer_gradients(*d, random_matrix(5, 12, rng), Phase::infer, Rng(11));
  }
}

TEST_CASE("conv2d: the weight layout a column per output channel, initialized with the conv fans") {
  auto l = layer({{"type", "conv2d"}, {"out_channels", 64}, {"kernel", 5}, {"init", "he_normal"}}, {8, 12, 12});
  auto& w = dynamic_cast<Conv2d<double>&>(*l).weight().value;
  CHECK(w.rows() == 8 * 25);
  CHECK(w.cols() == 64);
  // he_normal: σ² = 2/fan_in = 2/200; 12800 draws put the sample variance within 2% (5 sd).
  const double variance = w.array().square().mean();
  CHECK(variance == doctest::Approx(0.01).epsilon(0.02 * 2.5));
  auto g = layer({{"type", "conv2d"}, {"out_channels", 64}, {"kernel", 5}}, {8, 12, 12});
  // glorot_uniform: limit √(6/(fan_in + fan_out)) with fan_out = 64·25 (not 64).
  const double limit = std::sqrt(6.0 / (200 + 1600));
  const auto& gw = dynamic_cast<Conv2d<double>&>(*g).weight().value;
  CHECK(gw.cwiseAbs().maxCoeff() <= limit);
  CHECK(gw.cwiseAbs().maxCoeff() > 0.95 * limit);
}

TEST_CASE("tensor layers: config round trips and output shapes") {
  const Shape map{3, 10, 9};
  const json configs[] = {
      {{"type", "conv2d"}, {"out_channels", 4}, {"in_channels", 3}, {"kernel", {3, 3}}, {"stride", {2, 1}}, {"padding", {1, 0}},
       {"dilation", {1, 2}}, {"bias", false}, {"init", "normal"}, {"variance", 0.5}, {"l2", 0.01}},
      {{"type", "max_pool2d"}, {"kernel", {2, 2}}, {"stride", {2, 2}}, {"padding", {0, 1}}},
      {{"type", "avg_pool2d"}, {"kernel", {3, 3}}, {"stride", {1, 2}}, {"padding", {1, 1}}, {"count_include_pad", false}},
      {{"type", "global_avg_pool"}},
      {{"type", "flatten"}},
      {{"type", "batch_norm2d"}, {"momentum", 0.2}, {"epsilon", 1e-3}, {"population", "exact"}},
      {{"type", "dropout2d"}, {"keep", 0.8}, {"convention", "course"}}};
  const Shape expected[] = {{4, 5, 5}, {3, 5, 5}, {3, 10, 5}, {3}, {270}, map, map};
  for (std::size_t i = 0; i < std::size(configs); ++i) {
    INFO(configs[i].dump());
    auto l = layer(configs[i], map);
    CHECK(l->config() == configs[i]);
    CHECK(l->output_shape(map) == expected[i]);
  }
  const json conv1d = {{"type", "conv1d"}, {"out_channels", 5}, {"in_channels", 2}, {"kernel", 3}, {"stride", 2},
                       {"padding", 1},     {"dilation", 1},     {"bias", true},     {"init", "glorot_uniform"}};
  auto l = layer(conv1d, {2, 9});
  CHECK(l->config() == conv1d);
  CHECK(l->output_shape({2, 9}) == Shape{5, 5});
  // Defaults written out: pooling's stride is its kernel.
  CHECK(layer({{"type", "max_pool2d"}, {"kernel", 3}}, map)->config()["stride"] == json({3, 3}));
}

TEST_CASE("tensor layers: bad settings and shapes are SpecErrors naming the field or both shapes") {
  const Shape map{1, 6, 6};
  CHECK(error_of({{"type", "conv2d"}, {"out_channels", 0}, {"kernel", 3}}, map) ==
        "layer.out_channels: must be an integer >= 1, got 0");
  CHECK(error_of({{"type", "conv2d"}, {"out_channels", 2}}, map) == "layer.kernel: missing");
  CHECK(error_of({{"type", "conv2d"}, {"out_channels", 2}, {"kernel", {3, 0}}}, map) ==
        "layer.kernel: must be an integer or [height, width], each in [1, 65536], got [3,0]");
  CHECK(error_of({{"type", "conv1d"}, {"out_channels", 2}, {"kernel", {3, 3}}}, {2, 9}) ==
        "layer.kernel: must be an integer in [1, 65536], got [3,3]");
  CHECK(error_of({{"type", "conv2d"}, {"out_channels", 2}, {"kernel", 3}, {"in_channels", 3}}, map) ==
        "layer (conv2d): expects 3 input channels, got 1 from the input [1, 6, 6]");
  CHECK(error_of({{"type", "conv2d"}, {"out_channels", 2}, {"kernel", 4}, {"dilation", 2}}, map) ==
        "layer (conv2d): the kernel spans 7×7 (kernel and dilation), more than the input padded to 6×6 from the "
        "input [1, 6, 6]");
  CHECK(error_of({{"type", "conv2d"}, {"out_channels", 2}, {"kernel", 3}}, {36}) ==
        "layer (conv2d): expects a [C, H, W] input (set the network's input_shape, e.g. [1, 20, 20]), got 1 dims "
        "from the input [36]");
  CHECK(error_of({{"type", "max_pool2d"}, {"kernel", 2}, {"padding", 2}}, map) ==
        "layer (max_pool2d): padding 2 is more than half the kernel 2 from the input [1, 6, 6]");
  CHECK(error_of({{"type", "avg_pool2d"}, {"kernel", 7}}, map) ==
        "layer (avg_pool2d): the 7×7 window is larger than the input padded to 6×6 from the input [1, 6, 6]");
  CHECK(error_of({{"type", "dense"}, {"units", 3}}, map) ==
        "layer (dense): expects a flat input (put a flatten or global_avg_pool layer before it), got 3 dims from "
        "the input [1, 6, 6]");
  CHECK(error_of({{"type", "batch_norm"}}, map).find("batch_norm2d normalizes each channel") != std::string::npos);
  CHECK(error_of({{"type", "dropout2d"}}, {5}).find("use dropout on flat inputs") != std::string::npos);
  CHECK(error_of({{"type", "dropout2d"}, {"keep", 0}}, map) == "layer.keep: must be a number in (0, 1], got 0");
  CHECK(error_of({{"type", "flatten"}, {"units", 3}}, map).find("layer.units: unknown key") == 0);
  CHECK(error_of({{"type", "dropout2d"}, {"rate", 0.25}}, map) ==
        "layer.rate: dropout takes keep = 1 − rate (the probability a unit is kept); give \"keep\": 0.75");
  CHECK(error_of({{"type", "conv2d"}, {"out_channels", 1000000}, {"kernel", 1000}}, {1000, 2000, 2000})
            .find("allocation_bytes") != std::string::npos);
}

TEST_CASE("max_pool2d: a NaN in a window wins and takes the gradient, as in PyTorch") {
  auto l = layer({{"type", "max_pool2d"}, {"kernel", 2}}, {1, 2, 4});
  M x(1, 8);
  x << 1, NAN, 5, 6, 3, 2, 7, 1;
  Rng rng(0);
  const M y = l->forward(x, Phase::train, rng);
  CHECK(std::isnan(y(0, 0)));
  CHECK(y(0, 1) == 7);
  M g(1, 2);
  g << 10, 20;
  M expected = M::Zero(1, 8);
  expected(0, 1) = 10;
  expected(0, 6) = 20;
  CHECK(l->backward(g) == expected);
}
