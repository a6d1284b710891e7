// Training end to end on two Gaussian blobs: learned, bit-reproducible whatever the producer
// thread's timing, early stopping restoring the best epoch, transfer with frozen layers,
// ensembles averaging probabilities, multi-task heads, batches equal to `augment run` copies.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <thread>

#include <nlohmann/json.hpp>

#include "augment/core/error.hpp"
#include "augment/features/feature_vector.hpp"
#include "augment/trainer/batches.hpp"
#include "augment/trainer/checkpoint.hpp"
#include "augment/trainer/ensemble.hpp"
#include "augment/trainer/evaluate.hpp"
#include "augment/trainer/trainer.hpp"
#include "../trainer/src/non_finite.hpp"  // the search for a non-finite value, tested alone
#include "augment/core/limits.hpp"
#include "fixture_table.hpp"
#include "trainer_blobs.hpp"

namespace fs = std::filesystem;
namespace tr = augment::trainer;
using augment_test::read_bytes;
using augment_test::TempDir;
using nlohmann::json;

namespace {

using augment_test::write_blobs;

json blobs_config() {
  return {{"seed", 3},
          {"data",
           {{"file", "blobs.csv"},
            {"features", {"x1", "x2"}},
            {"targets", {"label"}},
            {"train", {{"rows", {1, 240}}}},
            {"test", {{"rows", {241, 300}}}}}},
          {"pipeline",
           {{"kind", "features"}, {"stages", {{{"op", "standardize"}}, {{"op", "gaussian_noise"}, {"sigma", 0.05}, {"p", 0.5}}}}}},
          {"model",
           {{"trunk", {{{"type", "dense"}, {"units", 8}}, {{"type", "tanh"}}, {{"type", "dense"}, {"units", 8}}, {{"type", "tanh"}}}},
            {"heads", {{{"name", "label"}, {"targets", {"label"}}, {"layers", {{{"type", "dense"}}}}}}}}},
          {"optimizer", {{"type", "adam"}, {"lr", 0.02}}},
          {"epochs", 12},
          {"batch_size", 16}};
}

tr::TrainResult run(const json& config, const fs::path& dir, const std::string& output,
                    std::function<void(std::size_t, std::size_t)> hook = {}) {
  auto c = tr::TrainConfig::from_json(config, dir);
  c.output = output.empty() ? fs::path() : dir / output;
  c.fit.before_batch = std::move(hook);
  return tr::train(c);
}

double metric(const tr::Metrics& m, const std::string& name) {
  const auto v = m.get(name);
  REQUIRE_MESSAGE(v.has_value(), "no metric " << name);
  return *v;
}

std::string bytes(const Eigen::Ref<const tr::Matrix<float>>& m) {
  const tr::Matrix<float> copy = m;
  return std::string(reinterpret_cast<const char*>(copy.data()), static_cast<std::size_t>(copy.size()) * sizeof(float));
}

}  // namespace

TEST_CASE("training learns two blobs and writes metrics, curves, checkpoint and summary") {
  TempDir dir("train_blobs");
  write_blobs(dir / "blobs.csv");
  const auto r = run(blobs_config(), dir.path(), "out");
  REQUIRE(r.members.size() == 1);
  CHECK(r.train_rows == 240);
  CHECK(r.test_rows == 60);
  CHECK(metric(r.members[0].test, "test_accuracy") >= 0.95);
  CHECK(r.members[0].fit.epochs_run == 12);
  const auto& history = r.members[0].fit.history;
  CHECK(metric(history.back().metrics, "loss") < metric(history.front().metrics, "loss"));
  std::ifstream csv(dir / "out/metrics.csv");
  std::string header;
  std::getline(csv, header);
  CHECK(header == "epoch,loss,accuracy,lr");
  CHECK(read_bytes(dir / "out/curves.png").substr(1, 3) == "PNG");
  CHECK(fs::exists(dir / "out/model.ckpt"));
  CHECK(fs::exists(dir / "out/pipeline.json"));
  const auto summary = json::parse(read_bytes(dir / "out/summary.json"));
  CHECK(summary["members"][0]["test"]["test_accuracy"] == metric(r.members[0].test, "test_accuracy"));
  // The checkpoint remembers the labels and the fitted pipeline.
  const auto loaded = tr::load_checkpoint<float>(dir / "out/model.ckpt");
  CHECK(loaded.metadata["targets"][0]["labels"] == json({"a", "b"}));
  CHECK(loaded.metadata["pipeline"]["stages"][0]["state"].contains("mean"));
}

