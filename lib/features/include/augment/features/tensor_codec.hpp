#pragma once
// Tensors as files: NumPy .npy (format 1.0, '<f4', C order, the tensor's shape), what a
// pipeline ending in to_tensor writes with `augment run` — `numpy.load` or
// `torch.from_numpy(numpy.load(path))` gives it back. An image `x.jpg` becomes `x.npy`. Reading
// takes '<f4' or '<f8' in C order; a truncated or malformed file, another dtype, Fortran order
// or a non-finite value is a DataError "PATH: reason".
#include <string>
#include <vector>

#include "augment/core/sample_codec.hpp"

namespace augment::features {

class TensorCodec final : public SampleCodec {
 public:
  Kind kind() const override { return Kind::tensor; }
  /// .npy
  std::vector<std::string> extensions() const override { return {".npy"}; }
  std::string output_extension(const std::string&) const override { return ".npy"; }
  Sample read(const std::filesystem::path& file) const override;
  void write(const Sample& sample, const std::string& extension, std::ostream& out) const override;
};

}  // namespace augment::features
