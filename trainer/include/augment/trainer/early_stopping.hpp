#pragma once
// Early stopping with Keras 3's semantics (keras.callbacks.EarlyStopping): after every epoch the
// monitored metric is compared with the best so far; `patience` epochs in a row without an
// improvement of more than `min_delta` stop the training, and with `restore_best_weights` the
// weights of the best epoch are put back when training ends (whether it stopped early or ran all
// its epochs, as Keras 3 does; tf.keras 2 restored only on an early stop).
//
// Exactly as Keras, epoch by epoch (epochs counted from 1 here, from 0 in Keras):
//   - the first `start_from_epoch` epochs, and epochs without the metric, are ignored;
//   - the first watched epoch's weights are kept as "best" even if it does not improve;
//   - wait += 1; an improvement (min mode: value < best − min_delta; max mode: value > best +
//     min_delta; best starts at ±∞) records best, best epoch and weights, and resets wait to 0
//     unless a baseline is set and the value does not also improve on the baseline;
//   - otherwise, when wait ≥ patience and this is not the very first epoch, training stops.
// So patience 0 stops at the first epoch that does not improve; NaN never improves.
#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace augment::trainer {

enum class MonitorMode { min, max };

struct EarlyStoppingOptions {
  std::string monitor = "val_loss";
  /// "auto" in JSON: max for names ending in "accuracy", min for names ending in "loss";
  /// anything else must name the mode (Keras raises too).
  MonitorMode mode = MonitorMode::min;
  double min_delta = 0;  // its absolute value is used, as Keras does
  std::size_t patience = 0;
  std::optional<double> baseline;
  bool restore_best_weights = false;
  std::size_t start_from_epoch = 0;

  /// From {"monitor", "mode": "auto"|"min"|"max", "min_delta", "patience", "baseline",
  /// "restore_best_weights", "start_from_epoch"}; SpecError "early_stopping.FIELD: ..." otherwise.
  static EarlyStoppingOptions from_json(const nlohmann::json& config);
  nlohmann::json to_json() const;
};

/// What to do after an epoch.
struct EarlyStoppingDecision {
  bool improved = false;        // this epoch became the best
  bool snapshot = false;        // keep the current weights as the best (restore_best_weights only)
  bool stop = false;            // end training now
};

/// The rule alone, free of any model: feed it one value per epoch; it tells when to keep the
/// weights and when to stop. The trainer keeps the snapshot and restores it at the end.
class EarlyStopping {
 public:
  explicit EarlyStopping(EarlyStoppingOptions options);

  /// `epoch` counts from 1; `value` is the monitored metric, or nullopt when the epoch has none.
  EarlyStoppingDecision update(std::size_t epoch, std::optional<double> value);

  const EarlyStoppingOptions& options() const { return options_; }
  /// Best value so far (±∞ before any watched epoch).
  double best() const { return best_; }
  /// Epoch of the kept weights (1-based), 0 before any.
  std::size_t best_epoch() const { return best_epoch_; }
  /// The epoch that stopped training (1-based), 0 if it did not stop.
  std::size_t stopped_epoch() const { return stopped_epoch_; }
  std::size_t wait() const { return wait_; }
  /// True once weights have been kept: restore them at the end when restore_best_weights.
  bool has_snapshot() const { return has_snapshot_; }

 private:
  bool improves(double value, double reference) const;

  EarlyStoppingOptions options_;
  double best_;
  std::size_t best_epoch_ = 0, stopped_epoch_ = 0, wait_ = 0;
  bool has_snapshot_ = false, watching_ = false;
};

}  // namespace augment::trainer
