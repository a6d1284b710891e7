// TrainConfig: the JSON of `augment train`, read field by field (format in trainer/README.md).
#include <fstream>

#include "augment/core/error.hpp"
#include "augment/core/json_text.hpp"
#include "augment/trainer/optimizer.hpp"
#include "augment/trainer/schedule.hpp"
#include "augment/trainer/trainer.hpp"
#include "json_fields.hpp"
#include "trainer_registry.hpp"

namespace augment::trainer {
namespace {

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& path) {
  const std::filesystem::path p(path);
  return p.is_absolute() || base.empty() ? p : base / p;
}

SplitSpec read_split(detail::Fields& parent, const std::string& key, const std::filesystem::path& base,
                     bool may_be_fraction) {
  SplitSpec s;
  if (!parent.has(key)) return s;
  s.present = true;
  detail::Fields f(parent.at(key), parent.where(key));
  if (f.has("file")) s.file = resolve(base, f.text("file", ""));
  if (f.has("rows")) {
    const auto& r = f.at("rows");
    const auto whole = [](const nlohmann::json& v) { return v.is_number_integer() && v.get<std::int64_t>() >= 1; };
    const bool ok = r.is_array() && r.size() == 2 && whole(r[0]) && whole(r[1]) &&
                    r[0].get<std::size_t>() <= r[1].get<std::size_t>();
    if (!ok) f.fail("rows", "must be [first, last] data rows, 1-based and inclusive, got " + r.dump());
    s.first_row = r[0].get<std::size_t>();
    s.last_row = r[1].get<std::size_t>();
  }
  if (may_be_fraction && f.has("fraction")) {
    s.fraction = f.number("fraction", 0, 0, 1);
    if (!(s.fraction > 0 && s.fraction < 1)) f.fail("fraction", "must be in (0, 1)");
    if (f.has("file") || f.has("rows")) f.fail("fraction", "holds rows out of the training rows: give it alone");
  }
  f.done();
  return s;
}

DataConfig read_data(const nlohmann::json& j, const std::filesystem::path& base) {
  detail::Fields f(j, "data");
  DataConfig d;
  if (f.has("file")) d.file = resolve(base, f.text("file", ""));
  d.features = f.strings("features");
  d.key_column = f.text("key_column", "");
  d.text_column = f.text("text_column", "text");
  d.language = f.text("language", "");
  if (f.has("root")) d.root = resolve(base, f.text("root", ""));
  if (!f.has("targets")) f.fail("targets", "missing: name the target columns, e.g. [\"label\"]");
  const auto& targets = f.at("targets");
  const nlohmann::json list = targets.is_array() ? targets : nlohmann::json::array({targets});
  for (std::size_t i = 0; i < list.size(); ++i) {
    TargetColumn t;
    const std::string where = "targets." + std::to_string(i);
    if (list[i].is_string()) {
      t.column = list[i].get<std::string>();
    } else {
      detail::Fields tf(list[i], f.where(where));
      t.column = tf.text("column", "");
      if (t.column.empty()) tf.fail("column", "missing: the column's name");
      t.type = tf.text("type", "class", {"class", "value"}) == "class" ? TargetType::class_label : TargetType::value;
      if (tf.has("labels")) {
        if (t.type != TargetType::class_label) tf.fail("labels", "only a class target has labels");
        t.labels = tf.strings("labels");
        if (t.labels.empty()) tf.fail("labels", "must not be empty");
      }
      tf.done();
    }
    for (const auto& other : d.targets)
      if (other.column == t.column) f.fail(where, "column '" + t.column + "' is listed twice");
    d.targets.push_back(std::move(t));
  }
  if (d.targets.empty()) f.fail("targets", "must name at least one column");
  d.train = read_split(f, "train", base, false);
  d.validation = read_split(f, "validation", base, true);
  d.test = read_split(f, "test", base, false);
  for (SplitSpec* s : {&d.train, &d.validation, &d.test})
    if (s->file.empty() && s->fraction == 0) s->file = d.file;
  if (d.train.file.empty()) f.fail("file", "missing: the table to learn from (or data.train.file)");
  if (d.validation.present && d.validation.file.empty() && d.validation.fraction == 0)
    f.fail("validation", "needs a file, rows or a fraction");
  if (d.test.present && d.test.file.empty()) f.fail("test", "needs a file (data.file or data.test.file)");
  f.done();
  return d;
}

nlohmann::json read_pipeline(detail::Fields& f, const std::filesystem::path& base, std::filesystem::path& from,
                              const Registry& registry) {
  if (!f.has("pipeline")) return nullptr;
  const auto& p = f.at("pipeline");
  nlohmann::json spec;
  std::string origin = "pipeline";
  if (p.is_string()) {
    const auto file = resolve(base, p.get<std::string>());
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec)) f.fail("pipeline", file.string() + " is a folder, not a pipeline spec");
    std::ifstream in(file, std::ios::binary);
    if (!in) f.fail("pipeline", "cannot open " + file.string());
    try {
      spec = parse_json(in, file.string(), JsonSource::spec);  // depth-limited; 1e999 is an error
    } catch (const SpecError& e) {
      f.fail("pipeline", e.what());
    }
    origin = file.string();
    from = file;
  } else if (p.is_object()) {
    spec = p;
  } else {
    f.fail("pipeline", "must be a pipeline spec or the path of one, got " + p.dump());
  }
  try {
    const Pipeline pipeline = Pipeline::from_json(spec, registry);
    if (pipeline.output_kind() != Kind::features && pipeline.output_kind() != Kind::tensor)
      throw SpecError("gives " + std::string(to_string(pipeline.output_kind())) +
                      "; the trainer needs features or a tensor out (end with to_tensor)");
    if (pipeline.input_kind() == Kind::features && pipeline.output_kind() != Kind::features)
      throw SpecError("takes features and gives a tensor; a table's rows go in as features");
  } catch (const SpecError& e) {
    throw SpecError(origin + ": " + e.what());
  }
  return spec;
}

