#pragma once
// Shared by the trainer tests: random matrices, JSON fixtures as matrices, and gradient checks
// by central differences in double.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "augment/trainer/layer.hpp"
#include "augment/trainer/penalties.hpp"

namespace trainer_test {

using augment::Rng;
using augment::trainer::Layer;
using augment::trainer::Matrix;
using augment::trainer::Phase;
using M = Matrix<double>;

inline M random_matrix(Eigen::Index rows, Eigen::Index cols, Rng& rng, double scale = 1, double offset = 0) {
  M m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = offset + scale * rng.normal();
  return m;
}

inline M to_matrix(const nlohmann::json& rows) {
  if (!rows.at(0).is_array()) {  // a vector: one row
    M m(1, static_cast<Eigen::Index>(rows.size()));
    for (std::size_t c = 0; c < rows.size(); ++c) m(0, static_cast<Eigen::Index>(c)) = rows[c].get<double>();
    return m;
  }
  M m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows[0].size()));
  for (std::size_t r = 0; r < rows.size(); ++r)
    for (std::size_t c = 0; c < rows[r].size(); ++c)
      m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = rows[r][c].get<double>();
  return m;
}

inline nlohmann::json read_fixture(const std::string& name) {
  std::ifstream in(std::string(AUGMENT_FIXTURES) + "/trainer/" + name);
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

/// ‖a − b‖ / max(‖a‖, ‖b‖): the gradient check's relative error (0 when both are 0).
inline double relative_error(const M& a, const M& b) {
  REQUIRE(a.rows() == b.rows());
  REQUIRE(a.cols() == b.cols());
  const double scale = std::max(a.norm(), b.norm());
  return scale == 0 ? 0 : (a - b).norm() / scale;
}

/// dF/dm by central differences, each entry of `m` moved by ±h in place and restored.
inline M numeric_gradient(M& m, const std::function<double()>& f, double h = 1e-6) {
  M g(m.rows(), m.cols());
  for (Eigen::Index i = 0; i < m.size(); ++i) {
    const double v = m.data()[i];
    m.data()[i] = v + h;
    const double up = f();
    m.data()[i] = v - h;
    const double down = f();
    m.data()[i] = v;
    g.data()[i] = (up - down) / (2 * h);
  }
  return g;
}

/// Checks a layer's backward against numerical gradients of L = Σ output ⊙ R (+ the penalties
/// of its parameters), for its input and every parameter. Each forward draws from a copy of
/// `rng`, so dropout masks are the same in every evaluation.
inline void check_layer_gradients(Layer<double>& layer, M x, Phase phase, const Rng& rng, double tolerance = 1e-6) {
  Rng first = rng;
  const M r = [&] {
    Rng weights(99);
    const M& y = layer.forward(x, phase, first);
    return random_matrix(y.rows(), y.cols(), weights);
  }();
  const auto params = layer.parameters();
  const auto loss = [&] {
    Rng copy = rng;
    return layer.forward(x, phase, copy).cwiseProduct(r).sum() + augment::trainer::penalty_loss(params);
  };
  for (auto* p : params) p->grad.setZero();
  Rng copy = rng;
  layer.forward(x, phase, copy);
  layer.set_input_grad_needed(true);
  const M input_grad = layer.backward(r);
  augment::trainer::add_penalty_gradients(params);
  CHECK(relative_error(input_grad, numeric_gradient(x, loss)) < tolerance);
  for (auto* p : params) {
    INFO("parameter " << p->name);
    CHECK(relative_error(p->grad, numeric_gradient(p->value, loss)) < tolerance);
  }
}

}  // namespace trainer_test
