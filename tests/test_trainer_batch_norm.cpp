// Batch norm: training outputs, gradients and running statistics against PyTorch's BatchNorm1d
// (fixtures/trainer/batch_norm.json), numerical gradient checks in both phases, the exact
// population pass, and its settings.
#include <doctest/doctest.h>

#include "augment/core/error.hpp"
#include "augment/trainer/batch_norm.hpp"
#include "trainer_test_helpers.hpp"

using namespace augment::trainer;
using namespace trainer_test;
using nlohmann::json;

TEST_CASE("batch norm matches PyTorch's BatchNorm1d: outputs, gradients, running statistics") {
  const auto fixture = read_fixture("batch_norm.json");
  for (const auto& c : fixture["cases"]) {
    INFO("momentum " << c["momentum"] << ", epsilon " << c["epsilon"]);
    BatchNorm<double> bn(5, {.momentum = c["momentum"].get<double>(), .epsilon = c["epsilon"].get<double>()});
    bn.gamma().value = to_matrix(c["gamma"]);
    bn.beta().value = to_matrix(c["beta"]);
    Rng rng(0);
    int i = 0;
    for (const auto& b : c["batches"]) {
      INFO("batch " << i++);
      const M x = to_matrix(b["input"]);
      CHECK(relative_error(bn.forward(x, Phase::train, rng), to_matrix(b["output"])) < 1e-6);
      bn.gamma().grad.setZero();
      bn.beta().grad.setZero();
      CHECK(relative_error(bn.backward(to_matrix(b["upstream"])), to_matrix(b["input_grad"])) < 1e-6);
      CHECK(relative_error(bn.gamma().grad, to_matrix(b["gamma_grad"])) < 1e-6);
      CHECK(relative_error(bn.beta().grad, to_matrix(b["beta_grad"])) < 1e-6);
      CHECK(relative_error(bn.running_mean(), to_matrix(b["running_mean"])) < 1e-6);
      CHECK(relative_error(bn.running_var(), to_matrix(b["running_var"])) < 1e-6);
    }
    CHECK(relative_error(bn.forward(to_matrix(c["eval_input"]), Phase::infer, rng), to_matrix(c["eval_output"])) < 1e-6);
  }
}

TEST_CASE("batch norm gradients match numerical gradients in training and inference") {
  Rng rng(21);
  const M x = random_matrix(7, 4, rng, 2, 1);
  BatchNorm<double> bn(4, {});
  bn.gamma().value = random_matrix(1, 4, rng, 1, 1);
  bn.beta().value = random_matrix(1, 4, rng);
  check_layer_gradients(bn, x, Phase::train, rng);  // the full formula, through μ_B and σ²_B
  bn.forward(random_matrix(9, 4, rng, 3, -1), Phase::train, rng);  // running stats ≠ (0, 1)
  check_layer_gradients(bn, x, Phase::infer, rng);
  bn.gamma().penalties.l2 = 0.5;  // γ is a weight: penalties apply when asked
  check_layer_gradients(bn, x, Phase::train, rng);
}

TEST_CASE("batch norm in training normalizes each column to mean 0 and variance 1") {
  Rng rng(22);
  const M x = random_matrix(50, 3, rng, 10, 4);
  BatchNorm<double> bn(3, {.epsilon = 1e-12});
  const M& y = bn.forward(x, Phase::train, rng);
  for (Eigen::Index c = 0; c < 3; ++c) {
    CHECK(std::abs(y.col(c).mean()) < 1e-12);
    CHECK(y.col(c).squaredNorm() / 50 == doctest::Approx(1).epsilon(1e-9));  // biased variance
  }
}

TEST_CASE("the exact population pass gives the training set's mean and unbiased variance") {
  Rng rng(23);
  const M all = random_matrix(30, 3, rng, 2, 5);
  BatchNorm<double> bn(3, {.population = PopulationStatistics::exact});
  for (int i = 0; i < 3; ++i) bn.forward(all.middleRows(i * 10, 10), Phase::train, rng);
  const M running = bn.running_mean();
  bn.begin_population_pass();
  // Batches of unequal size; during the pass the output is normalized with the batch's statistics.
  const M first = all.topRows(7), second = all.middleRows(7, 16), third = all.bottomRows(7);
  BatchNorm<double> reference(3, {});
  CHECK(relative_error(bn.forward(first, Phase::infer, rng), reference.forward(first, Phase::train, rng)) < 1e-12);
  bn.forward(second, Phase::infer, rng);
  bn.forward(third, Phase::infer, rng);
  CHECK(bn.running_mean() == running);  // nothing written before finish
  bn.finish_population_pass();
  const M mean = all.colwise().mean();
  const M var = (all.rowwise() - mean.row(0)).colwise().squaredNorm() / 29;
  CHECK(relative_error(bn.running_mean(), mean) < 1e-12);
  CHECK(relative_error(bn.running_var(), var) < 1e-12);
  // Afterwards inference uses them.
  const M& y = bn.forward(all, Phase::infer, rng);
  CHECK(relative_error(y.row(0), ((all.row(0) - mean).array() / (var.array() + 1e-5).sqrt()).matrix()) < 1e-12);
}

TEST_CASE("batch norm refuses one-row training batches and bad settings") {
  Rng rng(24);
  BatchNorm<double> bn(2, {});
  CHECK_THROWS_AS(bn.forward(M::Ones(1, 2), Phase::train, rng), augment::UsageError);
  CHECK_NOTHROW(bn.forward(M::Ones(1, 2), Phase::infer, rng));
  CHECK_THROWS_AS(bn.forward(M::Ones(3, 4), Phase::infer, rng), augment::UsageError);
  Rng init(0);
  const auto message = [&](const json& config) {
    try {
      make_layer<double>(config, 2, init);
    } catch (const augment::SpecError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message({{"type", "batch_norm"}, {"momentum", 1.5}}) == "layer.momentum: must be a number in [0, 1], got 1.5");
  CHECK(message({{"type", "batch_norm"}, {"epsilon", 0}}).starts_with("layer.epsilon: must be a number in (0,"));
  CHECK(message({{"type", "batch_norm"}, {"population", "batch"}}) ==
        "layer.population: must be one of running, exact, got \"batch\"");
  const json config = {{"type", "batch_norm"}, {"momentum", 0.2}, {"epsilon", 0.001}, {"population", "exact"}};
  CHECK(make_layer<double>(config, 2, init)->config() == config);
}

TEST_CASE("batch norm names its parameters and buffers as PyTorch does") {
  BatchNorm<float> bn(3, {});
  const auto params = bn.parameters();
  REQUIRE(params.size() == 2);
  CHECK(params[0]->name == "weight");
  CHECK_FALSE(params[0]->is_bias);
  CHECK(params[1]->name == "bias");
  CHECK(params[1]->is_bias);
  const auto buffers = bn.buffers();
  CHECK(buffers[0].first == "running_mean");
  CHECK(buffers[1].first == "running_var");
  CHECK(*buffers[1].second == Matrix<float>::Ones(1, 3));
}
