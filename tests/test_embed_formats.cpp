// Word-vector files: round trips, gensim's files (tests/fixtures/embed/make_fixtures.py) read
// exactly and written byte for byte, word2vec.c/fastText variants, and corrupt files.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "augment/core/error.hpp"
#include "augment/embed/embeddings.hpp"
#include "embed_test_helpers.hpp"

using augment::DataError;
using augment::UsageError;
using augment::embed::Embeddings;
using augment::embed::VectorFormat;
using embed_test::fixture;
using embed_test::read_all;
using embed_test::same_bits;
using embed_test::ScratchFolder;
using embed_test::write_all;

namespace {

/// The DataError message load() gives for `bytes` written to `path`, or "" when it loads.
std::string load_error(const std::filesystem::path& path, const std::string& bytes) {
  write_all(path, bytes);
  try {
    Embeddings::load(path);
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

std::string float_bytes(std::vector<float> values) {
  std::string out;
  for (float v : values) {
    const auto bits = std::bit_cast<std::uint32_t>(v);
    for (int i = 0; i < 4; ++i) out += static_cast<char>((bits >> (8 * i)) & 0xFF);
  }
  return out;
}

/// gensim 4.2's binary file with word2vec.c's line break after each vector.
std::string with_row_breaks(const std::string& gensim, std::size_t words, std::size_t dims) {
  std::size_t pos = gensim.find('\n') + 1;
  std::string out = gensim.substr(0, pos);
  for (std::size_t i = 0; i < words; ++i) {
    const std::size_t row_end = gensim.find(' ', pos) + 1 + 4 * dims;
    out += gensim.substr(pos, row_end - pos) + "\n";
    pos = row_end;
  }
  return out;
}

Embeddings tricky() {
  const float tiny = std::numeric_limits<float>::denorm_min();
  return Embeddings({"uno", "año", "über", "z"}, 3,
                    {0.1f, -0.0f, 1e-5f, 3.4028235e38f, tiny, -1.0f / 3, 1e-4f, 9.9999998e15f, 123456.7f, 0, 1, -2});
}

}  // namespace

TEST_CASE("embeddings round-trip through the text and binary formats bit for bit") {
  ScratchFolder dir;
  const Embeddings original = tricky();
  original.save(dir / "v.txt", VectorFormat::text);
  original.save(dir / "v.bin", VectorFormat::binary);
  CHECK(read_all(dir / "v.txt").starts_with("4 3\nuno 0.1 -0.0 1e-05\n"));
  CHECK(read_all(dir / "v.bin").starts_with("4 3\nuno " + float_bytes({0.1f, -0.0f, 1e-5f}) + "\n"));
  CHECK(same_bits(Embeddings::load(dir / "v.txt"), original));
  CHECK(same_bits(Embeddings::load(dir / "v.bin"), original));

  const Embeddings empty;
  empty.save(dir / "empty.txt", VectorFormat::text);
  CHECK(read_all(dir / "empty.txt") == "0 0\n");
  CHECK(Embeddings::load(dir / "empty.txt").size() == 0);
}

TEST_CASE("gensim's text and binary files load exactly") {
  for (const std::string name : {"tiny", "random"}) {
    CAPTURE(name);
    const Embeddings text = Embeddings::load(fixture(name + ".txt"));
    const Embeddings binary = Embeddings::load(fixture(name + ".bin"));  // gensim 4.2: no line breaks
    CHECK(same_bits(text, binary));
  }
  const Embeddings tiny = Embeddings::load(fixture("tiny.bin"));
  CHECK(tiny.words() == std::vector<std::string>{"año", "rey", "reina", "über", "x", "niño"});
  REQUIRE(tiny.dims() == 8);
  CHECK(tiny.vector(0)[0] == 0.1f);
  CHECK(std::signbit(tiny.vector(0)[1]));
  CHECK(tiny.vector(1)[3] == 3e38f);
  CHECK(tiny.vector(1)[4] == std::numeric_limits<float>::denorm_min());
  CHECK(tiny.find("über") == 3);
}

TEST_CASE("save writes gensim's text bytes, and its binary bytes plus the line breaks of word2vec C") {
  ScratchFolder dir;
  for (const std::string name : {"tiny", "random"}) {
    CAPTURE(name);
    const Embeddings vectors = Embeddings::load(fixture(name + ".bin"));
    vectors.save(dir / "ours.txt", VectorFormat::text);
    vectors.save(dir / "ours.bin", VectorFormat::binary);
    CHECK(read_all(dir / "ours.txt") == read_all(fixture(name + ".txt")));
    CHECK(read_all(dir / "ours.bin") == with_row_breaks(read_all(fixture(name + ".bin")), vectors.size(), vectors.dims()));
  }
}

TEST_CASE("text files as word2vec C and fastText write them load") {
  ScratchFolder dir;
  // word2vec.c: "%lf " (a space before the line break); fastText's .vec the same; CRLF; a '+';
  // an underflow reads as 0 as strtof gives.
  write_all(dir / "c.txt", "2 2\r\nb 0.500000 -1.250000 \r\na +3 1e-50\n\n");
  const Embeddings loaded = Embeddings::load(dir / "c.txt");
  CHECK(loaded.words() == std::vector<std::string>{"b", "a"});
  CHECK(loaded.vector(0)[1] == -1.25f);
  CHECK(loaded.vector(1)[0] == 3.0f);
  CHECK(loaded.vector(1)[1] == 0.0f);
  // A binary file whose first vector starts with a line-break byte (0.01f is 0A D7 23 3C).
  write_all(dir / "b.bin", "1 2\nw " + float_bytes({0.01f, 2.0f}) + "\n");
  CHECK(Embeddings::load(dir / "b.bin").vector(0)[0] == 0.01f);
}

TEST_CASE("corrupt word-vector files give a DataError naming the file and the reason") {
  ScratchFolder dir;
  const auto path = dir / "bad.vec";
  const std::string at = path.string() + ": ";
  auto check = [&](const std::string& bytes, const std::string& reason) {
    CAPTURE(bytes);
    const std::string message = load_error(path, bytes);
    CHECK(message.starts_with(at));
    CHECK_MESSAGE(message.find(reason) != std::string::npos, message);
  };
  check("", "empty file");
  check("two 3\na 1 2 3\n", "bad header");
  check("2\na 1 2 3\n", "bad header");
  check("1 3 4\na 1 2 3\n", "bad header");
  check("1 0\na\n", "dims must be > 0");
  check("1 3", "no line break after the header");
  check("1000 3\na 1 2 3\n", "truncated");
  // Text: wrong dims, a missing row, an extra row, non-numbers, non-finite values.
  check("2 3\na 1 2 3\nb 1 2\n", "line 3: word 'b' has 2 values, the header says 3");
  check("2 3\na 1 2 3 4\nb 1 2 3\n", "word 'a' has 4 values");
  check("3 2\na 1 2\nb 3 4\n", "the file has 2");
  check("1 2\na 1 2\nb 3 4\n", "more rows than the header's 1 words");
  check("1 2\na 1 2x\n", "line 2: '2x' is not a number");
  check("1 2\na 1 nan\n", "non-finite value 'nan'");
  check("1 2\na -inf 1\n", "non-finite");
  check("1 2\na 1e39 1\n", "non-finite");
  check("2 1\na 1\na 2\n", "word 'a' appears twice");
  check("2 1\na 1\n\n", "empty line");
  // Binary: truncated inside a vector and before a word, rows shorter or longer than dims, NaN.
  const std::string row_a = "a " + float_bytes({1, 2, 3}) + "\n";
  const std::string row_b = "b " + float_bytes({4, 5, 6}) + "\n";
  check("2 3\n" + row_a + row_b.substr(0, 7), "truncated: word 2 of 2: 'b' has fewer than the header's 3 values");
  check("2 3\n" + row_a, "truncated: the header says 2 words, the file ends in word 2");
  check("2 4\n" + row_a + row_b + row_a, "do not match the rows");
  check("2 2\n" + row_a + row_b, "do not match the rows");
  check("1 2\na " + float_bytes({1, 2, 3}) + "\n", "bytes left after the header's 1 words: its count or dims do not match");
  std::string gensim = read_all(fixture("tiny.bin"));  // rows back to back
  check("6 7" + gensim.substr(3), "do not match the rows");
  check("1 3\na " + float_bytes({1, std::numeric_limits<float>::quiet_NaN(), 3}) + "\n", "word 1 of 1: 'a' has a non-finite value");
  check("2 3\n" + row_a + row_a, "word 'a' appears twice");
  CHECK_THROWS_AS(Embeddings::load(dir / "missing.vec"), DataError);
}

TEST_CASE("save is atomic and refuses a folder that does not exist") {
  ScratchFolder dir;
  const Embeddings vectors = tricky();
  write_all(dir / "v.bin", "old");
  vectors.save(dir / "v.bin", VectorFormat::binary);
  CHECK(same_bits(Embeddings::load(dir / "v.bin"), vectors));
  CHECK_THROWS_AS(vectors.save(dir / "no" / "v.bin", VectorFormat::binary), DataError);
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++entries;
  CHECK(entries == 1);  // no temporary left behind
}

TEST_CASE("the Embeddings constructor checks its arguments") {
  CHECK_THROWS_AS(Embeddings({"a", "b"}, 2, {1, 2, 3}), UsageError);
  CHECK_THROWS_AS(Embeddings({"a", "a"}, 1, {1, 2}), UsageError);
  CHECK_THROWS_AS(Embeddings({"a b"}, 1, {1}), UsageError);
  CHECK_THROWS_AS(Embeddings({""}, 1, {1}), UsageError);
  CHECK_THROWS_AS(Embeddings({"a"}, 0, {}), UsageError);
  CHECK_THROWS_AS(Embeddings({"a"}, 1, {std::numeric_limits<float>::infinity()}), UsageError);
  const Embeddings ok({"a", "b"}, 2, {1, 2, 3, 4});
  CHECK(ok.find("b") == 1);
  CHECK(ok.find("c") == Embeddings::npos);
  CHECK(ok.vector(1)[0] == 3.0f);
  CHECK_THROWS_AS(ok.vector(2), UsageError);
}