TEST_CASE("seeded training is bit-reproducible and does not depend on the producers' number or timing") {
  TempDir dir("train_repro");
  write_blobs(dir / "blobs.csv");
  json config = blobs_config();
  config["epochs"] = 3;
  config["regularizers"] = {{"weight_noise", {{"sigma", 0.01}}}, {"target_noise", {{"label_smoothing", 0.1}}}};
  config["model"]["trunk"][1] = {{"type", "dropout"}, {"keep", 0.8}};
  run(config, dir.path(), "a");
  config["prefetch"] = 0;  // batches made on the training thread
  run(config, dir.path(), "b");
  config["prefetch"] = 1;  // a producer slowed down at random
  run(config, dir.path(), "c", [](std::size_t epoch, std::size_t index) {
    std::this_thread::sleep_for(std::chrono::microseconds(augment::mix64(epoch * 1000 + index) % 3000));
  });
  config["prefetch"] = 5;  // three producers, slowed at random: batches finish out of order
  config["producers"] = 3;
  run(config, dir.path(), "e", [](std::size_t epoch, std::size_t index) {
    std::this_thread::sleep_for(std::chrono::microseconds(augment::mix64(epoch * 7919 + index) % 3000));
  });
  config.erase("producers");
  const std::string a = read_bytes(dir / "a/model.ckpt");
  CHECK(a == read_bytes(dir / "b/model.ckpt"));
  CHECK(a == read_bytes(dir / "c/model.ckpt"));
  CHECK(a == read_bytes(dir / "e/model.ckpt"));
  CHECK(read_bytes(dir / "a/metrics.csv") == read_bytes(dir / "c/metrics.csv"));
  config["seed"] = 4;
  run(config, dir.path(), "d");
  CHECK(a != read_bytes(dir / "d/model.ckpt"));
}

TEST_CASE("early stopping inside training stops on time and restores the best epoch's weights") {
  TempDir dir("train_stop");
  write_blobs(dir / "blobs.csv");
  json config = blobs_config();
  config["epochs"] = 40;
  config["optimizer"]["lr"] = 0.2;  // noisy enough for val_loss to go up now and then
  config["data"]["validation"] = {{"fraction", 0.25}};
  config["regularizers"] = {{"early_stopping", {{"patience", 2}, {"restore_best_weights", true}}}};
  const auto r = run(config, dir.path(), "");
  const auto& fit = r.members[0].fit;
  CHECK(r.validation_rows == 60);
  tr::EarlyStopping rule(tr::EarlyStoppingOptions::from_json({{"patience", 2}}));
  std::size_t stop = 0;
  for (const auto& row : fit.history)
    if (rule.update(row.epoch, row.metrics.get("val_loss")).stop) stop = row.epoch;
  CHECK(fit.stopped_epoch == stop);
  CHECK(fit.best_epoch == rule.best_epoch());
  CHECK(fit.epochs_run == (stop ? stop : 40));
  CHECK(fit.restored);
  CHECK(fit.best_epoch < fit.epochs_run);  // so restoring changes the weights
  // The final network scores exactly what the best epoch scored.
  CHECK(metric(r.members[0].validation, "val_loss") == metric(fit.history[fit.best_epoch - 1].metrics, "val_loss"));
}

