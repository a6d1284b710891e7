// Checkpoints: a round trip gives the same predictions to the byte; damaged files give one
// clear DataError naming the file.
#include <doctest/doctest.h>

#include <cstring>
#include <limits>
#include <utility>
#include <string>

#include <nlohmann/json.hpp>

#include "augment/core/error.hpp"
#include "augment/core/rng.hpp"
#include "augment/trainer/checkpoint.hpp"
#include "augment/trainer/evaluate.hpp"
#include "fixture_table.hpp"

using augment::trainer::Matrix;
using augment::trainer::Network;
using augment_test::read_bytes;
using augment_test::TempDir;
using augment_test::write_bytes;
using nlohmann::json;

namespace {

const json kArchitecture = {
    {"inputs", 5},
    {"trunk", {{{"type", "dense"}, {"units", 8}, {"init", "he_normal"}}, {{"type", "batch_norm"}}, {{"type", "relu"}}}},
    {"heads",
     {{{"name", "class"}, {"layers", {{{"type", "dense"}, {"units", 3}}}}, {"targets", {0, 3}}},
      {{"name", "value"}, {"layers", {{{"type", "dense"}, {"units", 1}}}}, {"loss", "mse"}, {"targets", {3, 1}}}}}};

template <class T>
Matrix<T> random_matrix(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed) {
  augment::Rng rng(seed);
  Matrix<T> m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<T>(rng.normal());
  return m;
}

// A network whose every value and buffer differs from its fresh initialization.
Network<float> trained_like() {
  auto net = Network<float>::from_json(kArchitecture, 11);
  std::uint64_t seed = 100;
  for (auto* p : net.parameters()) p->value = random_matrix<float>(p->value.rows(), p->value.cols(), ++seed);
  for (auto& [name, m] : net.buffers()) *m = random_matrix<float>(m->rows(), m->cols(), ++seed).cwiseAbs();
  net.parameters().front()->frozen = true;
  return net;
}

std::string bytes_of(const Matrix<float>& m) {
  return std::string(reinterpret_cast<const char*>(m.data()), static_cast<std::size_t>(m.size()) * sizeof(float));
}

std::string error_of(const std::filesystem::path& file) {
  try {
    augment::trainer::load_checkpoint<float>(file);
  } catch (const augment::DataError& e) {
    return e.what();
  }
  return "no error";
}

void put_u32(std::string& bytes, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) bytes[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

// A checkpoint around `header` and `data`, with a valid checksum: what a forger (or a bug in
// another writer) could hand us, so the hash alone does not protect the loader.
std::string forged(const json& header, const std::string& data) {
  const std::string text = header.dump();
  std::string out("AUGCKPT\n", 8);
  out.append(8, '\0');
  put_u32(out, 8, 1);
  std::string length(8, '\0');
  for (int i = 0; i < 8; ++i) length[static_cast<std::size_t>(i)] = static_cast<char>((text.size() >> (8 * i)) & 0xFF);
  out += length + text + data;
  const std::uint64_t hash = augment::hash_key(out);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((hash >> (8 * i)) & 0xFF));
  return out;
}

// The header and the values of a checkpoint made by checkpoint_bytes().
std::pair<json, std::string> split_checkpoint(const std::string& bytes) {
  std::uint64_t length = 0;
  for (int i = 0; i < 8; ++i) length |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[16 + static_cast<std::size_t>(i)])) << (8 * i);
  const auto n = static_cast<std::size_t>(length);
  return {json::parse(bytes.substr(24, n)), bytes.substr(24 + n, bytes.size() - 24 - n - 8)};
}

}  // namespace

TEST_CASE("checkpoint: a header asking for more than the file holds is refused before allocating") {
  TempDir dir("ckpt_huge");
  auto net = trained_like();
  const std::string good = augment::trainer::checkpoint_bytes(net);
  auto [header, data] = split_checkpoint(good);
  const auto error_for = [&](const std::string& name, const std::string& bytes) {
    write_bytes(dir / name, bytes);
    return error_of(dir / name);
  };
  CHECK(error_for("same.ckpt", forged(header, data)) == "no error");  // the forger itself is right

  // 1e9 units of 5 inputs: 24 GB of float32 if it were built; the file holds 98 values.
  json huge = header;
  huge["architecture"]["trunk"][0]["units"] = 1000000000;
  const std::string message = error_for("huge.ckpt", forged(huge, data));
  INFO(message);
  CHECK(message.rfind((dir / "huge.ckpt").string() + ": corrupt header: its architecture holds at least ", 0) == 0);
  CHECK(message.find("the file " + std::to_string(data.size() / 4)) != std::string::npos);

  // A head's layer is walked from the trunk's width: 8 × 1e8 weights.
  json head = header;
  head["architecture"]["heads"][0]["layers"][0]["units"] = 100000000;
  CHECK(error_for("head.ckpt", forged(head, data)).find("its architecture holds at least 900000089 values") !=
        std::string::npos);

  // data_bytes past the end of the file, even near 2^64 (no wrap-around to a small size).
  json far = header;
  far["data_bytes"] = std::numeric_limits<std::uint64_t>::max();
  CHECK(error_for("far.ckpt", forged(far, data)).find("truncated") != std::string::npos);
  json negative = header;
  negative["data_bytes"] = -8;
  CHECK(error_for("negative.ckpt", forged(negative, data)).find("corrupt header: data_bytes is missing or not a whole number") != std::string::npos);

  // A header nested 100,000 levels deep: refused by the depth limit, no stack overflow.
  std::string deep = "{\"format\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
  std::string bytes("AUGCKPT\n", 8);
  bytes.append(16, '\0');
  put_u32(bytes, 8, 1);
  for (int i = 0; i < 8; ++i) bytes[16 + static_cast<std::size_t>(i)] = static_cast<char>((deep.size() >> (8 * i)) & 0xFF);
  bytes += deep + std::string(8, '\0');
  CHECK(error_for("deep.ckpt", bytes).find("deep.ckpt: corrupt header: JSON nested deeper than") != std::string::npos);
}

