// fit(): the training loop of one network. train(): a whole config (data, splits, pipeline,
// network or transfer, ensemble members, evaluation, output folder).
#include "augment/trainer/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
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
#include "non_finite.hpp"
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
  batch_options.producers = o.producers;
  batch_options.target_noise = o.target_noise;
  batch_options.before_batch = o.before_batch;
  std::optional<BatchStream<T>> stream;
  stream.emplace(train_data, pipeline, batch_options);

  FitResult result;
  auto& heads = network.heads();
  std::vector<Matrix<T>> grads(heads.size());
  std::vector<const Matrix<T>*> grad_pointers(heads.size());
  std::vector<double> loss_sum(heads.size(), 0), correct(heads.size(), 0), batch_loss(heads.size(), 0);
  double rows_seen = 0, lr = base_lr;
  std::uint64_t step = 0;
  const std::string member_label = members > 1 ? "member " + std::to_string(member + 1) + ": " : "";
  const bool skip_bad = o.on_non_finite == NonFinite::skip_batch;
  // skip_batch: batch norm's running statistics as they were before a skipped batch's forward.
  const auto buffers = network.buffers();
  std::vector<Matrix<T>> saved_buffers(skip_bad ? buffers.size() : 0);
  std::string last_skip;
  auto epoch_start = std::chrono::steady_clock::now();
  while (auto batch = stream->next()) {
    const std::size_t epoch = batch->epoch;
    const auto where = [&] {
      return member_label + "training stopped at epoch " + std::to_string(epoch) + ", batch " +
             std::to_string(batch->index + 1) + " of " + std::to_string(stream->batches_per_epoch()) + ": ";
    };
    for (std::size_t i = 0; i < saved_buffers.size(); ++i) saved_buffers[i] = *buffers[i].second;
    weight_noise.add(params, step);
    Rng rng = Rng::derive(o.seed, "augment.trainer.dropout", step, 0);
    const Rng step_rng = rng;  // to replay this forward pass when looking for a non-finite value
    const auto& outputs = network.forward(batch->inputs, Phase::train, rng);
    const auto n = static_cast<double>(batch->inputs.rows());
    bool finite_loss = true;
    for (std::size_t h = 0; h < heads.size(); ++h) {
      const auto cols = batch->targets.middleCols(static_cast<Eigen::Index>(heads[h].target_offset),
                                                  static_cast<Eigen::Index>(heads[h].target_size));
      batch_loss[h] = static_cast<double>(loss<T>(heads[h].loss, *outputs[h], cols, &grads[h]));
      finite_loss = finite_loss && std::isfinite(batch_loss[h]);
      if (heads[h].weight != 1) grads[h] *= static_cast<T>(heads[h].weight);
      grad_pointers[h] = &grads[h];
    }
    // The loss is checked every batch (a scalar per head); only a bad one pays for the search.
    std::string problem;
    if (!finite_loss) {
      problem = detail::explain_non_finite_loss(network, batch->inputs, batch->targets, Phase::train, step_rng);
      weight_noise.remove(params);
    } else {
      // Zeroed here rather than before the forward pass: until now the gradients were the last
      // step's, which a search for a parameter made non-finite could still read.
      for (Parameter<T>* p : params) p->grad.setZero(p->value.rows(), p->value.cols());
      network.backward(grad_pointers);
      weight_noise.remove(params);
      add_penalty_gradients(params);
      if (const Parameter<T>* p = detail::first_non_finite_grad(params))
        problem = "the gradient of " + p->name + " is not finite";
    }
    if (!problem.empty()) {
      if (!skip_bad) {
        // A hint for what usually causes it: bad data, or a step too large for the model.
        const bool data = problem.starts_with("the input") || problem.starts_with("the target");
        const bool loaded = problem.starts_with("parameter");  // finite after every update: came so
        throw DataError(where() + problem +
                        (data     ? " (check the data and the pipeline)"
                         : loaded ? ""
                                  : " (a lower optimizer.lr or a clip.norm may help; \"on_non_finite\": \"skip_batch\" "
                                    "skips such batches)"));
      }
      for (std::size_t i = 0; i < saved_buffers.size(); ++i) *buffers[i].second = saved_buffers[i];
      frozen_buffers.restore();
      ++result.skipped_batches;
      last_skip = problem;
      if (callbacks.on_message)
        callbacks.on_message(member_label + "epoch " + std::to_string(epoch) + ", batch " +
                             std::to_string(batch->index + 1) + " skipped: " + problem);
    } else {
      for (std::size_t h = 0; h < heads.size(); ++h) loss_sum[h] += n * batch_loss[h];
      count_correct(network, outputs, batch->targets, correct);
      if (o.clip_value > 0) clip_grad_value(params, o.clip_value);
      if (o.clip_norm > 0) clip_grad_norm(params, o.clip_norm);
      lr = schedule.lr(static_cast<std::int64_t>(step), static_cast<std::int64_t>(epoch - 1));
      optimizer->step(params, lr);
      apply_max_norm(params);
      frozen_buffers.restore();
      rows_seen += n;
      // An update cannot be skipped once made (the optimizer's state moved too): always stop.
      if (const Parameter<T>* p = detail::first_non_finite_value(params))
        throw DataError(where() + "the update made parameter " + p->name + " non-finite (learning rate " +
                        short_number(lr) + "; a lower optimizer.lr or a clip.norm may help)");
    }
    ++step;
    if (!batch->last_in_epoch) continue;

    // End of an epoch: scores, the log, early stopping.
    if (rows_seen == 0)
      throw DataError(member_label + "training stopped at epoch " + std::to_string(epoch) +
                      ": every batch was skipped (\"on_non_finite\": \"skip_batch\"); the last: " + last_skip);
    Metrics metrics;
    put_training_metrics(metrics, network, loss_sum, correct, rows_seen);
    if (validation) {
      const Metrics v = evaluate(network, val_inputs, val_targets, "val_");
      for (const auto& [name, value] : v.values) metrics.set(name, value);
    }
    metrics.set("lr", lr);
    // Training metrics are finite by now; a validation score may not be (rows the network
    // overflows on). Stopped before it reaches the log, so metrics.csv holds numbers only.
    for (const auto& [name, value] : metrics.values)
      if (!std::isfinite(value))
        throw DataError(member_label + "training stopped at epoch " + std::to_string(epoch) + ": " + name +
                        " is not finite (" + short_number(value) + ")" +
                        (name.starts_with("val_") ? ": the network overflows on the validation rows" : ""));
    // Parameters are checked after every update; buffers (batch norm's running statistics) here.
    if (const std::string bad = detail::first_non_finite_tensor(network); !bad.empty())
      throw DataError(member_label + "training stopped at the end of epoch " + std::to_string(epoch) + ": " + bad +
                      " is not finite");
    result.history.push_back({epoch, metrics});
    result.epochs_run = epoch;
    log.add(epoch, metrics);
    if (o.checkpoint_every > 0 && epoch % o.checkpoint_every == 0 && !o.checkpoint_folder.empty()) {
      char name[32];
      std::snprintf(name, sizeof name, "epoch-%04zu.ckpt", epoch);
      detail::make_output_folder(o.checkpoint_folder);
      nlohmann::json metadata = o.checkpoint_metadata;
      if (metadata.is_object()) metadata["training"]["epoch"] = epoch;
      save_checkpoint(o.checkpoint_folder / name, network, metadata);
    }
    if (callbacks.on_epoch)
      callbacks.on_epoch({member, members, epoch, o.epochs, metrics, seconds_since(epoch_start)});
    std::fill(loss_sum.begin(), loss_sum.end(), 0);
    std::fill(correct.begin(), correct.end(), 0);
    rows_seen = 0;
    epoch_start = std::chrono::steady_clock::now();
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
  result.data_wait_seconds = stream->waited_seconds();
  stream.reset();  // stops the producer threads before anything else uses the pipeline
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
  // Nothing non-finite leaves fit(): not the restored weights, not the population statistics.
  if (const std::string bad = detail::first_non_finite_tensor(network); !bad.empty())
    throw DataError(member_label + "after training, " + bad + " is not finite");
  result.seconds = seconds_since(start);
  return result;
}

