// Losses: values and gradients against PyTorch (fixtures/trainer/losses.json), against
// numerical gradients, stability at extreme logits, float agreement, and errors.
#include <doctest/doctest.h>

#include <cmath>

#include "augment/core/error.hpp"
#include "augment/trainer/loss.hpp"
#include "trainer_test_helpers.hpp"

using namespace augment::trainer;
using namespace trainer_test;

TEST_CASE("losses match PyTorch's MSELoss, BCEWithLogitsLoss and CrossEntropyLoss") {
  const auto fixture = read_fixture("losses.json");
  for (const auto& c : fixture["cases"]) {
    INFO(c["loss"].get<std::string>());
    const M output = to_matrix(c["output"]), target = to_matrix(c["target"]);
    M grad;
    const double value = loss<double>(parse_loss(c["loss"]), output, target, &grad);
    CHECK(std::abs(value - c["value"].get<double>()) <= 1e-6 * std::abs(c["value"].get<double>()));
    CHECK(relative_error(grad, to_matrix(c["grad"])) < 1e-6);
    CHECK(std::isfinite(value));
  }
}

TEST_CASE("loss gradients match numerical gradients") {
  Rng rng(3);
  M output = random_matrix(5, 4, rng, 2);
  M probabilities = random_matrix(5, 4, rng).array().logistic().matrix();  // in (0, 1)
  M soft = probabilities.array().colwise() / probabilities.rowwise().sum().array();
  struct Case {
    LossKind kind;
    M target;
  };
  for (const auto& c : {Case{LossKind::mse, random_matrix(5, 4, rng)}, Case{LossKind::binary_cross_entropy, probabilities},
                        Case{LossKind::softmax_cross_entropy, soft}}) {
    INFO(to_string(c.kind));
    M grad;
    loss<double>(c.kind, output, c.target, &grad);
    const M numeric = numeric_gradient(output, [&] { return loss<double>(c.kind, output, c.target, nullptr); });
    CHECK(relative_error(grad, numeric) < 1e-6);
  }
}

TEST_CASE("cross-entropies stay finite and exact at extreme logits") {
  M logits(2, 3);
  logits << 1000, -1000, 0, -800, 800, 799;
  M onehot(2, 3);
  onehot << 1, 0, 0, 0, 1, 0;
  M grad;
  // Row 0 is certain and right: loss 0. Row 1: −log softmax = log(1 + e^−1 + e^−1600).
  const double expected = std::log1p(std::exp(-1.0)) / 2;
  CHECK(loss<double>(LossKind::softmax_cross_entropy, logits, onehot, &grad) == doctest::Approx(expected).epsilon(1e-12));
  CHECK(grad.allFinite());
  // BCE of x = ±1000: the right side costs 0, the wrong side costs |x|.
  M bce_target(2, 3);
  bce_target << 1, 0, 1, 0, 1, 1;
  const double bce = loss<double>(LossKind::binary_cross_entropy, logits, bce_target, &grad);
  const double by_hand = (0 + 0 + std::log(2.0) + 0 + 0 + (799 - 799 + std::log1p(std::exp(-799.0)))) / 6;
  CHECK(bce == doctest::Approx(by_hand).epsilon(1e-14));
  CHECK(grad.allFinite());
  const Matrix<float> f_logits = logits.cast<float>();
  Matrix<float> f_grad;
  CHECK(std::isfinite(loss<float>(LossKind::softmax_cross_entropy, f_logits, onehot.cast<float>(), &f_grad)));
  CHECK(f_grad.allFinite());
}

TEST_CASE("float losses agree with double ones") {
  Rng rng(4);
  const M output = random_matrix(16, 10, rng, 3);
  M target = M::Zero(16, 10);
  for (Eigen::Index r = 0; r < 16; ++r) target(r, r % 10) = 1;
  for (auto kind : {LossKind::mse, LossKind::binary_cross_entropy, LossKind::softmax_cross_entropy}) {
    M grad;
    Matrix<float> f_grad;
    const double d = loss<double>(kind, output, target, &grad);
    const float f = loss<float>(kind, output.cast<float>(), target.cast<float>(), &f_grad);
    CHECK(std::abs(f - d) <= 1e-5 * std::abs(d));
    CHECK(relative_error(f_grad.cast<double>(), grad) < 1e-5);
  }
}

TEST_CASE("a head's block of target columns needs no copy and gives the same loss") {
  Rng rng(5);
  const M output = random_matrix(4, 3, rng);
  const M wide = random_matrix(4, 7, rng);
  const M block = wide.middleCols(2, 3);
  M grad_block, grad_copy;
  CHECK(loss<double>(LossKind::mse, output, wide.middleCols(2, 3), &grad_block) ==
        loss<double>(LossKind::mse, output, block, &grad_copy));
  CHECK(grad_block == grad_copy);
}

TEST_CASE("losses refuse unknown names and mismatched shapes") {
  CHECK(parse_loss("mse") == LossKind::mse);
  CHECK(to_string(parse_loss("softmax_cross_entropy")) == "softmax_cross_entropy");
  CHECK_THROWS_WITH_AS(parse_loss("hinge"),
                       "loss: unknown loss 'hinge' (known: mse, binary_cross_entropy, softmax_cross_entropy)",
                       augment::SpecError);
  CHECK_THROWS_AS(loss<double>(LossKind::mse, M::Zero(2, 3), M::Zero(3, 2), nullptr), augment::UsageError);
}
