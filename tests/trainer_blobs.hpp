#pragma once
// The two-blob table the trainer tests learn from.
#include <filesystem>
#include <fstream>

#include "augment/core/rng.hpp"

namespace augment_test {

// 300 rows: label a around (−1, −1), b around (1, 1), σ 0.6; size = x1 + x2; id = "r<n>".
inline void write_blobs(const std::filesystem::path& file) {
  std::ofstream out(file);
  out << "id,x1,x2,label,size\n";
  augment::Rng rng(42);
  for (int i = 0; i < 300; ++i) {
    const double c = i % 2 == 0 ? -1 : 1, x1 = rng.normal(c, 0.6), x2 = rng.normal(c, 0.6);
    out << "r" << i << "," << x1 << "," << x2 << "," << (i % 2 == 0 ? "a" : "b") << "," << x1 + x2 << "\n";
  }
}

}  // namespace augment_test
