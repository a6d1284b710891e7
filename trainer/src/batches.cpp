#include "augment/trainer/batches.hpp"

#include <algorithm>

#include "augment/core/error.hpp"
#include "augment/core/tensor.hpp"
#include "augment/features/feature_vector.hpp"

namespace augment::trainer {
namespace {

std::size_t batch_count(std::size_t rows, std::size_t batch_size) { return (rows + batch_size - 1) / batch_size; }

// One row's features through the pipeline, into row `i` of `inputs`.
template <class T>
void put_features(Matrix<T>& inputs, Eigen::Index i, const std::vector<double>& values, const Dataset& data,
                  std::size_t row) {
  if (static_cast<Eigen::Index>(values.size()) != inputs.cols())
    throw UsageError(data.name() + ":" + std::to_string(data.line(row)) + ": the pipeline changed the number of features from " +
                     std::to_string(inputs.cols()) + " to " + std::to_string(values.size()));
  for (Eigen::Index j = 0; j < inputs.cols(); ++j) inputs(i, j) = static_cast<T>(values[static_cast<std::size_t>(j)]);
}

// A dataset row's input after the pipeline: a tensor's values or a features row, checked
// against the width the network takes.
template <class T>
void put_sample(Matrix<T>& inputs, Eigen::Index i, const Sample& sample, const Dataset& data, std::size_t row) {
  const auto width = static_cast<std::size_t>(inputs.cols());
  const auto fail = [&](const std::string& what) {
    throw DataError(data.name() + "/" + data.key(row) + ": " + what + "; the first gave " + shape_text(data.input_shape()));
  };
  if (sample.kind() == Kind::tensor) {
    const Tensor& t = tensor_of(sample);
    if (t.values.size() != width) fail("the pipeline gave a tensor of shape " + t.shape_text());
    for (std::size_t j = 0; j < width; ++j) inputs(i, static_cast<Eigen::Index>(j)) = static_cast<T>(t.values[j]);
  } else if (sample.kind() == Kind::features) {
    const auto& values = features::values_of(sample);
    if (values.size() != width) fail("the pipeline gave " + std::to_string(values.size()) + " features");
    for (std::size_t j = 0; j < width; ++j) inputs(i, static_cast<Eigen::Index>(j)) = static_cast<T>(values[j]);
  } else {
    fail(std::string("the pipeline gave a ") + std::string(to_string(sample.kind())) + " sample, not a tensor");
  }
}

}  // namespace

std::vector<std::size_t> epoch_order(std::size_t n, std::uint64_t seed, std::size_t epoch, bool shuffle) {
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  if (!shuffle || n < 2) return order;
  Rng rng = Rng::derive(seed, "augment.trainer.shuffle", 0, epoch);
  for (std::size_t i = n - 1; i > 0; --i) std::swap(order[i], order[rng.index(i + 1)]);  // Fisher–Yates
  return order;
}

template <class T>
Batch<T> make_batch(const Dataset& data, const Pipeline* pipeline, const BatchOptions& options,
                    const std::vector<std::size_t>& order, std::size_t epoch, std::size_t index) {
  const std::size_t begin = index * options.batch_size;
  const std::size_t end = std::min(order.size(), begin + options.batch_size);
  Batch<T> batch;
  batch.epoch = epoch;
  batch.index = index;
  batch.last_in_epoch = end == order.size();
  const auto rows = static_cast<Eigen::Index>(end - begin);
  batch.inputs.resize(rows, static_cast<Eigen::Index>(data.feature_count()));
  batch.targets.resize(rows, static_cast<Eigen::Index>(data.target_width()));
  for (std::size_t k = begin; k < end; ++k) {
    const std::size_t row = order[k];
    const auto i = static_cast<Eigen::Index>(k - begin);
    const Rng rng = Rng::derive(options.seed, data.key(row), epoch - 1, 0);
    if (data.has_samples()) {
      Sample sample = data.sample(row);  // images copy on write: the kept one is never changed
      if (pipeline) pipeline->run_from(sample, rng, data.applied_stages());
      put_sample(batch.inputs, i, sample, data, row);
    } else if (pipeline) {
      Sample sample = features::make_sample(data.features(row));
      pipeline->run(sample, rng);
      put_features(batch.inputs, i, features::values_of(sample), data, row);
    } else {
      put_features(batch.inputs, i, data.features(row), data, row);
    }
    batch.targets.row(i) = data.target_row(row).template cast<T>();
    if (options.target_noise.active()) {
      Rng noise = rng.fork(kTargetNoiseStream);
      apply_target_noise(options.target_noise, data.targets(), batch.targets.row(i), noise);
    }
  }
  return batch;
}

template <class T>
BatchStream<T>::BatchStream(const Dataset& data, const Pipeline* pipeline, BatchOptions options)
    : data_(data), pipeline_(pipeline), options_(std::move(options)), epoch_(options_.first_epoch) {
  if (options_.batch_size == 0) throw UsageError("batch size must be at least 1");
  if (data_.rows() == 0) throw UsageError("no training rows");
  if (options_.drop_last && data_.rows() < options_.batch_size)
    throw UsageError("drop_last with " + std::to_string(data_.rows()) + " training rows and batches of " +
                     std::to_string(options_.batch_size) + " leaves no batch");
  if (options_.prefetch > 0) producer_ = std::thread([this] { produce(); });
}

template <class T>
BatchStream<T>::~BatchStream() {
  if (producer_.joinable()) {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    producer_.join();
  }
}

template <class T>
std::size_t BatchStream<T>::batches_per_epoch() const {
  return options_.drop_last ? data_.rows() / options_.batch_size : batch_count(data_.rows(), options_.batch_size);
}

template <class T>
std::optional<Batch<T>> BatchStream<T>::make_next() {
  if (epoch_ > options_.last_epoch) return std::nullopt;
  if (index_ == 0) {
    order_ = epoch_order(data_.rows(), options_.seed, epoch_, options_.shuffle);
    if (options_.drop_last) order_.resize(order_.size() / options_.batch_size * options_.batch_size);
  }
  if (options_.before_batch) options_.before_batch(epoch_, index_);
  Batch<T> batch = make_batch<T>(data_, pipeline_, options_, order_, epoch_, index_);
  if (batch.last_in_epoch) {
    ++epoch_;
    index_ = 0;
  } else {
    ++index_;
  }
  return batch;
}

template <class T>
void BatchStream<T>::produce() {
  try {
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return stop_ || queue_.size() < options_.prefetch; });
        if (stop_) return;
      }
      std::optional<Batch<T>> batch = make_next();  // outside the lock: the trainer runs meanwhile
      std::lock_guard lock(mutex_);
      if (!batch) {
        done_ = true;
        changed_.notify_all();
        return;
      }
      queue_.push_back(std::move(*batch));
      changed_.notify_all();
    }
  } catch (...) {
    std::lock_guard lock(mutex_);
    error_ = std::current_exception();
    done_ = true;
    changed_.notify_all();
  }
}

