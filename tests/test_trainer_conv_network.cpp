// Convolutional networks: shapes checked when the architecture is read (messages naming both
// layers and the shape), input_shape in the architecture, batch_norm2d's exact population pass,
// a checkpoint round trip to the byte, and a small CNN learning through train().
#include <doctest/doctest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "augment/core/error.hpp"
#include "augment/trainer/batch_norm2d.hpp"
#include "augment/trainer/checkpoint.hpp"
#include "augment/trainer/evaluate.hpp"
#include "augment/trainer/network.hpp"
#include "augment/trainer/trainer.hpp"
#include "fixture_table.hpp"

namespace fs = std::filesystem;
namespace tr = augment::trainer;
using augment_test::read_bytes;
using augment_test::TempDir;
using nlohmann::json;

namespace {

// 1×8×8 maps: conv → batch_norm2d → relu → pool → dropout2d → conv → pool → flatten → dense.
const json kArchitecture = {
    {"input_shape", {1, 8, 8}},
    {"trunk",
     {{{"type", "conv2d"}, {"out_channels", 4}, {"kernel", 3}, {"padding", 1}, {"init", "he_normal"}},
      {{"type", "batch_norm2d"}},
      {{"type", "relu"}},
      {{"type", "max_pool2d"}, {"kernel", 2}},
      {{"type", "dropout2d"}, {"keep", 0.8}},
      {{"type", "conv2d"}, {"out_channels", 6}, {"kernel", 3}, {"stride", 2}, {"padding", 1}},
      {{"type", "avg_pool2d"}, {"kernel", 2}},
      {{"type", "flatten"}}}},
    {"heads", {{{"name", "class"}, {"layers", {{{"type", "dense"}, {"units", 3}}}}}}}};

std::string error_of(const json& architecture) {
  try {
    tr::Network<float>::from_json(architecture, 1);
  } catch (const augment::SpecError& e) {
    return e.what();
  }
  return "no error";
}

template <class T>
tr::Matrix<T> random_matrix(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed) {
  augment::Rng rng(seed);
  tr::Matrix<T> m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<T>(rng.normal());
  return m;
}

std::string bytes_of(const tr::Matrix<float>& m) {
  return std::string(reinterpret_cast<const char*>(m.data()), static_cast<std::size_t>(m.size()) * sizeof(float));
}

}  // namespace

TEST_CASE("a network's shapes: input_shape propagated layer by layer, written in the architecture") {
  auto net = tr::Network<float>::from_json(kArchitecture, 1);
  CHECK(net.inputs() == 64);
  CHECK(net.input_shape() == tr::Shape{1, 8, 8});
  // [1,8,8] conv → [4,8,8] → pool → [4,4,4] → conv stride 2 → [6,2,2] → pool → [6,1,1] → [6]
  std::vector<tr::Shape> shapes;
  tr::Shape shape = net.input_shape();
  for (auto& l : net.trunk()) shapes.push_back(shape = l->output_shape(shape));
  CHECK(shapes == std::vector<tr::Shape>{{4, 8, 8}, {4, 8, 8}, {4, 8, 8}, {4, 4, 4}, {4, 4, 4}, {6, 2, 2}, {6, 1, 1}, {6}});
  CHECK(net.heads()[0].target_size == 3);
  const json a = net.architecture();
  CHECK(a["input_shape"] == json({1, 8, 8}));
  CHECK(a["inputs"] == 64);
  CHECK(tr::Network<float>::from_json(a, 1).architecture() == a);
  // A flat network's architecture is as it was before shapes.
  const json flat = {{"inputs", 4}, {"heads", {{{"layers", {{{"type", "dense"}, {"units", 2}}}}}}}};
  CHECK_FALSE(tr::Network<float>::from_json(flat, 1).architecture().contains("input_shape"));
  // The batch: one sample per row, C-major.
  const auto out = tr::predict(net, random_matrix<float>(5, 64, 2));
  CHECK(out[0].rows() == 5);
  CHECK(out[0].cols() == 3);
}

