// fit(): the training loop of one network. train(): a whole config (data, splits, pipeline,
// network or transfer, ensemble members, evaluation, output folder).
#include "augment/trainer/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>

#include "augment/core/atomic_file.hpp"
#include "augment/core/error.hpp"
#include "augment/trainer/batches.hpp"
#include "augment/trainer/checkpoint.hpp"
#include "augment/trainer/clip.hpp"
#include "augment/trainer/ensemble.hpp"
#include "augment/trainer/evaluate.hpp"
#include "augment/trainer/optimizer.hpp"
#include "augment/trainer/penalties.hpp"
#include "augment/trainer/schedule.hpp"
#include "augment/trainer/transfer.hpp"
#include "augment/trainer/weight_noise.hpp"
#include "trainer_setup.hpp"

namespace augment::trainer {
namespace {

std::string short_number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The buffers of layers whose parameters are all frozen (batch norm's running statistics): put
// back after every step, so a frozen layer stays as loaded, buffers included.
template <class T>
class FrozenBuffers {
 public:
  explicit FrozenBuffers(Network<T>& network) {
    const auto take = [&](std::vector<std::unique_ptr<Layer<T>>>& layers) {
      for (auto& layer : layers) {
        const auto params = layer->parameters();
        if (params.empty() || layer->has_trainable_parameters()) continue;
        for (auto& [name, m] : layer->buffers()) saved_.emplace_back(m, *m);
      }
    };
    take(network.trunk());
    for (auto& head : network.heads()) take(head.layers);
  }
  void restore() {
    for (auto& [m, value] : saved_) *m = value;
  }

 private:
  std::vector<std::pair<Matrix<T>*, Matrix<T>>> saved_;
};

// Layers' own penalties win; the config's apply to weights whose layer set none.
template <class T>
void apply_default_penalties(const std::vector<Parameter<T>*>& parameters, const Penalties& defaults) {
  for (Parameter<T>* p : parameters) {
    if (p->is_bias) continue;
    if (p->penalties.l1 == 0 && p->penalties.l2 == 0 && p->penalties.max_norm == 0) p->penalties = defaults;
  }
}

// Metric names: "loss"/"accuracy" for one head, "<head>_loss"/"<head>_accuracy" for several.
template <class T>
void put_training_metrics(Metrics& m, Network<T>& network, const std::vector<double>& loss_sum,
                          const std::vector<double>& correct, double rows) {
  auto& heads = network.heads();
  double total = 0;
  for (std::size_t h = 0; h < heads.size(); ++h) total += heads[h].weight * loss_sum[h] / rows;
  m.set("loss", total);
  for (std::size_t h = 0; h < heads.size(); ++h) {
    const std::string name = heads.size() == 1 ? "" : heads[h].name + "_";
    if (heads.size() > 1) m.set(name + "loss", loss_sum[h] / rows);
    if (has_accuracy(heads[h])) m.set(name + "accuracy", correct[h] / rows);
  }
}

}  // namespace

template <class T>
FitResult fit(Network<T>& network, const Dataset& train_data, const Pipeline* pipeline, const Dataset* validation,
              const FitOptions& o, const TrainCallbacks& callbacks, std::size_t member, std::size_t members) {
  const auto start = std::chrono::steady_clock::now();
  const auto params = network.parameters();
  apply_default_penalties(params, o.penalties);
  auto optimizer = make_optimizer<T>(o.optimizer);
  const double base_lr = optimizer->config().value("lr", 0.01);
  const Schedule schedule = o.schedule.is_null() ? Schedule(base_lr) : Schedule::from_json(o.schedule, base_lr);
  if (train_data.target_width() < network.target_columns())
    throw SpecError("model: the heads read " + std::to_string(network.target_columns()) +
                    " target columns, the data has " + std::to_string(train_data.target_width()));

  Matrix<T> val_inputs, val_targets;
  if (validation) {
    val_inputs = preprocess_inputs<T>(*validation, pipeline);
    val_targets = target_matrix<T>(*validation);
  }
  std::optional<EarlyStopping> stopping;
  if (o.early_stopping) stopping.emplace(*o.early_stopping);
  WeightSnapshot<T> best;
  MetricsLog log(o.metrics_csv, o.curves_png, o.title);
  WeightNoise<T> weight_noise(o.weight_noise, o.seed);
  FrozenBuffers<T> frozen_buffers(network);

  BatchOptions batch_options;
  batch_options.batch_size = o.batch_size;
  batch_options.drop_last = o.drop_last;
  batch_options.seed = o.seed;
  batch_options.shuffle = o.shuffle;
  batch_options.first_epoch = 1;
  batch_options.last_epoch = o.epochs;
  batch_options.prefetch = o.prefetch;
  batch_options.target_noise = o.target_noise;
  batch_options.before_batch = o.before_batch;
  std::optional<BatchStream<T>> stream;
  stream.emplace(train_data, pipeline, batch_options);

  FitResult result;
  auto& heads = network.heads();
  std::vector<Matrix<T>> grads(heads.size());
  std::vector<const Matrix<T>*> grad_pointers(heads.size());
  std::vector<double> loss_sum(heads.size(), 0), correct(heads.size(), 0);
  double rows_seen = 0, lr = base_lr;
  std::uint64_t step = 0;
  auto epoch_start = std::chrono::steady_clock::now();
  while (auto batch = stream->next()) {
    const std::size_t epoch = batch->epoch;
    for (Parameter<T>* p : params) p->grad.setZero(p->value.rows(), p->value.cols());
    weight_noise.add(params, step);
    Rng rng = Rng::derive(o.seed, "augment.trainer.dropout", step, 0);
    const auto& outputs = network.forward(batch->inputs, Phase::train, rng);
    const auto n = static_cast<double>(batch->inputs.rows());
    for (std::size_t h = 0; h < heads.size(); ++h) {
      const auto cols = batch->targets.middleCols(static_cast<Eigen::Index>(heads[h].target_offset),
                                                  static_cast<Eigen::Index>(heads[h].target_size));
      loss_sum[h] += n * static_cast<double>(loss<T>(heads[h].loss, *outputs[h], cols, &grads[h]));
      if (heads[h].weight != 1) grads[h] *= static_cast<T>(heads[h].weight);
      grad_pointers[h] = &grads[h];
    }
    count_correct(network, outputs, batch->targets, correct);
    network.backward(grad_pointers);
    weight_noise.remove(params);
    add_penalty_gradients(params);
    if (o.clip_value > 0) clip_grad_value(params, o.clip_value);
    if (o.clip_norm > 0) clip_grad_norm(params, o.clip_norm);
    lr = schedule.lr(static_cast<std::int64_t>(step), static_cast<std::int64_t>(epoch - 1));
    optimizer->step(params, lr);
    apply_max_norm(params);
    frozen_buffers.restore();
    ++step;
    rows_seen += n;
    if (!batch->last_in_epoch) continue;

    // End of an epoch: scores, the log, early stopping.
    Metrics metrics;
    put_training_metrics(metrics, network, loss_sum, correct, rows_seen);
    if (validation) {
      const Metrics v = evaluate(network, val_inputs, val_targets, "val_");
      for (const auto& [name, value] : v.values) metrics.set(name, value);
    }
    metrics.set("lr", lr);
    result.history.push_back({epoch, metrics});
    result.epochs_run = epoch;
    log.add(epoch, metrics);
    if (callbacks.on_epoch)
      callbacks.on_epoch({member, members, epoch, o.epochs, metrics, seconds_since(epoch_start)});
    std::fill(loss_sum.begin(), loss_sum.end(), 0);
    std::fill(correct.begin(), correct.end(), 0);
    rows_seen = 0;
    epoch_start = std::chrono::steady_clock::now();
    if (o.checkpoint_every > 0 && epoch % o.checkpoint_every == 0 && !o.checkpoint_folder.empty()) {
      char name[32];
      std::snprintf(name, sizeof name, "epoch-%04zu.ckpt", epoch);
      std::filesystem::create_directories(o.checkpoint_folder);
      nlohmann::json metadata = o.checkpoint_metadata;
      if (metadata.is_object()) metadata["training"]["epoch"] = epoch;
      save_checkpoint(o.checkpoint_folder / name, network, metadata);
    }
    if (!std::isfinite(*metrics.get("loss"))) {
      if (callbacks.on_message) callbacks.on_message("the training loss is not finite at epoch " + std::to_string(epoch) + "; stopping");
      result.stopped_epoch = epoch;
      break;
    }
    if (stopping) {
      const auto decision = stopping->update(epoch, metrics.get(stopping->options().monitor));
      if (decision.snapshot) best = snapshot_weights(network);
      if (decision.stop) {
        result.stopped_epoch = epoch;
        if (callbacks.on_message)
          callbacks.on_message("early stopping at epoch " + std::to_string(epoch) + ": " + stopping->options().monitor +
                               " has not improved since epoch " + std::to_string(stopping->best_epoch()));
        break;
      }
    }
  }
  stream.reset();  // stops the producer thread before anything else uses the pipeline
  if (stopping) {
    result.best_epoch = stopping->best_epoch();
    if (stopping->has_snapshot()) {
      restore_weights(network, best);
      result.restored = true;
      if (callbacks.on_message)
        callbacks.on_message("restored the weights of epoch " + std::to_string(stopping->best_epoch()) + " (" +
                             stopping->options().monitor + " " + short_number(stopping->best()) + ")");
    }
  }
  if (network.needs_population_pass()) {
    // Batch norm's exact population statistics over the training rows, as the model now is.
    const Matrix<T> inputs = preprocess_inputs<T>(train_data, pipeline);
    network.begin_population_pass();
    Rng unused(0);
    for (Eigen::Index begin = 0; begin < inputs.rows(); begin += static_cast<Eigen::Index>(o.batch_size)) {
      const Eigen::Index n = std::min<Eigen::Index>(static_cast<Eigen::Index>(o.batch_size), inputs.rows() - begin);
      const Matrix<T> part = inputs.middleRows(begin, n);
      network.forward(part, Phase::infer, unused);
    }
    network.finish_population_pass();
  }
  result.seconds = seconds_since(start);
  return result;
}

template FitResult fit<float>(Network<float>&, const Dataset&, const Pipeline*, const Dataset*, const FitOptions&,
                              const TrainCallbacks&, std::size_t, std::size_t);
template FitResult fit<double>(Network<double>&, const Dataset&, const Pipeline*, const Dataset*, const FitOptions&,
                               const TrainCallbacks&, std::size_t, std::size_t);

TrainResult train(const TrainConfig& config, const TrainCallbacks& callbacks) {
  const auto start = std::chrono::steady_clock::now();
  detail::Splits splits = detail::read_splits(config);
  TrainResult result;
  result.targets = splits.train.targets();
  result.features = splits.train.feature_names();
  result.train_rows = splits.train.rows();
  result.validation_rows = splits.validation ? splits.validation->rows() : 0;
  result.test_rows = splits.test ? splits.test->rows() : 0;

  std::optional<Pipeline> pipeline = detail::fitted_pipeline(config, splits.train);
  if (pipeline) result.pipeline = pipeline->to_json();
  const Pipeline* pipe = pipeline ? &*pipeline : nullptr;

  if (!config.output.empty()) {
    std::filesystem::create_directories(config.output);
    detail::write_json(config.output / "config.json", config.source);
    if (pipeline) pipeline->save(config.output / "pipeline.json");
  }
  Matrix<float> val_inputs, val_targets, test_inputs, test_targets;
  if (splits.validation) {
    val_inputs = preprocess_inputs<float>(*splits.validation, pipe);
    val_targets = target_matrix<float>(*splits.validation);
  }
  if (splits.test) {
    test_inputs = preprocess_inputs<float>(*splits.test, pipe);
    test_targets = target_matrix<float>(*splits.test);
  }

  const std::size_t members = config.ensemble.members;
  std::vector<std::string> checkpoints;
  for (std::size_t m = 0; m < members; ++m) {
    const std::uint64_t seed = member_seed(config.fit.seed, m, config.ensemble.vary_seed);
    Network<float> network = detail::build_network(config, splits.train, seed);
    if (m == 0) detail::check_monitor(config, network, splits.validation.has_value());
    const Dataset member_train = config.ensemble.bootstrap
                                     ? splits.train.subset(bootstrap_rows(splits.train.rows(), config.fit.seed, m))
                                     : Dataset();
    const Dataset& rows = config.ensemble.bootstrap ? member_train : splits.train;

    FitOptions options = config.fit;
    options.seed = seed;
    std::filesystem::path folder;
    if (!config.output.empty()) {
      folder = members == 1 ? config.output : config.output / ("member-" + std::to_string(m + 1));
      std::filesystem::create_directories(folder);
      options.metrics_csv = folder / "metrics.csv";
      options.curves_png = folder / "curves.png";
      options.checkpoint_folder = folder / "checkpoints";
      options.checkpoint_metadata = detail::checkpoint_metadata(result, seed, m, nullptr);
    }
    if (members > 1) options.title = (config.name.empty() ? "" : config.name + ": ") + "member " + std::to_string(m + 1);

    MemberResult r{std::move(network), {}, {}, {}, {}};
    r.fit = fit(r.network, rows, pipe, splits.validation ? &*splits.validation : nullptr, options, callbacks, m, members);
    if (splits.validation) r.validation = evaluate(r.network, val_inputs, val_targets, "val_");
    if (splits.test) r.test = evaluate(r.network, test_inputs, test_targets, "test_");
    if (!folder.empty()) {
      r.checkpoint = folder / "model.ckpt";
      save_checkpoint(r.checkpoint, r.network, detail::checkpoint_metadata(result, seed, m, &r.fit));
      checkpoints.push_back(std::filesystem::relative(r.checkpoint, config.output).generic_string());
    }
    result.members.push_back(std::move(r));
  }
  if (members > 1) {
    std::vector<Network<float>*> nets;
    for (auto& r : result.members) nets.push_back(&r.network);
    if (splits.validation)
      result.ensemble_validation = score_predictions(*nets.front(), ensemble_predict(nets, val_inputs), val_targets, "val_");
    if (splits.test)
      result.ensemble_test = score_predictions(*nets.front(), ensemble_predict(nets, test_inputs), test_targets, "test_");
    if (!config.output.empty()) save_ensemble_index(config.output / "ensemble.json", checkpoints);
  }
  result.seconds = seconds_since(start);
  if (!config.output.empty()) detail::write_json(config.output / "summary.json", detail::summary_json(config, result));
  return result;
}

}  // namespace augment::trainer
