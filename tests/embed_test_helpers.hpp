#pragma once
// Test helpers for augment::embed: fixtures, bitwise comparison (and file_test's scratch folder
// and whole-file reads and writes).
#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "augment/embed/embeddings.hpp"
#include "file_test_helpers.hpp"

namespace embed_test {

namespace fs = std::filesystem;

using file_test::read_all;
using file_test::ScratchFolder;
using file_test::write_all;

inline fs::path fixture(const std::string& name) { return fs::path(AUGMENT_FIXTURES) / "embed" / name; }

/// Every value of two embeddings, compared bit for bit (so -0.0 differs from 0.0).
inline bool same_bits(const augment::embed::Embeddings& a, const augment::embed::Embeddings& b) {
  if (a.words() != b.words() || a.dims() != b.dims()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::memcmp(a.vector(i).data(), b.vector(i).data(), a.dims() * sizeof(float)) != 0) return false;
  return true;
}

}  // namespace embed_test
