// Early stopping on scripted metric sequences: Keras 3's rule (keras/src/callbacks/
// early_stopping.py) worked by hand for each case, then the best weights restored on a network.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/error.hpp"
#include "augment/trainer/checkpoint.hpp"
#include "augment/trainer/early_stopping.hpp"

using augment::trainer::EarlyStopping;
using augment::trainer::EarlyStoppingOptions;
using augment::trainer::MonitorMode;
using nlohmann::json;

namespace {

struct Outcome {
  std::size_t stopped = 0;    // the epoch that stopped (0: ran every value)
  std::size_t best = 0;       // best_epoch() at the end
  std::vector<std::size_t> snapshots;  // epochs whose weights were kept
};

Outcome run(const json& config, const std::vector<double>& values) {
  EarlyStopping rule(EarlyStoppingOptions::from_json(config));
  Outcome out;
  for (std::size_t e = 1; e <= values.size(); ++e) {
    const auto d = rule.update(e, values[e - 1]);
    if (d.snapshot) out.snapshots.push_back(e);
    if (d.stop) {
      out.stopped = e;
      CHECK(rule.stopped_epoch() == e);
      break;
    }
  }
  out.best = rule.best_epoch();
  return out;
}

using Epochs = std::vector<std::size_t>;

}  // namespace

TEST_CASE("early stopping, mode min: stops when patience epochs pass without a new minimum") {
  // e1 1.0 best; e2 0.8 best; e3 0.9 wait 1; e4 0.85 wait 2 = patience: stop.
  const auto o = run({{"monitor", "val_loss"}, {"patience", 2}, {"restore_best_weights", true}}, {1.0, 0.8, 0.9, 0.85, 0.1});
  CHECK(o.stopped == 4);
  CHECK(o.best == 2);
  CHECK(o.snapshots == Epochs{1, 2});
}

TEST_CASE("early stopping, mode max (auto for an accuracy): a tie is not an improvement") {
  // e1 .5; e2 .6 best; e3 .6 tie, wait 1; e4 .7 best; e5 wait 1; e6 wait 2: stop.
  const auto o = run({{"monitor", "val_accuracy"}, {"patience", 2}, {"restore_best_weights", true}},
                     {0.5, 0.6, 0.6, 0.7, 0.69, 0.68, 0.99});
  CHECK(o.stopped == 6);
  CHECK(o.best == 4);
  CHECK(o.snapshots == Epochs{1, 2, 4});
  const auto explicit_max = run({{"monitor", "score"}, {"mode", "max"}, {"patience", 2}}, {0.5, 0.6, 0.6, 0.7, 0.69, 0.68});
  CHECK(explicit_max.stopped == 6);
  CHECK(explicit_max.snapshots.empty());  // no restore: nothing to keep
}

TEST_CASE("early stopping: min_delta is the improvement needed, in either direction") {
  // min: e1 1.0; e2 0.9 (needs < 0.85) wait 1; e3 0.7 best, wait 0; e4 0.65 (needs < 0.55) wait 1;
  // e5 0.6 wait 2: stop with patience 2.
  const auto down = run({{"monitor", "loss"}, {"min_delta", 0.15}, {"patience", 2}}, {1.0, 0.9, 0.7, 0.65, 0.6, 0.0});
  CHECK(down.stopped == 5);
  CHECK(down.best == 3);
  // max with a negative min_delta: its absolute value is used, as Keras does.
  const auto up = run({{"monitor", "accuracy"}, {"min_delta", -0.1}, {"patience", 1}}, {0.5, 0.55, 0.9});
  CHECK(up.stopped == 2);
  CHECK(up.best == 1);
}

TEST_CASE("early stopping: start_from_epoch ignores the warm-up epochs entirely") {
  // Epochs 1-3 are not watched; e4 10 is the first best; e5 9 best; e6 11 wait 1 = patience.
  const auto o = run({{"monitor", "val_loss"}, {"patience", 1}, {"start_from_epoch", 3}, {"restore_best_weights", true}},
                     {5, 4, 3, 10, 9, 11, 1});
  CHECK(o.stopped == 6);
  CHECK(o.best == 5);
  CHECK(o.snapshots == Epochs{4, 5});
}

