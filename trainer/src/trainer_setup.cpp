#include "trainer_setup.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "augment/core/atomic_file.hpp"
#include "augment/core/error.hpp"
#include "augment/core/paths.hpp"
#include "augment/core/tensor.hpp"
#include "augment/features/feature_vector.hpp"
#include "augment/features/register_transforms.hpp"
#include "augment/trainer/batches.hpp"
#include "augment/trainer/checkpoint.hpp"
#include "augment/trainer/evaluate.hpp"
#include "augment/trainer/transfer.hpp"
#include "size_checks.hpp"
#include "trainer_registry.hpp"

namespace augment::trainer::detail {

const Registry& trainer_registry() {
  static const Registry registry = [] {
    Registry r;
    features::register_transforms(r);
    return r;
  }();
  return registry;
}

const Registry& registry_of(const TrainConfig& config) { return config.registry ? *config.registry : trainer_registry(); }

namespace {

std::string key_of(const std::filesystem::path& file) {
  std::error_code ec;
  const auto canonical = std::filesystem::weakly_canonical(file, ec);
  return (ec ? file : canonical).string();
}

std::string range_text(std::size_t a, std::size_t b) { return "[" + std::to_string(a) + ", " + std::to_string(b) + "]"; }

// Positions of the split's rows in its file.
std::vector<std::size_t> rows_of(const Dataset& d, const SplitSpec& s, const std::string& where) {
  std::size_t first = 1, last = d.rows();
  if (s.first_row != 0) {
    if (s.last_row > d.rows())
      throw SpecError(where + ".rows: " + range_text(s.first_row, s.last_row) + ", but " + d.name() + " has " +
                      std::to_string(d.rows()) + " data rows");
    first = s.first_row;
    last = s.last_row;
  }
  std::vector<std::size_t> rows;
  for (std::size_t r = first; r <= last; ++r) rows.push_back(r - 1);
  return rows;
}

void refuse_overlap(const std::vector<std::size_t>& a, const std::vector<std::size_t>& b, const std::string& a_name,
                    const std::string& b_name) {
  std::vector<std::size_t> common;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
  if (!common.empty())
    throw SpecError(b_name + ": shares " + std::to_string(common.size()) + " rows with " + a_name + " (the first is data row " +
                    std::to_string(common.front() + 1) + "); give each split its own rows");
}

// The label encoding a transfer with kept heads must use: the checkpoint's.
std::vector<TargetColumn> checkpoint_targets(const TrainConfig& config) {
  const nlohmann::json header = read_checkpoint_header(config.transfer->from);
  const std::string name = config.transfer->from.string();
  std::vector<TargetColumn> out;
  const auto& meta = header["metadata"];
  if (!meta.is_object() || !meta.contains("targets") || !meta["targets"].is_array())
    throw DataError(name + ": no target columns in its metadata; give transfer.heads to train new heads");
  for (const auto& t : meta["targets"]) out.push_back(TargetColumn::from_json(t, name));
  return out;
}

std::vector<TargetColumn> encoding_for(const TrainConfig& config) {
  std::vector<TargetColumn> targets = config.data.targets;
  // New heads (transfer.heads, or the model's with transfer.layers) learn the data's own labels.
  if (!config.transfer || !config.transfer->heads.is_null() || config.transfer->layers) return targets;
  const auto saved = checkpoint_targets(config);
  std::string theirs, ours;
  for (const auto& t : saved) theirs += (theirs.empty() ? "" : ", ") + t.column;
  for (const auto& t : targets) ours += (ours.empty() ? "" : ", ") + t.column;
  if (saved.size() != targets.size())
    throw SpecError("data.targets: the checkpoint's heads learned " + theirs + "; these are " + ours +
                    " (give transfer.heads for new targets)");
  for (std::size_t i = 0; i < saved.size(); ++i) {
    if (saved[i].column != targets[i].column || saved[i].type != targets[i].type)
      throw SpecError("data.targets: the checkpoint's heads learned " + theirs + "; these are " + ours +
                      " (give transfer.heads for new targets)");
    targets[i].labels = saved[i].labels;
  }
  return targets;
}

// A head's "targets" given as column names, turned into [first column, count].
nlohmann::json resolve_heads(nlohmann::json heads, const Dataset& data, const std::string& where) {
  if (!heads.is_array()) return heads;
  for (std::size_t i = 0; i < heads.size(); ++i) {
    auto& head = heads[i];
    if (!head.is_object()) continue;
    const std::string at = where + "." + std::to_string(i) + ".targets";
    std::vector<std::string> columns;
    if (head.contains("targets") && head["targets"].is_string()) columns.push_back(head["targets"].get<std::string>());
    if (head.contains("targets") && head["targets"].is_array() && !head["targets"].empty() && head["targets"][0].is_string())
      for (const auto& c : head["targets"]) {
        if (!c.is_string()) throw SpecError(at + ": a list of target column names, got " + head["targets"].dump());
        columns.push_back(c.get<std::string>());
      }
    if (!head.contains("targets") && heads.size() == 1)
      for (const auto& t : data.targets()) columns.push_back(t.column);
    if (columns.empty()) continue;  // [first, count] as given: the network checks it
    std::size_t offset = 0, size = 0;
    for (std::size_t k = 0; k < columns.size(); ++k) {
      const TargetColumn* t = data.target(columns[k]);
      if (!t) {
        std::string known;
        for (const auto& c : data.targets()) known += (known.empty() ? "" : ", ") + c.column;
        throw SpecError(at + ": '" + columns[k] + "' is not a target column (data.targets: " + known + ")");
      }
      if (k == 0) offset = t->offset;
      else if (t->offset != offset + size)
        throw SpecError(at + ": '" + columns[k] + "' does not follow '" + columns[k - 1] +
                        "' in data.targets; list a head's columns side by side there");
      size += t->width();
    }
    head["targets"] = {offset, size};
    // The last dense layer's units default to the columns the head predicts.
    if (head.contains("layers") && head["layers"].is_array() && !head["layers"].empty()) {
      auto& last = head["layers"].back();
      if (last.is_object() && last.value("type", "") == "dense" && !last.contains("units")) last["units"] = size;
    }
  }
  return heads;
}

template <class F>
auto prefixed(const std::string& prefix, F&& f) {
  try {
    return f();
  } catch (const SpecError& e) {
    throw SpecError(prefix + e.what());
  }
}

}  // namespace

Splits read_splits(const TrainConfig& config) {
  const DataConfig& d = config.data;
  // Feature columns: the config's, else the pipeline's "columns", else the numeric ones.
  std::vector<std::string> features = d.features;
  if (features.empty() && config.pipeline.is_object() && config.pipeline.contains("columns")) {
    const auto& columns = config.pipeline["columns"];
    if (!columns.is_array()) throw SpecError("pipeline: \"columns\" must be a list of column names, got " + columns.dump());
    for (const auto& c : columns) {
      if (!c.is_string()) throw SpecError("pipeline: \"columns\" must be a list of column names, got " + columns.dump());
      features.push_back(c.get<std::string>());
    }
  }
  // A pipeline that takes images, audio, text or video reads files; features read a table.
  const Kind kind = config.pipeline.is_object() && config.pipeline.contains("kind") && config.pipeline["kind"].is_string()
                        ? parse_kind(config.pipeline["kind"].get<std::string>()).value_or(Kind::features)
                        : Kind::features;
  if (!d.root.empty() && kind == Kind::features)
    throw SpecError("data.root: is for datasets of files (a folder or a manifest); this pipeline takes a feature table");
  const auto read = [&](const std::filesystem::path& file, const std::vector<TargetColumn>& targets) {
    if (kind == Kind::features) return Dataset::read_csv({file, features, targets, d.key_column});
    if (kind == Kind::text && Dataset::is_text_records(file, d.text_column))
      return Dataset::read_text_records({file, d.text_column, d.key_column, d.language, targets});
    return Dataset::read_files({file, d.root, kind, &registry_of(config), targets});
  };
  std::map<std::string, Dataset> tables;
  const auto table = [&](const std::filesystem::path& file, const std::vector<TargetColumn>& targets) -> const Dataset& {
    const std::string key = key_of(file);
    auto it = tables.find(key);
    if (it == tables.end()) it = tables.emplace(key, read(file, targets)).first;
    return it->second;
  };
  const Dataset& train_table = table(d.train.file, encoding_for(config));
  // Other files take the training table's labels, so every split has the same encoding.
  const std::vector<TargetColumn> encoding = train_table.targets();
  std::vector<std::size_t> train_rows = rows_of(train_table, d.train, "data.train");
  const std::vector<std::size_t> all_train_rows = train_rows;  // before validation takes its share

  Splits s;
  if (d.validation.present && d.validation.fraction > 0) {
    const std::size_t n = train_rows.size();
    const auto k = std::clamp<std::size_t>(static_cast<std::size_t>(std::llround(d.validation.fraction * static_cast<double>(n))), 1,
                                           n > 1 ? n - 1 : 1);
    const auto order = epoch_order(n, config.fit.seed, 0);  // epoch 0: drawn before any training epoch
    std::vector<std::size_t> held, kept;
    std::vector<bool> is_held(n, false);
    for (std::size_t i = 0; i < k; ++i) is_held[order[i]] = true;
    for (std::size_t i = 0; i < n; ++i) (is_held[i] ? held : kept).push_back(train_rows[i]);
    if (kept.empty()) throw SpecError("data.validation.fraction: leaves no training rows");
    s.validation = train_table.subset(held);
    train_rows = kept;
  } else if (d.validation.present) {
    const Dataset& t = table(d.validation.file, encoding);
    const auto rows = rows_of(t, d.validation, "data.validation");
    if (key_of(d.validation.file) == key_of(d.train.file)) refuse_overlap(train_rows, rows, "data.train", "data.validation");
    s.validation = t.subset(rows);
  }
  if (d.test.present) {
    const Dataset& t = table(d.test.file, encoding);
    const auto rows = rows_of(t, d.test, "data.test");
    if (key_of(d.test.file) == key_of(d.train.file)) refuse_overlap(all_train_rows, rows, "data.train", "data.test");
    if (d.validation.present && d.validation.fraction == 0 && key_of(d.test.file) == key_of(d.validation.file))
      refuse_overlap(rows_of(t, d.validation, "data.validation"), rows, "data.validation", "data.test");
    s.test = t.subset(rows);
  }
  s.train = train_table.subset(train_rows);
  return s;
}

std::optional<Pipeline> fitted_pipeline(const TrainConfig& config, const Dataset& train) {
  if (config.pipeline.is_null()) return std::nullopt;
  Pipeline pipeline = Pipeline::from_json(config.pipeline, registry_of(config));
  if (!pipeline.unfitted_stages().empty()) {
    if (train.applied_stages() != 0) throw UsageError("fitted_pipeline: the training samples were preprocessed already");
    // Fitted on the training rows only (never validation or test), in fixed blocks.
    pipeline.fit([&]() -> SampleBlockReader {
      auto next = std::make_shared<std::size_t>(0);
      return [&, next](std::vector<Sample>& block) {
        block.clear();
        for (; *next < train.rows() && block.size() < 1024; ++*next)
          block.push_back(train.has_samples() ? train.sample(*next) : features::make_sample(train.features(*next)));
        return !block.empty();
      };
    });
  }
  return pipeline;
}

void prepare_samples(Splits& splits, const Pipeline* pipeline) {
  if (!splits.train.has_samples()) return;
  std::vector<Dataset*> all{&splits.train};
  if (splits.validation) all.push_back(&*splits.validation);
  if (splits.test) all.push_back(&*splits.test);
  for (Dataset* d : all)
    if (pipeline) d->apply_prefix(*pipeline);
  // The input shape: what the deterministic stages make of the first training sample.
  Sample first = splits.train.sample(0);
  if (pipeline) pipeline->preprocess_from(first, splits.train.applied_stages());
  std::vector<std::size_t> shape;
  if (first.kind() == Kind::tensor) shape = tensor_of(first).shape;
  else if (first.kind() == Kind::features) shape = {features::values_of(first).size()};
  else
    throw SpecError("pipeline: gives " + std::string(to_string(first.kind())) +
                    " samples; end it with to_tensor so the network can take them");
  for (Dataset* d : all) d->set_input_shape(shape);
}

Network<float> build_network(const TrainConfig& config, const Dataset& train, std::uint64_t seed) {
  if (config.transfer && config.transfer->layers) {
    // The model, fresh, with its first n trunk layers taken from the checkpoint.
    TrainConfig fresh = config;
    fresh.transfer.reset();
    Network<float> network = build_network(fresh, train, seed);
    auto loaded = load_checkpoint<float>(config.transfer->from);
    const std::size_t n = *config.transfer->layers;
    const std::string from = config.transfer->from.string();
    if (n > network.trunk().size() || n > loaded.network.trunk().size())
      throw SpecError("transfer.layers: " + std::to_string(n) + ", but the model's trunk has " +
                      std::to_string(network.trunk().size()) + " layers and " + from + "'s has " +
                      std::to_string(loaded.network.trunk().size()));
    for (std::size_t i = 0; i < n; ++i) {
      auto& mine = *network.trunk()[i];
      auto& theirs = *loaded.network.trunk()[i];
      const std::string where = "transfer.layers: trunk." + std::to_string(i) + " (" + mine.type() + ")";
      if (mine.type() != theirs.type())
        throw SpecError(where + " is a " + theirs.type() + " in " + from);
      auto params = mine.parameters();
      auto source = theirs.parameters();
      auto buffers = mine.buffers();
      auto source_buffers = theirs.buffers();
      if (params.size() != source.size() || buffers.size() != source_buffers.size())
        throw SpecError(where + " does not have the parameters of " + from + "'s");
      for (std::size_t k = 0; k < params.size(); ++k) {
        if (params[k]->value.rows() != source[k]->value.rows() || params[k]->value.cols() != source[k]->value.cols())
          throw SpecError(where + ": " + params[k]->name + " is " + std::to_string(params[k]->value.rows()) + "x" +
                          std::to_string(params[k]->value.cols()) + ", " + from + "'s is " +
                          std::to_string(source[k]->value.rows()) + "x" + std::to_string(source[k]->value.cols()));
        params[k]->value = source[k]->value;
      }
      for (std::size_t k = 0; k < buffers.size(); ++k) *buffers[k].second = *source_buffers[k].second;
    }
    freeze(network, config.transfer->freeze);
    return network;
  }
  if (config.transfer) {
    auto loaded = load_checkpoint<float>(config.transfer->from);
    Network<float> network = std::move(loaded.network);
    if (!config.transfer->heads.is_null()) {
      const auto heads = resolve_heads(config.transfer->heads, train, "transfer.heads");
      network = prefixed("transfer.", [&] { return replace_heads(network, heads, seed); });
    }
    if (network.inputs() != train.feature_count())
      throw SpecError("transfer.from: " + config.transfer->from.string() + " takes " + std::to_string(network.inputs()) +
                      " inputs, the data has " + std::to_string(train.feature_count()) + " feature columns");
    freeze(network, config.transfer->freeze);
    return network;
  }
  nlohmann::json architecture = config.model;
  if (train.has_samples()) {
    // The network takes what the pipeline gives: its shape is checked here, once.
    const auto& shape = train.input_shape();
    if (!architecture.contains("input_shape") && !architecture.contains("inputs")) architecture["input_shape"] = shape;
    else if (architecture.contains("input_shape") && architecture["input_shape"] != nlohmann::json(shape))
      throw SpecError("model.input_shape: " + architecture["input_shape"].dump() + ", but the pipeline gives tensors of shape " +
                      shape_text(shape));
  }
  if (!architecture.contains("inputs")) architecture["inputs"] = train.feature_count();
  else if (architecture["inputs"] != nlohmann::json(train.feature_count()))
    throw SpecError("model.inputs: " + architecture["inputs"].dump() + ", but the data has " +
                    std::to_string(train.feature_count()) + " feature columns");
  if (architecture.contains("heads")) architecture["heads"] = resolve_heads(architecture["heads"], train, "model.heads");
  return prefixed("model.", [&] { return Network<float>::from_json(architecture, seed); });
}

void check_monitor(const TrainConfig& config, Network<float>& network, bool has_validation) {
  if (!config.fit.early_stopping) return;
  std::vector<std::string> names{"loss"};
  auto& heads = network.heads();
  for (const auto& h : heads) {
    const std::string prefix = heads.size() == 1 ? "" : h.name + "_";
    if (heads.size() > 1) names.push_back(prefix + "loss");
    if (has_accuracy(h)) names.push_back(prefix + "accuracy");
  }
  const std::size_t base = names.size();
  if (has_validation)
    for (std::size_t i = 0; i < base; ++i) names.push_back("val_" + names[i]);
  const std::string& monitor = config.fit.early_stopping->monitor;
  if (std::find(names.begin(), names.end(), monitor) != names.end()) return;
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  throw SpecError("regularizers.early_stopping.monitor: \"" + monitor + "\" is not a metric of this training (" + list + ")");
}

void check_activation_sizes(Network<float>& network, std::size_t rows, const std::string& prefix) {
  // Each layer's output width, from a forward pass of one row of zeros (Phase::infer changes no
  // state): the layers already know their shapes, and this stays right for any layer type.
  Rng unused(0);
  const Matrix<float> one = Matrix<float>::Zero(1, static_cast<Eigen::Index>(network.inputs()));
  const auto check = [&](std::vector<std::unique_ptr<Layer<float>>>& layers, const std::string& path,
                         const Matrix<float>* x) {
    for (std::size_t i = 0; i < layers.size(); ++i) {
      x = &layers[i]->forward(*x, Phase::infer, unused);
      const auto width = static_cast<std::uint64_t>(x->cols());
      check_buffer(prefix + path + "." + std::to_string(i) + " (" + layers[i]->type() + "): a batch of " +
                       std::to_string(rows) + " rows × " + std::to_string(width) + " outputs (batch_size)",
                   rows, width, sizeof(float));
    }
    return x;
  };
  const Matrix<float>* trunk = check(network.trunk(), "trunk", &one);
  for (auto& head : network.heads()) check(head.layers, "heads." + head.name, trunk);
}

namespace {

// Every file of `folder` the run may write, for one member (or the only one).
void member_outputs(const std::filesystem::path& folder, std::vector<std::filesystem::path>& out) {
  for (const char* name : {"metrics.csv", "curves.png", "model.ckpt"}) out.push_back(folder / name);
}

bool is_epoch_checkpoint(const std::filesystem::path& file, const std::filesystem::path& checkpoints) {
  std::error_code ec;
  const std::string name = file.filename().string();
  return name.starts_with("epoch-") && name.ends_with(".ckpt") &&
         std::filesystem::weakly_canonical(file.parent_path().empty() ? "." : file.parent_path(), ec) ==
             std::filesystem::weakly_canonical(checkpoints, ec) &&
         !ec;
}

}  // namespace

void refuse_overwriting_inputs(const TrainConfig& config) {
  if (config.output.empty()) return;
  std::vector<std::pair<std::filesystem::path, std::string>> inputs;
  if (!config.file.empty()) inputs.emplace_back(config.file, "the training config");
  if (!config.pipeline_file.empty()) inputs.emplace_back(config.pipeline_file, "the pipeline");
  const DataConfig& d = config.data;
  for (const auto& [file, name] : {std::pair{d.file, "data.file"}, {d.train.file, "data.train.file"},
                                   {d.validation.file, "data.validation.file"}, {d.test.file, "data.test.file"}})
    if (!file.empty()) inputs.emplace_back(file, name);
  if (config.transfer) inputs.emplace_back(config.transfer->from, "transfer.from");

  const std::size_t members = config.ensemble.members;
  std::vector<std::filesystem::path> outputs;
  std::vector<std::filesystem::path> checkpoint_folders;
  for (const char* name : {"config.json", "pipeline.json", "summary.json", "ensemble.json"})
    outputs.push_back(config.output / name);
  for (std::size_t m = 0; m < members; ++m) {
    const auto folder = members == 1 ? config.output : config.output / ("member-" + std::to_string(m + 1));
    member_outputs(folder, outputs);
    checkpoint_folders.push_back(folder / "checkpoints");
  }
  for (const auto& [input, name] : inputs) {
    const std::string what = "the output would overwrite " + std::string(name) + " (" + input.string() +
                             "); choose another output folder";
    for (const auto& output : outputs) refuse_same_file(input, output, what);
    if (config.fit.checkpoint_every > 0)
      for (const auto& folder : checkpoint_folders)
        if (is_epoch_checkpoint(input, folder)) throw UsageError(folder.string() + ": " + what);
  }
}

void make_output_folder(const std::filesystem::path& folder) {
  std::error_code ec;
  const auto status = std::filesystem::status(folder, ec);
  if (std::filesystem::exists(status) && !std::filesystem::is_directory(status))
    throw UsageError(folder.string() + ": exists and is not a folder; the output is a folder");
  if (std::filesystem::exists(status)) return;
  std::filesystem::create_directories(folder, ec);
  // A full disk is the run's trouble, not the user's choice of folder.
  if (ec == std::errc::no_space_on_device || ec == std::errc::io_error)
    throw DataError(folder.string() + ": cannot create the output folder: " + ec.message());
  if (ec) throw UsageError(folder.string() + ": cannot create the output folder: " + ec.message());
}

void refuse_non_finite_scores(const MemberResult& member, std::size_t index, std::size_t members) {
  for (const Metrics* scores : {&member.validation, &member.test})
    for (const auto& [name, value] : scores->values)
      if (!std::isfinite(value))
        throw DataError((members > 1 ? "member " + std::to_string(index + 1) + ": " : std::string()) + name +
                        " is not finite: the trained network overflows on the " +
                        (name.starts_with("test_") ? "test" : "validation") + " rows");
}

nlohmann::json checkpoint_metadata(const TrainResult& result, std::uint64_t seed, std::size_t index, const FitResult* fit) {
  nlohmann::json targets = nlohmann::json::array();
  for (const auto& t : result.targets) targets.push_back(t.to_json());
  nlohmann::json training = {{"seed", seed}, {"member", index + 1}};
  if (fit) {
    training["epochs_run"] = fit->epochs_run;
    training["best_epoch"] = fit->best_epoch;
    training["stopped_epoch"] = fit->stopped_epoch;
  }
  return {{"features", result.features}, {"targets", targets}, {"pipeline", result.pipeline}, {"training", training}};
}

namespace {
nlohmann::json metrics_json(const Metrics& m) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, value] : m.values) j[name] = value;
  return j;
}
}  // namespace