TEST_CASE("a shape mismatch names the layer, what it expects, and the layer and shape feeding it") {
  json a = {{"input_shape", {1, 20, 20}},
            {"trunk",
             {{{"type", "conv2d"}, {"out_channels", 1}, {"kernel", 3}, {"padding", 1}},
              {{"type", "relu"}},
              {{"type", "max_pool2d"}, {"kernel", 2}},
              {{"type", "conv2d"}, {"in_channels", 3}, {"out_channels", 8}, {"kernel", 3}}}},
            {"heads", {{{"layers", {{{"type", "flatten"}}, {{"type", "dense"}, {"units", 2}}}}}}}};
  CHECK(error_of(a) == "trunk.3 (conv2d): expects 3 input channels, got 1 from trunk.2 (max_pool2d) output [1, 10, 10]");
  a["trunk"][3]["in_channels"] = 1;
  CHECK(error_of(a) == "no error");
  a["heads"][0]["layers"].erase(0);  // dense straight after a map
  CHECK(error_of(a) ==
        "heads.0.0 (dense): expects a flat input (put a flatten or global_avg_pool layer before it), got 3 dims from "
        "trunk.3 (conv2d) output [8, 8, 8]");
  a["heads"][0]["layers"] = json::array({{{"type", "relu"}}});
  CHECK(error_of(a) ==
        "heads.0.layers: must end in a flat output (add flatten, global_avg_pool or dense), got [8, 8, 8] from "
        "heads.0.0 (relu) output [8, 8, 8]");
  a["trunk"] = json::array({{{"type", "conv2d"}, {"out_channels", 2}, {"kernel", 21}}});
  CHECK(error_of(a).find("trunk.0 (conv2d): the kernel spans 21×21") == 0);
  CHECK(error_of({{"inputs", 10}, {"input_shape", {1, 3, 3}}, {"heads", {{{"layers", {{{"type", "dense"}}}}}}}}) ==
        "inputs: 10, but input_shape [1, 3, 3] holds 9 values");
  CHECK(error_of({{"input_shape", {1, 0, 3}}, {"heads", json::array()}}).find("input_shape: must be a list of 1 to 8") == 0);
  CHECK(error_of({{"input_shape", json(std::vector<int>(9, 1))}, {"heads", json::array()}}).find("input_shape: must be") == 0);
  // A clip [T, C, H, W] is a shape too; a layer that needs [C, H, W] says so.
  CHECK(error_of({{"input_shape", {2, 1, 3, 3}},
                  {"trunk", {{{"type", "conv2d"}, {"out_channels", 1}, {"kernel", 3}}}},
                  {"heads", {{{"layers", {{{"type", "flatten"}}}}}}}}) ==
        "trunk.0 (conv2d): expects a [C, H, W] input (set the network's input_shape, e.g. [1, 20, 20]), got 4 dims "
        "from the input [2, 1, 3, 3]");
  CHECK(error_of({{"input_shape", {2, 1, 3, 3}}, {"heads", {{{"layers", {{{"type", "flatten"}}}}}}}}) == "no error");
}

TEST_CASE("batch_norm2d's exact population pass: each channel's mean and unbiased variance over N·H·W") {
  json a = {{"input_shape", {2, 3, 3}},
            {"trunk", {{{"type", "batch_norm2d"}, {"population", "exact"}}, {{"type", "flatten"}}}},
            {"heads", {{{"layers", {{{"type", "dense"}, {"units", 1}}}}, {"loss", "mse"}}}}};
  auto net = tr::Network<double>::from_json(a, 1);
  REQUIRE(net.needs_population_pass());
  const tr::Matrix<double> x = random_matrix<double>(10, 18, 5);
  net.begin_population_pass();
  augment::Rng rng(0);
  for (Eigen::Index first = 0; first < 10; first += 4)  // uneven chunks: 4, 4, 2
    net.forward(x.middleRows(first, std::min<Eigen::Index>(4, 10 - first)).eval(), tr::Phase::infer, rng);
  net.finish_population_pass();
  auto& bn = dynamic_cast<tr::BatchNorm2d<double>&>(*net.trunk()[0]).norm();
  for (Eigen::Index c = 0; c < 2; ++c) {
    const Eigen::ArrayXd values = x.middleCols(c * 9, 9).reshaped();  // this channel's 90 values
    const double mean = values.mean(), var = (values - mean).square().sum() / 89;
    CHECK(bn.running_mean()(0, c) == doctest::Approx(mean).epsilon(1e-12));
    CHECK(bn.running_var()(0, c) == doctest::Approx(var).epsilon(1e-12));
  }
}

