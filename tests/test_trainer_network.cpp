// Network: architecture round trip, names, the end-to-end gradient of a trunk with two heads
// (losses, weights, penalties, batch norm, dropout), frozen layers, the population pass,
// training progress, and spec errors that name the field.
#include <doctest/doctest.h>

#include <set>

#include "augment/core/error.hpp"
#include "augment/trainer/batch_norm.hpp"
#include "augment/trainer/network.hpp"
#include "trainer_test_helpers.hpp"

using namespace augment::trainer;
using namespace trainer_test;
using nlohmann::json;

namespace {

const json kArchitecture = json::parse(R"({
  "inputs": 5,
  "trunk": [{"type": "dense", "units": 8, "init": "he_normal", "l1": 0.01, "l2": 0.1},
            {"type": "batch_norm"}, {"type": "tanh"}, {"type": "dropout", "keep": 0.8},
            {"type": "dense", "units": 6}, {"type": "leaky_relu", "slope": 0.1}],
  "heads": [{"name": "class", "layers": [{"type": "dense", "units": 4, "l2": 0.05}],
             "loss": "softmax_cross_entropy", "weight": 0.7},
            {"name": "flags", "layers": [{"type": "dense", "units": 3}, {"type": "sigmoid"},
                                         {"type": "dense", "units": 2}],
             "loss": "binary_cross_entropy", "weight": 1.5}]
})");

// Targets: one-hot classes in columns 0-3, binary flags in 4-5.
M targets(Eigen::Index rows, Rng& rng) {
  M t = M::Zero(rows, 6);
  for (Eigen::Index r = 0; r < rows; ++r) {
    t(r, static_cast<Eigen::Index>(rng.index(4))) = 1;
    t(r, 4) = rng.bernoulli(0.5);
    t(r, 5) = rng.uniform();
  }
  return t;
}

std::string spec_error(const json& architecture) {
  try {
    Network<double>::from_json(architecture, 1);
  } catch (const augment::SpecError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("an architecture round trips and the seed fixes the weights") {
  auto net = Network<double>::from_json(kArchitecture, 42);
  const json written = net.architecture();
  CHECK(written["heads"][1]["targets"] == json::array({4, 2}));
  CHECK(written["trunk"][1]["population"] == "running");
  auto again = Network<double>::from_json(written, 42);
  CHECK(again.architecture() == written);
  const auto a = net.parameters(), b = again.parameters();
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i]->value == b[i]->value);
  CHECK(Network<double>::from_json(kArchitecture, 43).parameters()[0]->value != a[0]->value);
  CHECK(net.inputs() == 5);
  CHECK(net.target_columns() == 6);
}

TEST_CASE("parameters and buffers have unique names") {
  auto net = Network<float>::from_json(kArchitecture, 1);
  std::set<std::string> names;
  for (auto* p : net.parameters()) CHECK(names.insert(p->name).second);
  CHECK(names.count("trunk.0.weight"));
  CHECK(names.count("trunk.1.bias"));
  CHECK(names.count("heads.flags.2.weight"));
  CHECK(names.size() == 2 * 6);
  const auto buffers = net.buffers();
  REQUIRE(buffers.size() == 2);
  CHECK(buffers[0].first == "trunk.1.running_mean");
  CHECK(buffers[1].first == "trunk.1.running_var");
}

TEST_CASE("end to end gradient of a trunk with two heads, penalties included") {
  auto net = Network<double>::from_json(kArchitecture, 7);
  Rng data(8);
  const M x = random_matrix(9, 5, data);
  const M t = targets(9, data);
  const Rng masks(9);  // every evaluation draws the same dropout masks
  const auto params = net.parameters();
  const auto total_loss = [&] {
    Rng r = masks;
    const auto& out = net.forward(x, Phase::train, r);
    double sum = 0;
    for (std::size_t h = 0; h < net.heads().size(); ++h) {
      const auto& head = net.heads()[h];
      sum += head.weight * loss<double>(head.loss, *out[h], t.middleCols(static_cast<Eigen::Index>(head.target_offset),
                                                                         static_cast<Eigen::Index>(head.target_size)),
                                        nullptr);
    }
    return sum + penalty_loss(params);
  };
  for (auto* p : params) p->grad.setZero();
  Rng r = masks;
  const double value = net.train_batch(x, t, r);
  add_penalty_gradients(params);
  CHECK(value + penalty_loss(params) == doctest::Approx(total_loss()).epsilon(1e-12));
  for (auto* p : params) {
    INFO(p->name);
    const M numeric = numeric_gradient(p->value, total_loss);
    if (p->name == "trunk.0.bias") {  // batch norm follows: the bias cancels, its gradient is 0
      CHECK(p->grad.norm() < 1e-12);
      CHECK(numeric.norm() < 1e-8);
    } else {
      CHECK(relative_error(p->grad, numeric) < 1e-6);
    }
  }
}