TEST_CASE("transfer: frozen layers stay bit-identical while the rest and a new head learn") {
  TempDir dir("train_transfer");
  write_blobs(dir / "blobs.csv");
  json base_config = blobs_config();
  auto& trunk = base_config["model"]["trunk"];
  trunk.insert(trunk.begin() + 1, json::object({{"type", "batch_norm"}}));  // dense, batch_norm, tanh, dense, tanh
  run(base_config, dir.path(), "base");
  json config = base_config;
  config.erase("model");
  config["data"]["targets"] = json::array({{{"column", "size"}, {"type", "value"}}});
  config["transfer"] = {{"from", "base/model.ckpt"},
                        {"freeze", {"trunk.0", "trunk.1"}},
                        {"heads", {{{"name", "size"}, {"targets", "size"}, {"loss", "mse"}, {"layers", {{{"type", "dense"}}}}}}}};
  const auto r = run(config, dir.path(), "tuned");
  auto base = tr::load_checkpoint<float>(dir / "base/model.ckpt");
  auto tuned = tr::load_checkpoint<float>(dir / "tuned/model.ckpt");
  std::map<std::string, tr::Parameter<float>*> before;
  for (auto* p : base.network.parameters()) before[p->name] = p;
  std::size_t frozen = 0, changed = 0;
  for (auto* p : tuned.network.parameters()) {
    if (p->name.rfind("trunk.", 0) != 0) continue;
    if (p->name.rfind("trunk.0.", 0) == 0 || p->name.rfind("trunk.1.", 0) == 0) {
      CHECK(p->frozen);
      CHECK(bytes(p->value) == bytes(before.at(p->name)->value));
      ++frozen;
    } else {
      CHECK_FALSE(p->frozen);
      changed += bytes(p->value) != bytes(before.at(p->name)->value) ? 1 : 0;
    }
  }
  CHECK(frozen == 4);
  CHECK(changed == 2);  // trunk.3's weight and bias
  const auto base_buffers = base.network.buffers(), tuned_buffers = tuned.network.buffers();
  REQUIRE(tuned_buffers.size() == 2);  // the frozen batch norm's statistics, kept as loaded
  for (std::size_t i = 0; i < 2; ++i) CHECK(bytes(*tuned_buffers[i].second) == bytes(*base_buffers[i].second));
  CHECK(tuned.network.heads().front().name == "size");
  CHECK(metric(r.members[0].test, "test_loss") < 0.5);  // y = x1 + x2 is easy
  config["transfer"]["freeze"] = {"trunk.9"};
  CHECK_THROWS_WITH_AS(run(config, dir.path(), ""), doctest::Contains("transfer.freeze: 'trunk.9' matches no parameter"),
                       augment::SpecError);
}

TEST_CASE("ensembles average the members' predicted probabilities") {
  TempDir dir("train_ensemble");
  write_blobs(dir / "blobs.csv");
  json config = blobs_config();
  config["epochs"] = 4;
  config["ensemble"] = {{"members", 3}, {"bootstrap", true}};
  auto r = run(config, dir.path(), "out");
  REQUIRE(r.members.size() == 3);
  const auto data = tr::Dataset::read_csv({dir / "blobs.csv", {"x1", "x2"}, {{"label"}}, ""});
  const tr::Matrix<float> x = tr::preprocess_inputs<float>(data, nullptr);
  std::vector<tr::Network<float>*> nets;
  tr::Matrix<float> sum = tr::Matrix<float>::Zero(x.rows(), 2);
  for (auto& m : r.members) {
    nets.push_back(&m.network);
    sum += tr::predict(m.network, x).front();
  }
  const tr::Matrix<float> mean = sum / 3.0f;
  CHECK(bytes(tr::ensemble_predict(nets, x).front()) == bytes(mean));
  CHECK(bytes(tr::predict(*nets[0], x).front()) != bytes(tr::predict(*nets[1], x).front()));
  CHECK(r.ensemble_test.get("test_accuracy").has_value());
  const auto index = tr::load_ensemble_index(dir / "out/ensemble.json");
  REQUIRE(index.size() == 3);
  CHECK(index[2] == dir / "out/member-3/model.ckpt");
  CHECK(tr::bootstrap_rows(10, 3, 1) == tr::bootstrap_rows(10, 3, 1));
  CHECK(tr::bootstrap_rows(10, 3, 1) != tr::bootstrap_rows(10, 3, 2));
}

TEST_CASE("multi-task: two heads with their own targets, losses and weights") {
  TempDir dir("train_multitask");
  write_blobs(dir / "blobs.csv");
  json config = blobs_config();
  config["data"]["targets"] = json::array({"label", {{"column", "size"}, {"type", "value"}}});
  config["data"]["validation"] = {{"fraction", 0.2}};
  config["model"]["heads"].push_back(
      {{"name", "size"}, {"targets", {"size"}}, {"loss", "mse"}, {"weight", 0.5}, {"layers", {{{"type", "dense"}}}}});
  const auto r = run(config, dir.path(), "");
  const auto& last = r.members[0].fit.history.back().metrics;
  for (const char* name : {"loss", "label_loss", "label_accuracy", "size_loss", "val_label_accuracy", "val_size_loss"})
    CHECK_MESSAGE(last.get(name).has_value(), name);
  CHECK_FALSE(last.get("size_accuracy").has_value());
  CHECK(metric(r.members[0].test, "test_label_accuracy") >= 0.9);
  CHECK(metric(r.members[0].test, "test_size_loss") < 0.5);
  CHECK(metric(last, "loss") == doctest::Approx(metric(last, "label_loss") + 0.5 * metric(last, "size_loss")));
}