TEST_CASE("a convolutional network's checkpoint round trip gives the same values and predictions to the byte") {
  TempDir dir("conv_ckpt");
  auto net = tr::Network<float>::from_json(kArchitecture, 7);
  std::uint64_t seed = 100;
  for (auto* p : net.parameters()) p->value = random_matrix<float>(p->value.rows(), p->value.cols(), ++seed);
  for (auto& [name, m] : net.buffers()) *m = random_matrix<float>(m->rows(), m->cols(), ++seed).cwiseAbs();
  tr::save_checkpoint(dir / "model.ckpt", net);
  auto loaded = tr::load_checkpoint<float>(dir / "model.ckpt");
  CHECK(loaded.network.architecture() == net.architecture());
  const auto a = net.parameters(), b = loaded.network.parameters();
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(bytes_of(a[i]->value) == bytes_of(b[i]->value));
  const tr::Matrix<float> inputs = random_matrix<float>(33, 64, 3);
  const auto before = tr::predict(net, inputs), after = tr::predict(loaded.network, inputs);
  CHECK(bytes_of(before[0]) == bytes_of(after[0]));
  tr::save_checkpoint(dir / "again.ckpt", loaded.network);
  CHECK(read_bytes(dir / "model.ckpt") == read_bytes(dir / "again.ckpt"));
}

TEST_CASE("a small CNN learns bars (vertical or horizontal, anywhere) through train(), reproducibly") {
  TempDir dir("conv_train");
  {  // 6×6 maps: a bar of 4 pixels, vertical (label v) or horizontal (h), at a random place, plus noise
    std::ofstream out(dir / "bars.csv");
    out << "id";
    for (int i = 0; i < 36; ++i) out << ",p" << i;
    out << ",label\n";
    augment::Rng rng(9);
    for (int r = 0; r < 400; ++r) {
      const bool vertical = r % 2 == 0;
      const int a = static_cast<int>(rng.integer(0, 5)), b = static_cast<int>(rng.integer(0, 2));
      double pixels[36];
      for (double& p : pixels) p = rng.normal(0, 0.3);
      for (int k = 0; k < 4; ++k) pixels[vertical ? (b + k) * 6 + a : a * 6 + b + k] += 1;
      out << "r" << r;
      for (double p : pixels) out << "," << p;
      out << "," << (vertical ? "v" : "h") << "\n";
    }
  }
  json features = json::array();
  for (int i = 0; i < 36; ++i) features.push_back("p" + std::to_string(i));
  const json config = {
      {"seed", 5},
      {"data",
       {{"file", "bars.csv"}, {"features", features}, {"targets", {"label"}}, {"key_column", "id"},
        {"train", {{"rows", {1, 300}}}}, {"test", {{"rows", {301, 400}}}}}},
      {"model",
       {{"input_shape", {1, 6, 6}},
        {"trunk",
         {{{"type", "conv2d"}, {"out_channels", 4}, {"kernel", 3}, {"padding", 1}, {"init", "he_normal"}},
          {{"type", "batch_norm2d"}},
          {{"type", "relu"}},
          {{"type", "max_pool2d"}, {"kernel", 2}},
          {{"type", "flatten"}}}},
        {"heads", {{{"name", "label"}, {"targets", {"label"}}, {"layers", {{{"type", "dense"}}}}}}}}},
      {"optimizer", {{"type", "adam"}, {"lr", 0.01}}},
      {"epochs", 8},
      {"batch_size", 16}};
  const auto run = [&](const std::string& out) {
    auto c = tr::TrainConfig::from_json(config, dir.path());
    c.output = dir / out;
    return tr::train(c);
  };
  const auto r = run("a");
  const auto& history = r.members[0].fit.history;
  const double first = *history.front().metrics.get("loss"), last = *history.back().metrics.get("loss");
  MESSAGE("loss " << first << " -> " << last << ", test accuracy " << *r.members[0].test.get("test_accuracy"));
  CHECK(last < 0.5 * first);
  CHECK(*r.members[0].test.get("test_accuracy") >= 0.9);
  run("b");
  CHECK(read_bytes(dir / "a/model.ckpt") == read_bytes(dir / "b/model.ckpt"));
}