template FitResult fit<float>(Network<float>&, const Dataset&, const Pipeline*, const Dataset*, const FitOptions&,
                              const TrainCallbacks&, std::size_t, std::size_t);
template FitResult fit<double>(Network<double>&, const Dataset&, const Pipeline*, const Dataset*, const FitOptions&,
                               const TrainCallbacks&, std::size_t, std::size_t);

TrainResult train(const TrainConfig& config, const TrainCallbacks& callbacks) {
  const auto start = std::chrono::steady_clock::now();
  detail::refuse_overwriting_inputs(config);  // before anything is read or written
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
  detail::prepare_samples(splits, pipe);

  // The first member's network is built before anything is written: a model that cannot be
  // built, or is too large, leaves no output folder behind.
  std::optional<Network<float>> first =
      detail::build_network(config, splits.train, member_seed(config.fit.seed, 0, config.ensemble.vary_seed));
  detail::check_monitor(config, *first, splits.validation.has_value());
  {
    // The largest batch forwarded: a training batch, or an evaluation chunk of up to 1024 rows.
    const std::size_t largest_split = std::max({result.train_rows, result.validation_rows, result.test_rows});
    const std::size_t rows = std::max(std::min(config.fit.batch_size, result.train_rows),
                                      std::min<std::size_t>(1024, largest_split));
    detail::check_activation_sizes(*first, rows, config.transfer ? "" : "model.");
  }

  if (!config.output.empty()) {
    detail::make_output_folder(config.output);
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
    Network<float> network = m == 0 ? std::move(*first) : detail::build_network(config, splits.train, seed);
    first.reset();
    const Dataset member_train = config.ensemble.bootstrap
                                     ? splits.train.subset(bootstrap_rows(splits.train.rows(), config.fit.seed, m))
                                     : Dataset();
    const Dataset& rows = config.ensemble.bootstrap ? member_train : splits.train;

    FitOptions options = config.fit;
    options.seed = seed;
    std::filesystem::path folder;
    if (!config.output.empty()) {
      folder = members == 1 ? config.output : config.output / ("member-" + std::to_string(m + 1));
      detail::make_output_folder(folder);
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
    detail::refuse_non_finite_scores(r, m, members);
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