TEST_CASE("checkpoint round trip: identical predictions, values, buffers and frozen flags") {
  TempDir dir("ckpt_roundtrip");
  auto net = trained_like();
  const json metadata = {{"targets", {{{"column", "c"}, {"type", "class"}, {"labels", {"a", "b", "c"}}}}}};
  augment::trainer::save_checkpoint(dir / "model.ckpt", net, metadata);
  auto loaded = augment::trainer::load_checkpoint<float>(dir / "model.ckpt");
  CHECK(loaded.metadata == metadata);
  CHECK(loaded.network.architecture() == net.architecture());

  const Matrix<float> inputs = random_matrix<float>(64, 5, 3);
  const auto before = augment::trainer::predict(net, inputs);
  const auto after = augment::trainer::predict(loaded.network, inputs);
  REQUIRE(before.size() == 2);
  REQUIRE(after.size() == 2);
  for (std::size_t h = 0; h < before.size(); ++h) CHECK(bytes_of(before[h]) == bytes_of(after[h]));

  const auto a = net.parameters(), b = loaded.network.parameters();
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i]->name == b[i]->name);
    CHECK(bytes_of(a[i]->value) == bytes_of(b[i]->value));
    CHECK(a[i]->frozen == b[i]->frozen);
  }
  const auto ba = net.buffers(), bb = loaded.network.buffers();
  REQUIRE(ba.size() == 2);  // batch norm's running mean and variance
  for (std::size_t i = 0; i < ba.size(); ++i) CHECK(bytes_of(*ba[i].second) == bytes_of(*bb[i].second));
  // Saving what was loaded gives the same file.
  CHECK(augment::trainer::checkpoint_bytes(loaded.network, loaded.metadata) == read_bytes(dir / "model.ckpt"));
}

TEST_CASE("checkpoint: a float checkpoint loads into a double network exactly") {
  auto net = trained_like();
  const auto loaded = augment::trainer::parse_checkpoint<double>(augment::trainer::checkpoint_bytes(net), "mem");
  auto a = net.parameters();
  auto b = const_cast<Network<double>&>(loaded.network).parameters();
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i]->value.cast<double>() == b[i]->value);
}

TEST_CASE("checkpoint: corrupt, truncated, wrong-version and foreign files are DataErrors naming the file") {
  TempDir dir("ckpt_errors");
  auto net = trained_like();
  const std::string good = augment::trainer::checkpoint_bytes(net);
  const auto at = [&](const std::string& name, const std::string& bytes) {
    write_bytes(dir / name, bytes);
    return error_of(dir / name);
  };
  const std::string path = (dir / "x").string();
  const auto starts = [&](const std::string& message, const std::string& name, const std::string& reason) {
    INFO(message);
    CHECK(message.rfind((dir / name).string() + ": ", 0) == 0);
    CHECK(message.find(reason) != std::string::npos);
  };

  std::string flipped = good;
  flipped[good.size() - 20] = static_cast<char>(flipped[good.size() - 20] ^ 0x10);  // a weight's bit
  starts(at("flipped.ckpt", flipped), "flipped.ckpt", "corrupt: the checksum does not match");

  starts(at("truncated.ckpt", good.substr(0, good.size() - 100)), "truncated.ckpt", "truncated");
  starts(at("short.ckpt", good.substr(0, 30)), "short.ckpt", "truncated");
  starts(at("prefix.ckpt", good.substr(0, 12)), "prefix.ckpt", "truncated");

  std::string v2 = good;
  put_u32(v2, 8, 2);
  starts(at("v2.ckpt", v2), "v2.ckpt", "checkpoint format version 2; this build reads version 1");

  starts(at("text.ckpt", "lettr,x-box\nT,2\n"), "text.ckpt", "not an augment checkpoint");
  starts(at("empty.ckpt", ""), "empty.ckpt", "not an augment checkpoint");

  std::string header = good;
  header[30] = '#';  // inside the JSON header
  starts(at("header.ckpt", header), "header.ckpt", "corrupt");

  starts(at("tail.ckpt", good + "x"), "tail.ckpt", "unexpected bytes at the end");
  starts(error_of(dir / "missing.ckpt"), "missing.ckpt", "no such file");
  CHECK(at("good.ckpt", good) == "no error");
}

TEST_CASE("weight snapshots restore values and buffers, and refuse another network") {
  auto net = trained_like();
  const auto snapshot = augment::trainer::snapshot_weights(net);
  const std::string before = augment::trainer::checkpoint_bytes(net);
  for (auto* p : net.parameters()) p->value.setZero();
  for (auto& [name, m] : net.buffers()) m->setZero();
  augment::trainer::restore_weights(net, snapshot);
  CHECK(augment::trainer::checkpoint_bytes(net) == before);
  auto other = Network<float>::from_json({{"inputs", 5}, {"heads", {{{"layers", {{{"type", "dense"}, {"units", 2}}}}}}}}, 1);
  CHECK_THROWS_AS(augment::trainer::restore_weights(other, snapshot), augment::UsageError);
}