TEST_CASE("frozen layers keep zero gradients and the rest stay right") {
  auto net = Network<double>::from_json(kArchitecture, 3);
  for (auto* p : net.trunk()[0]->parameters()) p->frozen = true;
  for (auto* p : net.heads()[0].layers[0]->parameters()) p->frozen = true;
  auto reference = Network<double>::from_json(kArchitecture, 3);
  Rng data(4);
  const M x = random_matrix(6, 5, data);
  const M t = targets(6, data);
  for (auto* p : net.parameters()) p->grad.setZero();
  for (auto* p : reference.parameters()) p->grad.setZero();
  Rng r1(5), r2(5);
  CHECK(net.train_batch(x, t, r1) == reference.train_batch(x, t, r2));
  const auto a = net.parameters(), b = reference.parameters();
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO(a[i]->name);
    if (a[i]->frozen) CHECK(a[i]->grad.isZero());
    else CHECK(relative_error(a[i]->grad, b[i]->grad) < 1e-14);
  }
  // The whole trunk frozen: backward stops at the heads.
  for (auto* p : net.parameters()) p->frozen = p->name.starts_with("trunk");
  for (auto* p : net.parameters()) p->grad.setZero();
  net.train_batch(x, t, r1);
  for (auto* p : net.parameters()) CHECK(p->grad.isZero() == p->frozen);
}

TEST_CASE("plain gradient descent on a float network lowers the training loss") {
  auto net = Network<float>::from_json(kArchitecture, 11);
  Rng data(12);
  const Matrix<float> x = random_matrix(32, 5, data).cast<float>();
  M learnable = M::Zero(32, 6);  // a function of x: class argmax x₀..₃, flags from x₄ and x₀
  for (Eigen::Index r = 0; r < 32; ++r) {
    Eigen::Index c = 0;
    x.row(r).head(4).maxCoeff(&c);
    learnable(r, c) = 1;
    learnable(r, 4) = x(r, 4) > 0;
    learnable(r, 5) = 1 / (1 + std::exp(-2 * x(r, 0)));
  }
  const Matrix<float> t = learnable.cast<float>();
  Rng rng(13);
  const auto params = net.parameters();
  const float before = net.evaluate_batch(x, t, rng);
  for (int step = 0; step < 300; ++step) {
    for (auto* p : params) p->grad.setZero();
    net.train_batch(x, t, rng);
    add_penalty_gradients(params);
    for (auto* p : params) p->value -= 0.05f * p->grad;
  }
  std::vector<float> per_head;
  const float after = net.evaluate_batch(x, t, rng, &per_head);
  CHECK(after < 0.6f * before);
  REQUIRE(per_head.size() == 2);
  CHECK(0.7f * per_head[0] + 1.5f * per_head[1] == doctest::Approx(after));
}

TEST_CASE("the network's population pass sets exact statistics for exact batch norms only") {
  json arch = kArchitecture;
  CHECK_FALSE(Network<double>::from_json(arch, 1).needs_population_pass());
  arch["trunk"][1]["population"] = "exact";
  auto net = Network<double>::from_json(arch, 1);
  CHECK(net.needs_population_pass());
  Rng data(14);
  const M x = random_matrix(12, 5, data);
  net.begin_population_pass();
  net.forward(x.topRows(5), Phase::infer, data);
  net.forward(x.bottomRows(7), Phase::infer, data);
  net.finish_population_pass();
  // The pass saw the first dense layer's outputs: their mean over all 12 rows.
  auto& dense = *net.trunk()[0];
  const M z = dense.forward(x, Phase::infer, data);
  auto& bn = dynamic_cast<BatchNorm<double>&>(*net.trunk()[1]);
  CHECK(relative_error(bn.running_mean(), z.colwise().mean()) < 1e-12);
}

TEST_CASE("bad architectures name the field") {
  json arch = kArchitecture;
  arch["trunk"][4]["units"] = -3;
  CHECK(spec_error(arch) == "trunk.4.units: must be an integer >= 1, got -3");
  arch = kArchitecture;
  arch["heads"][1]["layers"][1]["type"] = "swish";
  CHECK(spec_error(arch).starts_with("heads.flags.1.type: unknown layer type 'swish'"));
  arch = kArchitecture;
  arch["heads"][1]["name"] = "class";
  CHECK(spec_error(arch) == "heads.1.name: 'class' names two heads");
  arch = kArchitecture;
  arch["heads"][0]["loss"] = "hinge";
  CHECK(spec_error(arch).starts_with("heads.0.loss: must be one of mse,"));
  arch = kArchitecture;
  arch["heads"][0]["targets"] = json::array({0, 5});
  CHECK(spec_error(arch) == "heads.0.targets: must be [first column, 4] (the head's output size), got [0,5]");
  arch = kArchitecture;
  arch["heads"] = json::array();
  CHECK(spec_error(arch) == "heads: must be a non-empty list, got []");
  arch = kArchitecture;
  arch["input"] = 5;
  CHECK(spec_error(arch).starts_with("input: unknown key"));
  CHECK(spec_error({{"trunk", json::array()}, {"heads", json::array()}}) == "inputs: missing");
  auto net = Network<double>::from_json(kArchitecture, 1);
  Rng rng(0);
  CHECK_THROWS_AS(net.forward(M::Zero(2, 4), Phase::infer, rng), augment::UsageError);
  CHECK_THROWS_AS(net.train_batch(M::Zero(2, 5), M::Zero(2, 5), rng), augment::UsageError);
}
