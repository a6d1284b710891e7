#include "augment/core/tensor.hpp"

#include <bit>
#include <cmath>

#include "augment/core/error.hpp"
#include "augment/core/npy.hpp"

namespace augment {

std::size_t Tensor::element_count() const {
  std::size_t n = 1;
  for (const std::size_t d : shape) n *= d;
  return n;
}

std::string shape_text(const std::vector<std::size_t>& shape) {
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

std::string Tensor::shape_text() const { return augment::shape_text(shape); }

std::vector<std::uint8_t> encode_tensor_npy(const Tensor& tensor) {
  std::vector<std::uint8_t> out = npy_header("<f4", tensor.shape);
  out.reserve(out.size() + 4 * tensor.values.size());
  for (const float v : tensor.values) store_le32(out, std::bit_cast<std::uint32_t>(v));
  return out;
}

namespace {
std::size_t tensor_item_size(std::string_view dtype) {
  if (dtype == "<f4") return 4;
  if (dtype == "<f8") return 8;
  return 0;
}
}  // namespace

Tensor decode_tensor_npy(const std::vector<std::uint8_t>& bytes) {
  const NpyArray array = parse_npy(bytes, tensor_item_size, "'<f4' or '<f8'");
  Tensor tensor;
  tensor.shape = array.shape;
  tensor.values.resize(array.count);
  const bool doubles = array.dtype == "<f8";
  const std::uint8_t* data = array.data.data();
  bool finite = true;
  for (std::size_t i = 0; i < array.count; ++i) {
    const float v = doubles ? static_cast<float>(std::bit_cast<double>(load_le64(data + 8 * i)))
                            : std::bit_cast<float>(load_le32(data + 4 * i));
    finite = finite && std::isfinite(v);
    tensor.values[i] = v;
  }
  if (!finite) throw DataError("the .npy array holds NaN or infinite values (or doubles beyond float range)");
  return tensor;
}

}  // namespace augment
