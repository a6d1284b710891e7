#pragma once
// Training: what `augment train CONFIG.json` runs, from C++.
//
//   auto config = augment::trainer::TrainConfig::load("examples/letters-mlp/config.json");
//   config.output = "out/letters";                       // or leave the config's
//   augment::trainer::TrainResult result = augment::trainer::train(config);
//   result.members[0].test.get("test_accuracy");         // the test split's accuracy
//
// Two levels: fit() trains one network on a Dataset with a pipeline (no JSON, no files unless
// asked), and train() does everything a config describes — read the table, split it, fit the
// pipeline's fitted stages on the training rows, build the network (or load one for transfer
// learning), train each ensemble member, evaluate on the test rows and write the output folder.
// The config's format and the output folder are described in trainer/README.md.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/pipeline.hpp"
#include "augment/trainer/dataset.hpp"
#include "augment/trainer/early_stopping.hpp"
#include "augment/trainer/metrics_log.hpp"
#include "augment/trainer/network.hpp"
#include "augment/trainer/target_noise.hpp"

namespace augment::trainer {

/// Rows of a table for one split: a file (default: data.file) and an inclusive range of
/// 1-based data rows (default: all of them). Validation may instead hold out a fraction of the
/// training rows, chosen with a seeded shuffle.
struct SplitSpec {
  bool present = false;
  std::filesystem::path file;
  std::size_t first_row = 0, last_row = 0;  // 0, 0: every row
  double fraction = 0;                      // validation only: held out of the training rows
};

struct DataConfig {
  std::filesystem::path file;
  std::vector<std::string> features;
  std::vector<TargetColumn> targets;
  std::string key_column;
  std::string text_column = "text";  // records of text (CSV, JSON Lines): the text's column
  std::string language;              // records of text without a "language" field
  std::filesystem::path root;        // datasets of files: what sample keys are relative to
  SplitSpec train, validation, test;
};

struct EnsembleConfig {
  std::size_t members = 1;
  bool bootstrap = false;  // each member learns from n rows drawn with replacement
  bool vary_seed = true;   // member m uses seed + m (initial weights, shuffling, augmentation)
};

struct TransferConfig {
  std::filesystem::path from;         // a checkpoint
  std::vector<std::string> freeze;    // parameter-name prefixes ("trunk", "trunk.0")
  nlohmann::json heads;               // null: keep the checkpoint's heads; else new heads
  /// Set: the network is `model`, freshly initialized, except its first `layers` trunk layers,
  /// whose parameters and buffers are the checkpoint's (Yosinski et al. 2014's "transfer the
  /// first n layers"); their shapes must match. Unset: the checkpoint's whole network.
  std::optional<std::size_t> layers;
};

/// What a batch whose loss or gradient is not finite (NaN, ±inf) does. stop: DataError naming
/// the epoch, the batch and the input, layer output, gradient or parameter that went non-finite
/// first; the metrics and checkpoints of the epochs before are kept. skip_batch: the batch makes
/// no update (reported through on_message); an epoch with every batch skipped, or an update
/// that makes a parameter non-finite, still stops.
enum class NonFinite { stop, skip_batch };

/// Options of one training run, without data or model.
struct FitOptions {
  std::uint64_t seed = 1;        // shuffling, augmentation, dropout masks, weight noise
  std::size_t epochs = 10;
  std::size_t batch_size = 32;
  bool drop_last = false;        // leave out an epoch's last, smaller batch
  bool shuffle = true;
  std::size_t prefetch = 4;      // batches the producer threads prepare ahead; 0: no thread
  std::size_t producers = 1;     // threads that make batches (the batches are the same for any number)
  nlohmann::json optimizer = {{"type", "sgd"}};
  nlohmann::json schedule;       // null: constant
  double clip_norm = 0, clip_value = 0;  // 0: off
  Penalties penalties;           // for every weight whose layer sets none of its own
  TargetNoise target_noise;
  double weight_noise = 0;       // σ of Gaussian noise on weights during each step
  std::optional<EarlyStoppingOptions> early_stopping;
  NonFinite on_non_finite = NonFinite::stop;
  std::filesystem::path metrics_csv, curves_png;  // empty: not written
  /// Every this many epochs (0: never) the weights are saved as checkpoint_folder/epoch-NNNN.ckpt
  /// with checkpoint_metadata.
  std::size_t checkpoint_every = 0;
  std::filesystem::path checkpoint_folder;
  nlohmann::json checkpoint_metadata = nlohmann::json::object();
  std::string title;
  /// Test hook passed to the batch producer (see BatchOptions::before_batch).
  std::function<void(std::size_t, std::size_t)> before_batch;
};

struct EpochReport {
  std::size_t member = 0, members = 1;
  std::size_t epoch = 0, epochs = 0;
  Metrics metrics;
  double seconds = 0;  // of this epoch
};

struct TrainCallbacks {
  std::function<void(const EpochReport&)> on_epoch;
  /// One line of news: early stopping, restored weights, a file written.
  std::function<void(const std::string&)> on_message;
};

struct FitResult {
  std::vector<MetricsRow> history;
  std::size_t epochs_run = 0;
  std::size_t best_epoch = 0;     // early stopping's best epoch (0 without it)
  std::size_t stopped_epoch = 0;  // the epoch that stopped training early (0 if none)
  bool restored = false;          // best weights put back
  std::size_t skipped_batches = 0;  // NonFinite::skip_batch: batches that made no update
  double seconds = 0;
  /// Of `seconds`, the time the training loop waited for batches (BatchStream::waited_seconds).
  double data_wait_seconds = 0;
};

/// Trains `network` in place on `train` (inputs through `pipeline`'s run(): augmentation on;
/// `pipeline` may be null) and, after every epoch, evaluates it on `validation` (may be null;
/// through the pipeline's deterministic stages only). Metrics per epoch: "loss", "accuracy"
/// (training batches as they were learned, dropout and augmentation on), "val_loss",
/// "val_accuracy", per head "<head>_loss"... when there are several heads, and "lr".
template <class T>
FitResult fit(Network<T>& network, const Dataset& train, const Pipeline* pipeline, const Dataset* validation,
              const FitOptions& options, const TrainCallbacks& callbacks = {}, std::size_t member = 0,
              std::size_t members = 1);

struct TrainConfig {
  std::string name;
  DataConfig data;
  /// A pipeline spec, or null. Features in: the data is a CSV table. Images, audio, text or
  /// video in: the data is a folder (labels from class subfolders) or a manifest of files. Out:
  /// features, or a tensor (`to_tensor`), whose shape is the network's input shape.
  nlohmann::json pipeline;
  /// Where ops and file codecs come from: the features module alone when null; the CLI gives its
  /// registry of every module.
  const Registry* registry = nullptr;
  nlohmann::json model;     // the architecture; heads' "targets" may name target columns
  FitOptions fit;
  EnsembleConfig ensemble;
  std::optional<TransferConfig> transfer;
  std::filesystem::path output;  // folder; empty: nothing is written
  nlohmann::json source;         // the config as read, for the output folder
  /// Where the config and its pipeline were read from (empty if not from files): inputs that
  /// train() refuses to overwrite, like the data files and transfer.from.
  std::filesystem::path file, pipeline_file;

