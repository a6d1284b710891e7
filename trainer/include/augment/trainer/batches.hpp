#pragma once
// Mini-batches for training, augmented on the fly. Producer threads make the batches: each
// claims the next batch of the run (epochs one after another, each in its seeded shuffle), runs
// its rows through the pipeline and makes the batch's input and target matrices, while the
// model trains on the batches before. The trainer takes the batches in order; producers stay at
// most `prefetch` batches ahead of it.
//
// Results never depend on timing or on the number of producers: what a batch holds is a
// function of (seed, epoch, position) alone. The order of epoch e is a Fisher–Yates shuffle drawing from
// Rng::derive(seed, "augment.trainer.shuffle", 0, e); row r's augmentation in epoch e draws from
// Rng::derive(seed, key_r, e − 1, 0) — the stream `augment run --seed S --copies E` uses for
// copy e − 1 of that row, so epoch e sees exactly that copy — and target noise from a fork of it.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <climits>
#include <map>
#include <memory>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "augment/core/pipeline.hpp"
#include "augment/trainer/dataset.hpp"
#include "augment/trainer/target_noise.hpp"

namespace augment::trainer {

/// Positions 0 … n−1 in the order epoch `epoch` (from 1) visits them; identity without shuffle.
std::vector<std::size_t> epoch_order(std::size_t n, std::uint64_t seed, std::size_t epoch, bool shuffle = true);

struct BatchOptions {
  std::size_t batch_size = 32;  // the last batch of an epoch may be smaller...
  bool drop_last = false;       // ...unless it is left out (batch norm needs 2 rows or more)
  std::uint64_t seed = 0;       // shuffling, augmentation and target noise
  bool shuffle = true;
  std::size_t first_epoch = 1, last_epoch = 1;
  /// Batches the producers prepare ahead. 0: no thread; next() makes each batch itself.
  std::size_t prefetch = 4;
  /// Threads that make batches (with prefetch > 0); more help when augmentation is slower than
  /// a training step. The batches are the same whatever the number.
  std::size_t producers = 1;
  TargetNoise target_noise;
  /// Called by the producer before it makes each batch (epoch, index): tests slow it down at
  /// random to show the batches do not change.
  std::function<void(std::size_t, std::size_t)> before_batch;
};

template <class T>
struct Batch {
  std::size_t epoch = 0, index = 0;  // index of the batch within its epoch, from 0
  bool last_in_epoch = false;
  Matrix<T> inputs, targets;
};

/// Makes batch (epoch, index) of the given order: the pure function the producer runs.
template <class T>
Batch<T> make_batch(const Dataset& data, const Pipeline* pipeline, const BatchOptions& options,
                    const std::vector<std::size_t>& order, std::size_t epoch, std::size_t index);

template <class T>
class BatchStream {
 public:
  /// `data` and `pipeline` (may be null: features as read) must outlive the stream. The
  /// pipeline must be fitted and keep the number of features.
  BatchStream(const Dataset& data, const Pipeline* pipeline, BatchOptions options);
  ~BatchStream();
  BatchStream(const BatchStream&) = delete;
  BatchStream& operator=(const BatchStream&) = delete;

  /// The next batch, waiting for the producers if needed; nullopt after the last epoch's last
  /// batch. An exception thrown while making a batch is rethrown when that batch is due, so a
  /// run fails at the same batch with any number of producers.
  std::optional<Batch<T>> next();
  std::size_t batches_per_epoch() const;
  /// Seconds next() has spent waiting for a batch (without producers: making them), the
  /// training loop's idle time: the feeding side is fast enough when it stays small.
  double waited_seconds() const { return waited_seconds_; }

 private:
  void produce();
  /// The visiting order of `epoch`, made once and kept while a batch of it may still be made.
  std::shared_ptr<const std::vector<std::size_t>> order_of(std::size_t epoch);

  const Dataset& data_;
  const Pipeline* pipeline_;
  BatchOptions options_;
  std::size_t per_epoch_ = 0, total_ = 0;  // batches per epoch, in the whole run
  // Batch s of the run is batch s % per_epoch_ of epoch first_epoch + s / per_epoch_.
  std::size_t claimed_ = 0, delivered_ = 0;
  double waited_seconds_ = 0;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::size_t, Batch<T>> ready_;  // made, not yet delivered, by run position
  std::map<std::size_t, std::shared_ptr<const std::vector<std::size_t>>> orders_;
  bool stop_ = false;
  std::size_t error_at_ = SIZE_MAX;  // run position of the first batch that failed
  std::exception_ptr error_;
  std::vector<std::thread> producers_;
};

/// The inputs of every row with only the pipeline's deterministic stages applied
/// (Pipeline::preprocess): what validation, test and prediction see.
template <class T>
Matrix<T> preprocess_inputs(const Dataset& data, const Pipeline* pipeline);

/// The target matrix in T.
template <class T>
Matrix<T> target_matrix(const Dataset& data);

}  // namespace augment::trainer