template <class T>
std::optional<Batch<T>> BatchStream<T>::next() {
  if (!producer_.joinable()) return make_next();
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !queue_.empty() || done_; });
  if (queue_.empty()) {
    if (error_) std::rethrow_exception(error_);
    return std::nullopt;
  }
  Batch<T> batch = std::move(queue_.front());
  queue_.pop_front();
  changed_.notify_all();
  return batch;
}

template <class T>
Matrix<T> preprocess_inputs(const Dataset& data, const Pipeline* pipeline) {
  Matrix<T> inputs(static_cast<Eigen::Index>(data.rows()), static_cast<Eigen::Index>(data.feature_count()));
  for (std::size_t row = 0; row < data.rows(); ++row) {
    if (data.has_samples()) {
      Sample sample = data.sample(row);
      if (pipeline) pipeline->preprocess_from(sample, data.applied_stages());
      put_sample(inputs, static_cast<Eigen::Index>(row), sample, data, row);
    } else if (pipeline) {
      Sample sample = features::make_sample(data.features(row));
      pipeline->preprocess(sample);
      put_features(inputs, static_cast<Eigen::Index>(row), features::values_of(sample), data, row);
    } else {
      put_features(inputs, static_cast<Eigen::Index>(row), data.features(row), data, row);
    }
  }
  return inputs;
}

template <class T>
Matrix<T> target_matrix(const Dataset& data) {
  return data.target_matrix().template cast<T>();
}

#define AUGMENT_INSTANTIATE(T)                                                                                   \
  template Batch<T> make_batch<T>(const Dataset&, const Pipeline*, const BatchOptions&,                       \
                                  const std::vector<std::size_t>&, std::size_t, std::size_t);                  \
  template class BatchStream<T>;                                                                               \
  template Matrix<T> preprocess_inputs<T>(const Dataset&, const Pipeline*);                                    \
  template Matrix<T> target_matrix<T>(const Dataset&);
AUGMENT_INSTANTIATE(float)
AUGMENT_INSTANTIATE(double)
#undef AUGMENT_INSTANTIATE

}  // namespace augment::trainer
