#pragma once
// Finding where a training step went non-finite (NaN or ±inf). The training loop checks cheaply
// every batch — the loss (a scalar), every gradient before the update and every parameter after
// it (one pass each, small beside the forward and backward passes) — and, when something is
// not finite, asks these functions which input, layer output, gradient or parameter it was
// first, so the error can name it. Private to the trainer sources.
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "augment/core/number_text.hpp"
#include "augment/core/rng.hpp"
#include "augment/trainer/loss.hpp"
#include "augment/trainer/network.hpp"

namespace augment::trainer::detail {
namespace non_finite_detail {  // helpers of the functions below

// Eigen's allFinite() is x − x == 0 elementwise: vectorized, one pass.
template <class T>
bool finite(const Matrix<T>& m) {
  return m.allFinite();
}

template <class T>
std::string first_bad_cell(const Matrix<T>& m) {
  for (Eigen::Index r = 0; r < m.rows(); ++r)
    for (Eigen::Index c = 0; c < m.cols(); ++c)
      if (!std::isfinite(static_cast<double>(m(r, c))))
        return "row " + std::to_string(r + 1) + ", column " + std::to_string(c + 1) + ": " +
               format_number(static_cast<double>(m(r, c)));
  return "";
}

// Forward through one stack, checking each layer's parameters, then its output.
template <class T>
std::string walk_stack(std::vector<std::unique_ptr<Layer<T>>>& layers, const std::string& path, const Matrix<T>*& x,
                       Phase phase, Rng& rng) {
  for (std::size_t i = 0; i < layers.size(); ++i) {
    for (const Parameter<T>* p : layers[i]->parameters())
      if (!finite(p->value)) return "parameter " + p->name + " is not finite";
    x = &layers[i]->forward(*x, phase, rng);
    if (!finite(*x))
      return "the output of " + path + "." + std::to_string(i) + " (" + layers[i]->type() + ") is not finite (" +
             first_bad_cell(*x) + ")";
  }
  return "";
}

}  // namespace non_finite_detail

/// The first parameter (network order) with a non-finite value, or null.
template <class T>
const Parameter<T>* first_non_finite_value(const std::vector<Parameter<T>*>& parameters) {
  for (const Parameter<T>* p : parameters)
    if (!non_finite_detail::finite(p->value)) return p;
  return nullptr;
}

/// The parameter whose gradient went non-finite first in the backward pass — the one nearest
/// the outputs, since everything below it inherits the NaN — or null.
template <class T>
const Parameter<T>* first_non_finite_grad(const std::vector<Parameter<T>*>& parameters) {
  // Backward runs from the outputs down: the last bad one in network order went bad first.
  for (auto it = parameters.rbegin(); it != parameters.rend(); ++it)
    if (!non_finite_detail::finite((*it)->grad)) return *it;
  return nullptr;
}

/// Why a batch's loss is not finite: "the input batch holds a non-finite value (row R, column
/// C)", "parameter P is not finite", "the output of trunk.2 (dense) is not finite", "the loss of
/// head 'h' (mse) is not finite though the head's output is (largest |output| X)". Re-runs the
/// forward pass layer by layer with `rng` (a copy of the one the step used, so dropout masks
/// are the same): layers' outputs and batch statistics are overwritten.
template <class T>
std::string explain_non_finite_loss(Network<T>& network, const Matrix<T>& inputs, const Matrix<T>& targets,
                                    Phase phase, Rng rng) {
  if (!non_finite_detail::finite(inputs)) return "the input batch (after the pipeline) is not finite (" + non_finite_detail::first_bad_cell(inputs) + ")";
  if (!non_finite_detail::finite(targets)) return "the target batch is not finite (" + non_finite_detail::first_bad_cell(targets) + ")";
  // The same layer order as Network::forward, so the same draws reach the same dropout layers.
  const Matrix<T>* x = &inputs;
  if (auto why = non_finite_detail::walk_stack(network.trunk(), "trunk", x, phase, rng); !why.empty()) return why;
  const Matrix<T>* trunk_output = x;
  std::vector<const Matrix<T>*> outputs;  // each head's layers own their output: all stay valid
  for (auto& head : network.heads()) {
    const Matrix<T>* h = trunk_output;
    if (auto why = non_finite_detail::walk_stack(head.layers, "heads." + head.name, h, phase, rng); !why.empty()) return why;
    outputs.push_back(h);
  }
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    const auto& head = network.heads()[k];
    const auto cols = targets.middleCols(static_cast<Eigen::Index>(head.target_offset),
                                         static_cast<Eigen::Index>(head.target_size));
    Matrix<T> unused;
    const T value = loss<T>(head.loss, *outputs[k], cols, &unused);
    if (!std::isfinite(static_cast<double>(value)))
      return "the loss of head '" + head.name + "' (" + to_string(head.loss) +
             ") is not finite though the head's output is (largest |output| " +
             format_number(static_cast<double>(outputs[k]->cwiseAbs().maxCoeff())) + ")";
  }
  return "a head's loss is not finite";  // not reached when the loss was computed as here
}

/// Every parameter and buffer finite? Else the first that is not ("trunk.1.running_var").
template <class T>
std::string first_non_finite_tensor(Network<T>& network) {
  for (const Parameter<T>* p : network.parameters())
    if (!non_finite_detail::finite(p->value)) return p->name;
  for (const auto& [name, m] : network.buffers())
    if (!non_finite_detail::finite(*m)) return name;
  return "";
}

}  // namespace augment::trainer::detail
