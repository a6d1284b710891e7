// The word-vector file readers (lib/embed embeddings.hpp Embeddings::load, text or binary
// word2vec format told apart by content) and the word2vec corpus reader (word2vec.hpp
// read_corpus), on any bytes written to a scratch file. Byte 0 bit 0 picks the reader. Loaded
// vectors are queried (nearest) and saved and loaded again in both formats: the round trip
// must give the same words and values.
#include <cstddef>
#include <cstdint>

#include "augment/core/error.hpp"
#include "augment/embed/embeddings.hpp"
#include "augment/embed/word2vec.hpp"
#include "fuzz_support.hpp"

namespace {

void check_round_trip(const augment::embed::Embeddings& loaded, augment::embed::VectorFormat format, const char* name) {
  using namespace augment;
  const auto file = fuzz::scratch_path(name);
  loaded.save(file, format);
  const embed::Embeddings again = embed::Embeddings::load(file);
  if (again.words() != loaded.words() || again.dims() != loaded.dims())
    fuzz::fail(std::string("saved and loaded again (") + name + "): other words or dims");
  for (std::size_t i = 0; i < loaded.size(); ++i) {
    const auto a = loaded.vector(i), b = again.vector(i);
    for (std::size_t d = 0; d < a.size(); ++d)
      if (a[d] != b[d]) fuzz::fail(std::string("saved and loaded again (") + name + "): another value");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace augment;
  fuzz::use_fuzz_limits();
  if (size < 1) return 0;
  const auto file = fuzz::scratch_file("vectors.txt", data + 1, size - 1);
  try {
    if (data[0] & 1) {
      embed::Word2VecOptions options;
      options.min_count = 1;
      (void)embed::read_corpus(file, options);
      return 0;
    }
    const embed::Embeddings loaded = embed::Embeddings::load(file);
    if (loaded.size() > 0) (void)loaded.nearest(loaded.words().front(), 3);
    if (loaded.size() * loaded.dims() <= 4096) {
      check_round_trip(loaded, embed::VectorFormat::text, "again.txt");
      check_round_trip(loaded, embed::VectorFormat::binary, "again.bin");
    }
  } catch (const Error&) {
  }
  return 0;
}
