#include "augment/trainer/shape.hpp"

namespace augment::trainer {

std::size_t Shape::size() const {
  std::size_t n = 1;
  for (auto d : dims) n *= d;
  return dims.empty() ? 0 : n;
}

std::string to_string(const Shape& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.dims.size(); ++i) s += (i ? ", " : "") + std::to_string(shape.dims[i]);
  return s + "]";
}

}  // namespace augment::trainer
