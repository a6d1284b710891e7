#pragma once
// The shape of one sample as a layer sees it: [N] for a feature vector, [C, L] for a sequence
// (conv1d), [C, H, W] for a feature map (conv2d). A batch is still a matrix with one sample per
// row, flattened in C-major order (PyTorch's contiguous NCHW without the N), so layers that act
// per element, losses, optimizers, penalties and checkpoints see plain rows. Shapes are
// propagated once, when a network is built: each layer computes its output shape from its input
// shape and refuses one it cannot take (ShapeError, which the builder turns into a SpecError
// naming both layers and the shape).
#include <cstddef>
#include <initializer_list>
#include <string>
#include <vector>

#include "augment/core/error.hpp"

namespace augment::trainer {

struct Shape {
  std::vector<std::size_t> dims;

  Shape() = default;
  Shape(std::initializer_list<std::size_t> d) : dims(d) {}
  explicit Shape(std::vector<std::size_t> d) : dims(std::move(d)) {}

  std::size_t rank() const { return dims.size(); }
  /// Values per sample: the product of the dims (the batch matrix's column count).
  std::size_t size() const;
  std::size_t operator[](std::size_t i) const { return dims[i]; }
  bool operator==(const Shape&) const = default;
};

/// "[1, 20, 20]".
std::string to_string(const Shape& shape);

/// A layer that cannot take its input's shape; the message says what it expects and what it
/// got ("expects 3 input channels, got 1"), the network's builder adds where.
class ShapeError : public SpecError {
 public:
  using SpecError::SpecError;
};

}  // namespace augment::trainer
