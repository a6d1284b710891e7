#pragma once
// Mini-batches for training, augmented on the fly. A producer thread walks the epochs: it
// shuffles the training rows (seeded), runs each row through the feature pipeline and makes the
// batch's input and target matrices, while the model trains on the batches before; a bounded
// queue (`prefetch` batches) keeps it at most that far ahead.
//
// Results never depend on timing: what a batch holds is a function of (seed, epoch, position)
// alone. The order of epoch e is a Fisher–Yates shuffle drawing from
// Rng::derive(seed, "augment.trainer.shuffle", 0, e); row r's augmentation in epoch e draws from
// Rng::derive(seed, key_r, e − 1, 0) — the stream `augment run --seed S --copies E` uses for
// copy e − 1 of that row, so epoch e sees exactly that copy — and target noise from a fork of it.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
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
  /// Batches the producer thread prepares ahead. 0: no thread; next() makes each batch itself.
  std::size_t prefetch = 4;
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

  /// The next batch, waiting for the producer if needed; nullopt after the last epoch's last
  /// batch. An exception thrown while making a batch is rethrown here.
  std::optional<Batch<T>> next();
  std::size_t batches_per_epoch() const;

 private:
  void produce();
  std::optional<Batch<T>> make_next();

  const Dataset& data_;
  const Pipeline* pipeline_;
  BatchOptions options_;
  // Position of the next batch to make.
  std::size_t epoch_, index_ = 0;
  std::vector<std::size_t> order_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Batch<T>> queue_;
  bool done_ = false, stop_ = false;
  std::exception_ptr error_;
  std::thread producer_;
};

/// The inputs of every row with only the pipeline's deterministic stages applied
/// (Pipeline::preprocess): what validation, test and prediction see.
template <class T>
Matrix<T> preprocess_inputs(const Dataset& data, const Pipeline* pipeline);

/// The target matrix in T.
template <class T>
Matrix<T> target_matrix(const Dataset& data);

}  // namespace augment::trainer
