#include "augment/features/tensor_codec.hpp"

#include <ostream>

#include "augment/core/error.hpp"
#include "augment/core/paths.hpp"
#include "augment/core/tensor.hpp"

namespace augment::features {

Sample TensorCodec::read(const std::filesystem::path& file) const {
  try {
    return make_sample(decode_tensor_npy(read_file_bytes(file, "a .npy file", "allocation_bytes")));
  } catch (const DataError& e) {
    throw DataError(file.string() + ": " + e.what());
  }
}

void TensorCodec::write(const Sample& sample, const std::string&, std::ostream& out) const {
  const auto bytes = encode_tensor_npy(tensor_of(sample));
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw DataError("cannot write the .npy data: the output stream failed");
}

}  // namespace augment::features
