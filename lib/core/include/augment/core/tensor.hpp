#pragma once
// A tensor: float32 values with a shape, in C order (the last axis varies fastest), what a
// network layer takes. Images become C×H×W (channels in the order `to_tensor` names, RGB by
// default), spectrograms C×F×T, feature vectors N, video clips T×C×H×W: PyTorch's layouts, so a
// model trained here and one trained there read the same numbers.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "augment/core/sample.hpp"

namespace augment {

struct Tensor {
  std::vector<std::size_t> shape;
  std::vector<float> values;

  /// The product of the shape (1 for a scalar's empty shape).
  std::size_t element_count() const;
  /// "[3, 32, 32]".
  std::string shape_text() const;
};

/// "[3, 32, 32]" for any shape.
std::string shape_text(const std::vector<std::size_t>& shape);

inline Sample make_sample(Tensor tensor) { return Sample(Kind::tensor, std::move(tensor)); }
inline Tensor& tensor_of(Sample& sample) { return sample.as<Tensor>(); }
inline const Tensor& tensor_of(const Sample& sample) { return sample.as<Tensor>(); }

/// NumPy .npy bytes (format 1.0, '<f4', C order) of `tensor`.
std::vector<std::uint8_t> encode_tensor_npy(const Tensor& tensor);
/// A tensor from .npy bytes ('<f4' or '<f8', C order); DataError with the bare reason for
/// anything else, a truncated file, or non-finite values.
Tensor decode_tensor_npy(const std::vector<std::uint8_t>& bytes);

}  // namespace augment
