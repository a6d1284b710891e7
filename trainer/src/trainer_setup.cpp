#include "trainer_setup.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "augment/core/atomic_file.hpp"
#include "augment/core/error.hpp"
#include "augment/features/feature_vector.hpp"
#include "augment/features/register_transforms.hpp"
#include "augment/trainer/batches.hpp"
#include "augment/trainer/checkpoint.hpp"
#include "augment/trainer/evaluate.hpp"
#include "augment/trainer/transfer.hpp"
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
  if (!config.transfer || !config.transfer->heads.is_null()) return targets;
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
  std::map<std::string, Dataset> tables;
  const auto table = [&](const std::filesystem::path& file, const std::vector<TargetColumn>& targets) -> const Dataset& {
    const std::string key = key_of(file);
    auto it = tables.find(key);
    if (it == tables.end())
      it = tables.emplace(key, Dataset::read_csv({file, features, targets, d.key_column})).first;
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
  Pipeline pipeline = Pipeline::from_json(config.pipeline, trainer_registry());
  if (!pipeline.unfitted_stages().empty()) {
    // Fitted on the training rows only (never validation or test), in fixed blocks.
    pipeline.fit([&]() -> SampleBlockReader {
      auto next = std::make_shared<std::size_t>(0);
      return [&, next](std::vector<Sample>& block) {
        block.clear();
        for (; *next < train.rows() && block.size() < 1024; ++*next)
          block.push_back(features::make_sample(train.features(*next)));
        return !block.empty();
      };
    });
  }
  return pipeline;
}

Network<float> build_network(const TrainConfig& config, const Dataset& train, std::uint64_t seed) {
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
                       {"validation", metrics_json(m.validation)},
                       {"test", metrics_json(m.test)},
                       {"seconds", m.fit.seconds}});
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
