// Training end to end on two Gaussian blobs: learned, bit-reproducible whatever the producer
// thread's timing, early stopping restoring the best epoch, transfer with frozen layers,
// ensembles averaging probabilities, multi-task heads, batches equal to `augment run` copies.
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
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
#include "fixture_table.hpp"

namespace fs = std::filesystem;
namespace tr = augment::trainer;
using augment_test::read_bytes;
using augment_test::TempDir;
using nlohmann::json;

namespace {

// 300 rows: label a around (−1, −1), b around (1, 1), σ 0.6; size = x1 + x2; id = "r<n>".
void write_blobs(const fs::path& file) {
  std::ofstream out(file);
  out << "id,x1,x2,label,size\n";
  augment::Rng rng(42);
  for (int i = 0; i < 300; ++i) {
    const double c = i % 2 == 0 ? -1 : 1, x1 = rng.normal(c, 0.6), x2 = rng.normal(c, 0.6);
    out << "r" << i << "," << x1 << "," << x2 << "," << (i % 2 == 0 ? "a" : "b") << "," << x1 + x2 << "\n";
  }
}

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

TEST_CASE("seeded training is bit-reproducible and does not depend on the producer thread's timing") {
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
  const std::string a = read_bytes(dir / "a/model.ckpt");
  CHECK(a == read_bytes(dir / "b/model.ckpt"));
  CHECK(a == read_bytes(dir / "c/model.ckpt"));
  CHECK(read_bytes(dir / "a/metrics.csv") == read_bytes(dir / "c/metrics.csv"));
  config["seed"] = 4;
  run(config, dir.path(), "d");
  CHECK(a != read_bytes(dir / "d/model.ckpt"));
}

TEST_CASE("batches: epoch e draws what augment run writes as copy e-1, in the seeded order") {
  TempDir dir("train_batches");
  write_blobs(dir / "blobs.csv");
  const auto data = tr::Dataset::read_csv({dir / "blobs.csv", {"x1", "x2"}, {{"label"}}, "id"});
  const auto pipeline = augment_test::make_pipeline({{{"op", "gaussian_noise"}, {"sigma", 0.3}}});
  tr::BatchOptions o;
  o.batch_size = 64;
  o.seed = 9;
  o.last_epoch = 2;
  o.prefetch = 2;
  tr::BatchStream<double> stream(data, &pipeline, o);
  std::size_t batches = 0;
  while (auto b = stream.next()) {
    const auto order = tr::epoch_order(data.rows(), 9, b->epoch);
    for (Eigen::Index i = 0; i < b->inputs.rows(); ++i) {
      const std::size_t row = order[b->index * 64 + static_cast<std::size_t>(i)];
      augment::Sample s = augment::features::make_sample(data.features(row));
      pipeline.run(s, augment::Rng::derive(9, data.key(row), b->epoch - 1, 0));
      CHECK(b->inputs(i, 0) == augment::features::values_of(s)[0]);
      CHECK(b->targets.row(i) == data.target_row(row));
    }
    ++batches;
  }
  CHECK(batches == 10);  // 5 per epoch: 4 of 64 and one of 44
  CHECK(data.key(0) == "r0");
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