  /// Reads a config; relative paths inside it are relative to `base_dir`. SpecError naming the
  /// field ("optimizer.lr: ...", "data.train.rows: ...").
  static TrainConfig from_json(const nlohmann::json& config, const std::filesystem::path& base_dir,
                               const Registry* registry = nullptr);
  /// The same from a file: relative paths are relative to the file's folder; errors start
  /// with the file name.
  static TrainConfig load(const std::filesystem::path& file, const Registry* registry = nullptr);
};

struct MemberResult {
  Network<float> network;
  FitResult fit;
  Metrics validation, test;  // the final network's scores (empty without that split)
  std::filesystem::path checkpoint;
};

struct TrainResult {
  std::vector<MemberResult> members;
  Metrics ensemble_validation, ensemble_test;  // members > 1: the averaged predictions' scores
  std::vector<TargetColumn> targets;           // the label encoding
  std::vector<std::string> features;
  nlohmann::json pipeline;                     // fitted, or null
  std::size_t train_rows = 0, validation_rows = 0, test_rows = 0;
  double seconds = 0;
};

/// Runs a config. SpecError for a config that cannot work (a head's targets that do not exist,
/// early stopping on val_loss without validation rows, a layer or batch over the allocation_bytes
/// limit), UsageError for an output folder that would overwrite an input (a data file, the
/// config, its pipeline, transfer.from), DataError for unusable data, a bad checkpoint, a
/// training that goes non-finite (FitOptions::on_non_finite) or a failed write.
TrainResult train(const TrainConfig& config, const TrainCallbacks& callbacks = {});

}  // namespace augment::trainer
