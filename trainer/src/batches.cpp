#include "augment/trainer/batches.hpp"

#include <algorithm>
#include <chrono>

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
    : data_(data), pipeline_(pipeline), options_(std::move(options)) {
  if (options_.batch_size == 0) throw UsageError("batch size must be at least 1");
  if (data_.rows() == 0) throw UsageError("no training rows");
  if (options_.drop_last && data_.rows() < options_.batch_size)
    throw UsageError("drop_last with " + std::to_string(data_.rows()) + " training rows and batches of " +
                     std::to_string(options_.batch_size) + " leaves no batch");
  per_epoch_ = batches_per_epoch();
  const std::size_t epochs = options_.last_epoch >= options_.first_epoch ? options_.last_epoch - options_.first_epoch + 1 : 0;
  total_ = epochs * per_epoch_;
  if (options_.prefetch > 0)
    for (std::size_t i = 0; i < std::max<std::size_t>(options_.producers, 1); ++i) producers_.emplace_back([this] { produce(); });
}

template <class T>
BatchStream<T>::~BatchStream() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  for (auto& producer : producers_) producer.join();
}

template <class T>
std::size_t BatchStream<T>::batches_per_epoch() const {
  return options_.drop_last ? data_.rows() / options_.batch_size : batch_count(data_.rows(), options_.batch_size);
}

template <class T>
std::shared_ptr<const std::vector<std::size_t>> BatchStream<T>::order_of(std::size_t epoch) {
  auto& order = orders_[epoch];
  if (!order) {
    auto made = std::make_shared<std::vector<std::size_t>>(epoch_order(data_.rows(), options_.seed, epoch, options_.shuffle));
    if (options_.drop_last) made->resize(made->size() / options_.batch_size * options_.batch_size);
    order = std::move(made);
  }
  // Orders of epochs wholly delivered are done with.
  orders_.erase(orders_.begin(), orders_.lower_bound(options_.first_epoch + delivered_ / per_epoch_));
  return orders_.at(epoch);
}

template <class T>
void BatchStream<T>::produce() {
  for (;;) {
    std::size_t position = 0;
    std::shared_ptr<const std::vector<std::size_t>> order;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stop_ || error_ || claimed_ >= total_ || claimed_ < delivered_ + options_.prefetch; });
      if (stop_ || error_ || claimed_ >= total_) return;
      position = claimed_++;
      order = order_of(options_.first_epoch + position / per_epoch_);
    }
    const std::size_t epoch = options_.first_epoch + position / per_epoch_, index = position % per_epoch_;
    try {
      if (options_.before_batch) options_.before_batch(epoch, index);
      Batch<T> batch = make_batch<T>(data_, pipeline_, options_, *order, epoch, index);  // unlocked: others work meanwhile
      std::lock_guard lock(mutex_);
      ready_.emplace(position, std::move(batch));
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (position < error_at_) {
        error_at_ = position;
        error_ = std::current_exception();
      }
    }
    changed_.notify_all();
  }
}

template <class T>
std::optional<Batch<T>> BatchStream<T>::next() {
  const auto start = std::chrono::steady_clock::now();
  const auto waited = [&] { waited_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  if (delivered_ >= total_) return std::nullopt;
  if (producers_.empty()) {
    const std::size_t epoch = options_.first_epoch + delivered_ / per_epoch_, index = delivered_ % per_epoch_;
    const auto order = order_of(epoch);
    if (options_.before_batch) options_.before_batch(epoch, index);
    Batch<T> batch = make_batch<T>(data_, pipeline_, options_, *order, epoch, index);
    ++delivered_;
    waited();
    return batch;
  }
  std::unique_lock lock(mutex_);
  // A batch after a failed one may be ready: the failure comes first, as without producers.
  changed_.wait(lock, [&] { return error_at_ <= delivered_ || ready_.contains(delivered_); });
  waited();
  if (error_at_ <= delivered_) std::rethrow_exception(error_);
  auto node = ready_.extract(delivered_);
  ++delivered_;
  lock.unlock();
  changed_.notify_all();
  return std::move(node.mapped());
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
