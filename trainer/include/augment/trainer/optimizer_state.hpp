#pragma once
// Per-parameter optimizer state, keyed by parameter name: a fixed list of named buffers of the
// parameter's shape (velocities, moments), allocated as zeros on the parameter's first update,
// and the number of updates applied to it (Adam's bias correction; PyTorch keeps it per
// parameter too). Frozen parameters never get a slot. Shared by every optimizer.
//
// JSON (checkpoints): {"type": "adam", "parameters": {"trunk.0.weight": {"step": 3,
//   "exp_avg": {"rows": 3, "cols": 4, "data": [row-major values]}, "exp_avg_sq": {...}}}}.
// Values are written as doubles (exact for float), so a round trip is bit-identical.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/trainer/parameter.hpp"

namespace augment::trainer {

template <class T>
struct OptimizerSlot {
  std::string name;
  std::vector<Matrix<T>> buffers;  // in the order of the table's buffer names
  std::int64_t step = 0;           // updates applied to this parameter so far
};

template <class T>
class OptimizerState {
 public:
  /// `type` labels errors and the JSON; `buffer_names` are the per-parameter buffers.
  OptimizerState(std::string type, std::vector<std::string> buffer_names);

  /// The slot of `parameter`, which sits at `position` in the list given to step(): found by
  /// name (a cache by position makes the steady state a string compare, no allocation), created
  /// with zero buffers of its shape when new. UsageError if the grad's or a restored buffer's
  /// shape differs from the value's.
  OptimizerSlot<T>& slot(std::size_t position, const Parameter<T>& parameter);

  nlohmann::json to_json() const;
  /// Replaces every slot. DataError naming what is wrong for a state of another optimizer
  /// type, a missing buffer or a bad matrix.
  void from_json(const nlohmann::json& state);

  const std::vector<OptimizerSlot<T>>& slots() const { return slots_; }

 private:
  std::string type_;
  std::vector<std::string> buffer_names_;
  std::vector<OptimizerSlot<T>> slots_;
  std::vector<std::size_t> by_position_;  // position in step()'s list -> index in slots_
};

/// A matrix as {"rows", "cols", "data"} and back (DataError naming `what` for a bad one).
template <class T>
nlohmann::json matrix_to_json(const Matrix<T>& m);
template <class T>
Matrix<T> matrix_from_json(const nlohmann::json& j, const std::string& what);

}  // namespace augment::trainer
