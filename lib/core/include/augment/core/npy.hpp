#pragma once
// NumPy's .npy format (versions 1-3, little-endian, C order): the header and its checks, shared
// by every codec that writes arrays (spectrograms, tensors). Files we write equal numpy.save's
// byte for byte.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace augment {

struct NpyArray {
  std::string dtype;               // as in the header, without quotes: "<f4", "<f8", "<c8"
  std::vector<std::size_t> shape;  // () for a scalar
  std::span<const std::uint8_t> data;
  std::size_t count = 0;  // values: the product of the shape
};

/// Parses the header of `bytes` and checks that the data holds exactly count × item bytes,
/// where item is `item_size(dtype)` (0: an unsupported dtype, reported with `supported`).
/// DataError with the bare reason: not .npy, version, truncated, Fortran order, bad shape, empty,
/// too large, trailing bytes.
NpyArray parse_npy(std::span<const std::uint8_t> bytes, std::size_t (*item_size)(std::string_view dtype),
                   std::string_view supported);

/// Magic, version 1.0 and the header dict for `dtype` and `shape`, padded as numpy.save pads it
/// (the data that follows starts at a multiple of 64 bytes).
std::vector<std::uint8_t> npy_header(std::string_view dtype, const std::vector<std::size_t>& shape);

/// Little-endian loads and stores, so files are the same whatever the host's byte order.
std::uint32_t load_le32(const std::uint8_t* p);
std::uint64_t load_le64(const std::uint8_t* p);
void store_le32(std::vector<std::uint8_t>& out, std::uint32_t v);

}  // namespace augment