TEST_CASE("early stopping: patience 0 stops at the first epoch without improvement, never at the first") {
  CHECK(run({{"monitor", "val_loss"}}, {1.0, 2.0, 0.5}).stopped == 2);
  CHECK(run({{"monitor", "val_loss"}}, {1.0, 0.9, 0.8}).stopped == 0);
  // NaN never improves, and the first epoch never stops.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto o = run({{"monitor", "val_loss"}, {"restore_best_weights", true}}, {nan, nan});
  CHECK(o.stopped == 2);
  CHECK(o.snapshots == Epochs{1});  // the first watched epoch is kept even so
  CHECK(o.best == 1);
}

TEST_CASE("early stopping: a baseline keeps the wait running until it is beaten") {
  // Improving but above the baseline: wait is not reset (1, 2, 3); e3 fails to improve: stop.
  const auto o = run({{"monitor", "val_loss"}, {"patience", 2}, {"baseline", 0.5}}, {1.0, 0.9, 0.95, 0.1});
  CHECK(o.stopped == 3);
  CHECK(o.best == 2);
  // Below the baseline it behaves as without one.
  CHECK(run({{"monitor", "val_loss"}, {"patience", 2}, {"baseline", 0.5}}, {0.4, 0.3, 0.35, 0.2}).stopped == 0);
}

TEST_CASE("early stopping: epochs without the metric are skipped") {
  EarlyStopping rule(EarlyStoppingOptions::from_json({{"monitor", "val_loss"}, {"patience", 0}}));
  CHECK_FALSE(rule.update(1, std::nullopt).stop);
  CHECK_FALSE(rule.update(2, 1.0).stop);
  CHECK(rule.update(3, 2.0).stop);
}

TEST_CASE("early stopping options: auto mode, defaults, and errors naming the field") {
  const auto o = EarlyStoppingOptions::from_json(json::object());
  CHECK(o.monitor == "val_loss");
  CHECK(o.mode == MonitorMode::min);
  CHECK(o.patience == 0);
  CHECK_FALSE(o.restore_best_weights);
  CHECK(EarlyStoppingOptions::from_json({{"monitor", "val_letter_accuracy"}}).mode == MonitorMode::max);
  const auto message = [](const json& j) {
    try {
      EarlyStoppingOptions::from_json(j);
    } catch (const augment::SpecError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message({{"monitor", "f1"}}).find("early_stopping.mode: cannot tell") == 0);
  CHECK(message({{"patience", -1}}).find("early_stopping.patience: must be an integer") == 0);
  CHECK(message({{"mode", "down"}}).find("early_stopping.mode: must be one of auto, min, max") == 0);
  CHECK(message({{"patiense", 3}}).find("early_stopping.patiense: unknown field") == 0);
  CHECK(EarlyStoppingOptions::from_json(o.to_json()).to_json() == o.to_json());
}

TEST_CASE("early stopping with restore_best_weights puts back the best epoch's weights and buffers") {
  using augment::trainer::Network;
  const json architecture = {{"inputs", 3},
                             {"trunk", {{{"type", "dense"}, {"units", 4}}, {{"type", "batch_norm"}}}},
                             {"heads", {{{"name", "y"}, {"layers", {{{"type", "dense"}, {"units", 2}}}}}}}};
  auto net = Network<float>::from_json(architecture, 7);
  // Epoch e's "training" sets every value to e; the metric's best is epoch 3.
  const std::vector<double> val_loss = {0.9, 0.7, 0.5, 0.6, 0.8, 0.55};
  EarlyStopping rule(EarlyStoppingOptions::from_json({{"patience", 2}, {"restore_best_weights", true}}));
  augment::trainer::WeightSnapshot<float> best;
  std::size_t last = 0;
  for (std::size_t e = 1; e <= val_loss.size(); ++e) {
    for (auto* p : net.parameters()) p->value.setConstant(static_cast<float>(e));
    for (auto& [name, m] : net.buffers()) m->setConstant(static_cast<float>(10 * e));
    last = e;
    const auto d = rule.update(e, val_loss[e - 1]);
    if (d.snapshot) best = augment::trainer::snapshot_weights(net);
    if (d.stop) break;
  }
  CHECK(last == 5);
  REQUIRE(rule.has_snapshot());
  augment::trainer::restore_weights(net, best);
  for (auto* p : net.parameters()) CHECK(p->value.isConstant(3.0f));
  REQUIRE_FALSE(net.buffers().empty());
  for (auto& [name, m] : net.buffers()) CHECK(m->isConstant(30.0f));
}