nlohmann::json summary_json(const TrainConfig& config, const TrainResult& result) {
  nlohmann::json members = nlohmann::json::array();
  for (const auto& m : result.members)
    members.push_back({{"checkpoint", m.checkpoint.empty() ? "" : std::filesystem::relative(m.checkpoint, config.output).generic_string()},
                       {"epochs_run", m.fit.epochs_run},
                       {"best_epoch", m.fit.best_epoch},
                       {"stopped_epoch", m.fit.stopped_epoch},
                       {"restored_best_weights", m.fit.restored},
                       {"skipped_batches", m.fit.skipped_batches},
                       {"validation", metrics_json(m.validation)},
                       {"test", metrics_json(m.test)},
                       {"seconds", m.fit.seconds},
                       {"data_wait_seconds", m.fit.data_wait_seconds}});
  nlohmann::json j = {{"name", config.name},
                      {"rows", {{"train", result.train_rows}, {"validation", result.validation_rows}, {"test", result.test_rows}}},
                      {"members", members},
                      {"seconds", result.seconds}};
  if (result.members.size() > 1)
    j["ensemble"] = {{"validation", metrics_json(result.ensemble_validation)}, {"test", metrics_json(result.ensemble_test)}};
  return j;
}

void write_json(const std::filesystem::path& file, const nlohmann::json& value) {
  AtomicOutputFile out(file);
  out.stream() << value.dump(2) << "\n";
  out.commit();
}

}  // namespace augment::trainer::detail
