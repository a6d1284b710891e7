#pragma once
// Matrices and trained parameters. Everything is templated on the scalar: the trainer runs in
// float; the tests instantiate double to check every backward pass against numerical gradients.
#include <Eigen/Core>

#include <string>

namespace augment::trainer {

/// Row-major: a batch is rows × features, one sample per row.
template <class T>
using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Penalties on one parameter, added to the loss by the trainer (the course's forms):
/// L1 λ₁·Σ|θ|, L2 λ₂/2·Σθ²; max_norm (an extra) rescales each unit's incoming weight vector
/// (a column of a dense weight) to norm ≤ c after every step. Zero: off.
struct Penalties {
  double l1 = 0, l2 = 0, max_norm = 0;
};

template <class T>
struct Parameter {
  std::string name;     // "trunk.0.weight", unique in a network
  Matrix<T> value;
  Matrix<T> grad;       // same shape; backward passes add to it, the trainer zeroes it
  bool is_bias = false; // biases and BN shifts: no penalties, no weight noise
  bool frozen = false;  // transfer learning: never updated, its bytes stay as loaded
  Penalties penalties;
};

}  // namespace augment::trainer