TEST_CASE("training configs: errors name the field") {
  const auto error = [](json config) {
    try {
      tr::TrainConfig::from_json(config, "");
    } catch (const augment::SpecError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  json c = blobs_config();
  CHECK(error(c) == "no error");
  c["epochs"] = 0;
  CHECK(error(c).rfind("epochs: must be an integer in [1,", 0) == 0);
  c = blobs_config();
  c["batchsize"] = 3;
  CHECK(error(c).rfind("batchsize: unknown field", 0) == 0);
  c = blobs_config();
  c["regularizers"] = {{"early_stopping", {{"monitor", "val_loss"}}}};
  CHECK(error(c).find("needs validation rows") != std::string::npos);
  c = blobs_config();
  c["data"]["train"]["rows"] = {5, 2};
  CHECK(error(c).rfind("data.train.rows: must be [first, last]", 0) == 0);
  c = blobs_config();
  c["pipeline"]["stages"][0]["op"] = "standardise";
  CHECK(error(c).rfind("pipeline: stage 0", 0) == 0);
}

namespace {

// The message of the error train() throws for `config` (run in `dir`, output "out"), or "no error".
template <class Error>
std::string train_error(const json& config, const fs::path& dir, const std::string& output = "out") {
  try {
    run(config, dir, output);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

// The blobs with one row's x1 at 1e38: finite in float, but its squared error is not.
void write_blobs_with_huge_row(const fs::path& file) {
  write_blobs(file);
  std::string text = augment_test::read_bytes(file);
  const auto at = text.find("\nr7,") + 4;
  text.replace(at, text.find(',', at) - at, "1e38");
  augment_test::write_bytes(file, text);
}

// An mse head on the "size" column of the blobs, without a pipeline: the huge row reaches the loss.
json regression_config() {
  json c = blobs_config();
  c.erase("pipeline");
  c["data"]["targets"] = {{{"column", "size"}, {"type", "value"}}};
  c["model"] = {{"heads", {{{"loss", "mse"}, {"layers", {{{"type", "dense"}, {"units", 1}}}}}}}};
  c["epochs"] = 3;
  return c;
}

struct LimitsGuard {
  augment::Limits saved = augment::limits();
  ~LimitsGuard() { augment::set_limits(saved); }
};

}  // namespace

TEST_CASE("a diverging training stops at once naming the epoch, the batch and what went non-finite") {
  TempDir dir("train_diverge");
  write_blobs(dir / "blobs.csv");
  json c = regression_config();
  c["optimizer"] = {{"type", "sgd"}, {"lr", 0.05}};
  // Epoch 1 learns at 0.05; epoch 2 at 500, far past 2 / (the largest curvature of a linear
  // least-squares fit on these inputs, about 5): the error grows about 2000-fold a step.
  c["schedule"] = {{"type", "step"}, {"every", 1}, {"gamma", 1e4}, {"unit", "epoch"}};
  c["checkpoint_every"] = 1;
  const std::string message = train_error<augment::DataError>(c, dir.path());
  INFO(message);
  CHECK(message.rfind("training stopped at epoch 2, batch ", 0) == 0);
  CHECK(message.find(" of 15: ") != std::string::npos);  // 240 rows in batches of 16
  CHECK(message.find(" is not finite") != std::string::npos);
  CHECK(message.find("a lower optimizer.lr or a clip.norm may help") != std::string::npos);
  // What epoch 1 wrote is kept; nothing claims the run finished.
  const std::string csv = augment_test::read_bytes(dir / "out/metrics.csv");
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 2);  // the header and epoch 1
  CHECK(tr::load_checkpoint<float>(dir / "out/checkpoints/epoch-0001.ckpt").metadata["training"]["epoch"] == 1);
  CHECK_FALSE(fs::exists(dir / "out/checkpoints/epoch-0002.ckpt"));
  CHECK_FALSE(fs::exists(dir / "out/model.ckpt"));
  CHECK_FALSE(fs::exists(dir / "out/summary.json"));

  // skip_batch does not hide a divergence: once the weights are too large, every batch of an
  // epoch is skipped, and that stops.
  c["on_non_finite"] = "skip_batch";
  const std::string skipped = train_error<augment::DataError>(c, dir.path(), "out2");
  INFO(skipped);
  CHECK(skipped.rfind("training stopped at ", 0) == 0);
  CHECK_FALSE(fs::exists(dir / "out2/model.ckpt"));
}

TEST_CASE("a NaN injected into a weight is found in the next batch's forward pass") {
  TempDir dir("train_nan");
  write_blobs(dir / "blobs.csv");
  tr::TableSpec spec{.file = dir / "blobs.csv", .features = {"x1", "x2"}, .targets = {tr::TargetColumn{.column = "label"}}};
  const tr::Dataset data = tr::Dataset::read_csv(spec);
  auto net = tr::Network<float>::from_json(
      {{"inputs", 2},
       {"trunk", {{{"type", "dense"}, {"units", 4}}, {{"type", "relu"}}}},
       {"heads", {{{"layers", {{{"type", "dense"}, {"units", 2}}}}}}}},
      7);
  tr::FitOptions o;
  o.epochs = 4;
  o.batch_size = 100;  // 3 batches an epoch
  o.metrics_csv = dir / "metrics.csv";
  tr::TrainCallbacks callbacks;
  callbacks.on_epoch = [&](const tr::EpochReport& r) {
    if (r.epoch == 2) net.parameters()[2]->value(0, 1) = std::numeric_limits<float>::quiet_NaN();  // heads.0.0.weight
  };
  std::string message = "no error";
  try {
    tr::fit(net, data, nullptr, nullptr, o, callbacks);
  } catch (const augment::DataError& e) {
    message = e.what();
  }
  CHECK(message == "training stopped at epoch 3, batch 1 of 3: parameter heads.0.0.weight is not finite");
  const std::string csv = augment_test::read_bytes(dir / "metrics.csv");
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 3);  // the header and epochs 1 and 2

  // Finite weights and inputs whose product overflows: the search names the first layer whose
  // output is not finite, and where.
  auto fresh = tr::Network<float>::from_json(net.architecture(), 7);
  tr::Matrix<float> x = tr::Matrix<float>::Ones(3, 2), t = tr::Matrix<float>::Zero(3, 2);
  t.col(0).setOnes();
  fresh.parameters()[0]->value(1, 2) = 1e30f;  // trunk.0.weight, from input 2 to unit 3
  x(1, 1) = 1e30f;                             // row 2: 1e30 · 1e30 overflows float
  const std::string why = augment::trainer::detail::explain_non_finite_loss(fresh, x, t, tr::Phase::train, augment::Rng(1));
  CHECK(why == "the output of trunk.0 (dense) is not finite (row 2, column 3: inf)");
  x(1, 1) = std::numeric_limits<float>::infinity();
  CHECK(augment::trainer::detail::explain_non_finite_loss(fresh, x, t, tr::Phase::train, augment::Rng(1)) ==
        "the input batch (after the pipeline) is not finite (row 2, column 2: inf)");
}

TEST_CASE("a batch whose loss overflows: stop names the head, skip_batch skips it and goes on") {
  TempDir dir("train_skip");
  write_blobs_with_huge_row(dir / "blobs.csv");
  json c = regression_config();
  const std::string message = train_error<augment::DataError>(c, dir.path());
  INFO(message);
  CHECK(message.rfind("training stopped at epoch 1, batch ", 0) == 0);
  CHECK((message.find("the loss of head '0' (mse) is not finite though the head's output is") != std::string::npos ||
         message.find("the output of heads.0.0 (dense) is not finite") != std::string::npos));

  c["on_non_finite"] = "skip_batch";
  std::vector<std::string> messages;
  auto config = tr::TrainConfig::from_json(c, dir.path());
  const auto r = tr::train(config, {.on_epoch = {}, .on_message = [&](const std::string& m) { messages.push_back(m); }});
  // Row 8 sits in one batch of each of the 3 epochs.
  CHECK(r.members[0].fit.skipped_batches == 3);
  REQUIRE(messages.size() == 3);
  CHECK(messages[0].rfind("epoch 1, batch ", 0) == 0);
  CHECK(messages[0].find(" skipped: ") != std::string::npos);
  CHECK(std::isfinite(metric(r.members[0].test, "test_loss")));

  c["on_non_finite"] = "ignore";
  CHECK(train_error<augment::SpecError>(c, dir.path()) ==
        "on_non_finite: must be one of stop, skip_batch, got \"ignore\"");
}

TEST_CASE("sizes a config asks for are checked before allocating: layers and batches") {
  TempDir dir("train_sizes");
  write_blobs(dir / "blobs.csv");
  json c = blobs_config();
  c["model"]["trunk"][0]["units"] = 1000000000;
  // 1e9 units × 2 inputs × 4 bytes.
  CHECK(train_error<augment::SpecError>(c, dir.path()) ==
        "model.trunk.0.units: the weights of 1000000000 units × 2 inputs, in bytes: 8000000000 is over the "
        "allocation_bytes limit of 4294967296 (raise it with --limit allocation_bytes=N)");

  LimitsGuard guard;
  augment::Limits small = augment::limits();
  small.allocation_bytes = 1'000'000;
  augment::set_limits(small);
  c = blobs_config();
  c["model"]["trunk"][0]["units"] = 10000;  // weights 2 × 10000 × 4 = 80 KB; next: 10000 × 8 × 4 = 320 KB
  // Evaluation forwards the 240 training rows (the largest split, under 1024) at once.
  CHECK(train_error<augment::SpecError>(c, dir.path()) ==
        "model.trunk.0 (dense): a batch of 240 rows × 10000 outputs (batch_size), in bytes: 9600000 is over the "
        "allocation_bytes limit of 1000000 (raise it with --limit allocation_bytes=N)");
}

TEST_CASE("training configs: numbers out of range, deep nesting and outputs over inputs are refused") {
  TempDir dir("train_config_input");
  write_blobs(dir / "blobs.csv");
  const auto load_error = [&](const std::string& text) {
    augment_test::write_bytes(dir / "c.json", text);
    try {
      tr::TrainConfig::load(dir / "c.json");
    } catch (const augment::SpecError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string file = (dir / "c.json").string();
  std::string text = blobs_config().dump();
  text.replace(text.find("\"lr\":0.02"), 9, "\"lr\":1e999");
  CHECK(load_error(text).rfind(file + ": not valid JSON: ", 0) == 0);
  CHECK(load_error(std::string(100000, '[') + std::string(100000, ']')) ==
        file + ": JSON nested deeper than 512 levels (raise it with --limit json_depth=N)");
  augment_test::write_bytes(dir / "p.json", "{\"kind\": \"features\", \"stages\": [{\"op\": \"gaussian_noise\", \"sigma\": -1e400}]}");
  json c = blobs_config();
  c["pipeline"] = "p.json";
  CHECK(load_error(c.dump()).rfind(file + ": pipeline: " + (dir / "p.json").string() + ": not valid JSON: ", 0) == 0);

  // The output folder of a transfer's source: its model.ckpt would be replaced.
  fs::create_directories(dir / "base");
  augment_test::write_bytes(dir / "base/model.ckpt", "not even read");
  c = blobs_config();
  c.erase("model");
  c["transfer"] = {{"from", "base/model.ckpt"}};
  CHECK(train_error<augment::UsageError>(c, dir.path(), "base") ==
        (dir / "base/model.ckpt").string() + ": the output would overwrite transfer.from (" +
            (dir / "base/model.ckpt").string() + "); choose another output folder");
  CHECK(augment_test::read_bytes(dir / "base/model.ckpt") == "not even read");
  // The data file, under the name of an output.
  fs::copy_file(dir / "blobs.csv", dir / "base/metrics.csv");
  c = blobs_config();
  c["data"]["file"] = "base/metrics.csv";
  CHECK(train_error<augment::UsageError>(c, dir.path(), "base").find("would overwrite data.file") != std::string::npos);
  // An output folder that is a file.
  c = blobs_config();
  CHECK(train_error<augment::UsageError>(c, dir.path(), "blobs.csv") ==
        (dir / "blobs.csv").string() + ": exists and is not a folder; the output is a folder");
}
