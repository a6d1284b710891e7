// The trainer's checkpoint reader (trainer/ checkpoint.hpp parse_checkpoint), then one forward
// pass of the network it built, as `augment train --predict` would use it. Byte 0 chooses:
//   bit 0  0: the rest is the whole file, as is (a mutated file almost never passes the hash);
//          1: the rest is "HEADER-JSON \0 DATA" and the target frames it as a valid file would
//             be (magic, version, lengths, checksum), so the fuzzer reaches the header checks,
//             the architecture and the tensors;
//   bit 1  read as float64 instead of float32.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "augment/core/error.hpp"
#include "augment/core/rng.hpp"
#include "augment/trainer/checkpoint.hpp"
#include "fuzz_support.hpp"

namespace {

void put_le(std::string& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// A file around `header` and `data` as checkpoint_bytes lays it out.
std::string framed(const std::string& body) {
  const std::size_t split = std::min(body.find('\0'), body.size());
  const std::string header = body.substr(0, split);
  std::string out("AUGCKPT\n", 8);
  put_le(out, augment::trainer::kCheckpointVersion, 4);
  put_le(out, 0, 4);
  put_le(out, header.size(), 8);
  out += header;
  if (split < body.size()) out += body.substr(split + 1);
  put_le(out, augment::hash_key(out), 8);
  return out;
}

template <class T>
void load_and_run(const std::string& bytes) {
  using namespace augment;
  auto loaded = trainer::parse_checkpoint<T>(bytes, "fuzz.ckpt");
  auto& network = loaded.network;
  if (network.inputs() == 0 || network.inputs() > 4096) return;
  const trainer::Matrix<T> input = trainer::Matrix<T>::Zero(2, static_cast<Eigen::Index>(network.inputs()));
  Rng rng(1);
  (void)network.forward(input, trainer::Phase::infer, rng);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace augment;
  fuzz::use_fuzz_limits();
  if (size < 1) return 0;
  const std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string bytes = (data[0] & 1) ? framed(rest) : rest;
  try {
    if (data[0] & 2)
      load_and_run<double>(bytes);
    else
      load_and_run<float>(bytes);
  } catch (const Error&) {
  }
  return 0;
}
