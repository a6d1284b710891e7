#pragma once
// Transfer learning (the course's "aprendizaje por transferencia"): load a trained network,
// keep its trunk, freeze chosen layers, put new heads on top for the new task, fine-tune.
// A frozen parameter is never changed — not by the optimizer, penalties, max-norm, clipping or
// weight noise — so its bytes stay as loaded. fit() also puts back, after every step, the
// buffers of a layer whose parameters are all frozen (batch norm's running statistics), so a
// frozen layer stays as loaded whole; while training, such a batch norm layer still normalizes
// each batch by the batch's statistics (PyTorch's behaviour for a module left in train mode;
// Keras instead runs a frozen BatchNormalization in inference mode).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/trainer/network.hpp"

namespace augment::trainer {

/// Whether parameter `name` falls under `prefix`: equal to it or starting with prefix + "."
/// ("trunk.1" takes "trunk.1.weight", not "trunk.10.weight"; "trunk" takes the whole trunk).
bool under_prefix(const std::string& name, const std::string& prefix);

/// Freezes every parameter under one of the prefixes; returns how many. SpecError
/// "transfer.freeze: 'x' matches no parameter (they are: ...)" for a prefix that takes none.
template <class T>
std::size_t freeze(Network<T>& network, const std::vector<std::string>& prefixes);

/// A network with `source`'s inputs and trunk — values, buffers and frozen flags copied — and
/// new heads built from `heads` (a list as in an architecture's "heads"), drawn from `seed`.
template <class T>
Network<T> replace_heads(Network<T>& source, const nlohmann::json& heads, std::uint64_t seed);

}  // namespace augment::trainer