void read_regularizers(detail::Fields& top, FitOptions& o) {
  if (!top.has("regularizers")) return;
  detail::Fields f(top.at("regularizers"), "regularizers");
  o.penalties.l1 = f.number("l1", 0, 0);
  o.penalties.l2 = f.number("l2", 0, 0);
  o.penalties.max_norm = f.number("max_norm", 0, 0);
  if (f.has("target_noise")) o.target_noise = TargetNoise::from_json(f.at("target_noise"));
  if (f.has("weight_noise")) {
    detail::Fields w(f.at("weight_noise"), "regularizers.weight_noise");
    o.weight_noise = w.number("sigma", 0, 0);
    w.done();
  }
  if (f.has("early_stopping")) {
    try {
      o.early_stopping = EarlyStoppingOptions::from_json(f.at("early_stopping"));
    } catch (const SpecError& e) {
      throw SpecError(std::string("regularizers.") + e.what());
    }
  }
  f.done();
}

}  // namespace

TrainConfig TrainConfig::from_json(const nlohmann::json& config, const std::filesystem::path& base_dir,
                                   const Registry* registry) {
  detail::Fields f(config, "");
  TrainConfig c;
  c.source = config;
  c.name = f.text("name", "");
  c.fit.title = c.name;
  c.fit.seed = f.integer("seed", 1);
  if (!f.has("data")) f.fail("data", "missing: the table, its target columns and splits");
  c.data = read_data(f.at("data"), base_dir);
  c.registry = registry;
  c.pipeline = read_pipeline(f, base_dir, c.pipeline_file, registry ? *registry : detail::trainer_registry());

  if (f.has("transfer")) {
    detail::Fields t(f.at("transfer"), "transfer");
    TransferConfig tc;
    const std::string from = t.text("from", "");
    if (from.empty()) t.fail("from", "missing: the checkpoint to start from");
    tc.from = resolve(base_dir, from);
    tc.freeze = t.strings("freeze");
    if (t.has("layers")) tc.layers = static_cast<std::size_t>(t.integer("layers", 0, 0));
    if (t.has("heads")) {
      tc.heads = t.at("heads");
      if (!tc.heads.is_array() || tc.heads.empty()) t.fail("heads", "must be a non-empty list of heads");
    }
    t.done();
    if (tc.layers && tc.heads.is_object()) t.fail("heads", "with transfer.layers the heads are the model's");
    const bool keeps_layers = tc.layers.has_value();
    c.transfer = std::move(tc);
    if (keeps_layers) {
      if (!f.has("model")) f.fail("model", "missing: transfer.layers takes the rest of the network from it");
      c.model = f.at("model");
      if (!c.model.is_object()) f.fail("model", "must be an object, got " + c.model.dump());
    } else if (f.has("model")) {
      f.fail("model", "give either a model or transfer.from (or transfer.layers with a model), not both");
    }
  } else {
    if (!f.has("model")) f.fail("model", "missing: the network's architecture");
    c.model = f.at("model");
    if (!c.model.is_object()) f.fail("model", "must be an object, got " + c.model.dump());
  }

  c.fit.optimizer = f.has("optimizer") ? f.at("optimizer") : nlohmann::json{{"type", "sgd"}};
  const auto optimizer = make_optimizer<float>(c.fit.optimizer);  // SpecError naming the field
  if (f.has("schedule")) {
    c.fit.schedule = f.at("schedule");
    try {
      Schedule::from_json(c.fit.schedule, optimizer->config().value("lr", 0.01));
    } catch (const SpecError& e) {
      throw SpecError(std::string("schedule: ") + e.what());
    }
  }
  if (f.has("clip")) {
    detail::Fields k(f.at("clip"), "clip");
    c.fit.clip_norm = k.number("norm", 0, 0);
    c.fit.clip_value = k.number("value", 0, 0);
    k.done();
  }
  c.fit.epochs = f.count("epochs", 10, 1);
  c.fit.batch_size = f.count("batch_size", 32, 1);
  c.fit.drop_last = f.flag("drop_last", false);
  c.fit.checkpoint_every = f.count("checkpoint_every", 0);
  c.fit.shuffle = f.flag("shuffle", true);
  c.fit.prefetch = f.count("prefetch", 4, 0, 1024);
  c.fit.producers = f.count("producers", 1, 1, 256);
  c.fit.on_non_finite =
      f.text("on_non_finite", "stop", {"stop", "skip_batch"}) == "stop" ? NonFinite::stop : NonFinite::skip_batch;
  read_regularizers(f, c.fit);
  if (c.fit.early_stopping && c.fit.early_stopping->monitor.rfind("val_", 0) == 0 && !c.data.validation.present)
    throw SpecError("regularizers.early_stopping.monitor: \"" + c.fit.early_stopping->monitor +
                    "\" needs validation rows (data.validation)");

  if (f.has("ensemble")) {
    detail::Fields e(f.at("ensemble"), "ensemble");
    c.ensemble.members = e.count("members", 1, 1, 1000);
    c.ensemble.bootstrap = e.flag("bootstrap", false);
    c.ensemble.vary_seed = e.flag("vary_seed", true);
    e.done();
    if (c.ensemble.members > 1 && !c.ensemble.bootstrap && !c.ensemble.vary_seed)
      throw SpecError("ensemble: members would all be the same: vary the seed, bootstrap, or both");
  }
  const std::string output = f.text("output", "");
  if (!output.empty()) c.output = resolve(base_dir, output);
  f.done();
  return c;
}

TrainConfig TrainConfig::load(const std::filesystem::path& file, const Registry* registry) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) throw SpecError(file.string() + ": is a folder, not a training config");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw SpecError(file.string() + ": cannot open training config");
  // Depth-limited, and an out-of-range number (1e999) is "not valid JSON" naming the file.
  const nlohmann::json config = parse_json(in, file.string(), JsonSource::spec);
  try {
    TrainConfig c = from_json(config, file.parent_path(), registry);
    c.file = file;
    return c;
  } catch (const SpecError& e) {
    throw SpecError(file.string() + ": " + e.what());
  }
}

}  // namespace augment::trainer
