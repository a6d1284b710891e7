// SavedModel: a checkpoint's network with the metadata training stored beside it (the fitted
// pipeline, features, targets), reading new data through the same Dataset readers training
// uses, so keys, label encodings and preprocessing are the ones the model learned with.
#include "augment/trainer/saved_model.hpp"

#include <algorithm>
#include <limits>

#include "augment/core/error.hpp"
#include "augment/trainer/batches.hpp"
#include "augment/trainer/checkpoint.hpp"
#include "augment/trainer/evaluate.hpp"
#include "trainer_setup.hpp"

namespace augment::trainer {

SavedModel SavedModel::load(const std::filesystem::path& checkpoint, const Registry& registry) {
  LoadedCheckpoint<float> loaded = load_checkpoint<float>(checkpoint);
  SavedModel m;
  m.file_ = checkpoint;
  m.registry_ = &registry;
  m.network_ = std::move(loaded.network);
  const std::string name = checkpoint.string();
  const nlohmann::json& meta = loaded.metadata;
  if (!meta.is_object() || !meta.contains("targets") || !meta["targets"].is_array() || meta["targets"].empty())
    throw DataError(name + ": no target columns in its metadata (not a checkpoint of augment train)");
  for (const auto& t : meta["targets"]) m.targets_.push_back(TargetColumn::from_json(t, name));
  if (meta.contains("features") && meta["features"].is_array())
    for (const auto& f : meta["features"]) {
      if (!f.is_string()) throw DataError(name + ": its metadata's features must be column names");
      m.features_.push_back(f.get<std::string>());
    }
  if (meta.contains("pipeline") && !meta["pipeline"].is_null()) {
    try {
      m.pipeline_ = Pipeline::from_json(meta["pipeline"], registry);
    } catch (const SpecError& e) {  // a module this build lacks, or a damaged spec
      throw DataError(name + ": its pipeline: " + e.what());
    }
  }
  return m;
}

Dataset SavedModel::read(const DataSource& source, bool labelled) const {
  const std::vector<TargetColumn> targets = labelled ? targets_ : std::vector<TargetColumn>{};
  const Kind kind = pipeline_ ? pipeline_->input_kind() : Kind::features;
  if (!source.root.empty() && kind == Kind::features)
    throw UsageError("--root is for datasets of files; this model takes a feature table");
  detail::Splits splits;
  if (kind == Kind::features) splits.train = Dataset::read_csv({source.file, features_, targets, source.key_column});
  else if (kind == Kind::text && Dataset::is_text_records(source.file, source.text_column))
    splits.train = Dataset::read_text_records({source.file, source.text_column, source.key_column, source.language, targets});
  else
    splits.train = Dataset::read_files({source.file, source.root, kind, registry_, targets});
  detail::prepare_samples(splits, pipeline_ ? &*pipeline_ : nullptr);
  if (splits.train.feature_count() != network_.inputs())
    throw DataError(source.file.string() + ": gives " + std::to_string(splits.train.feature_count()) +
                    " inputs per row, but " + file_.string() + " takes " + std::to_string(network_.inputs()));
  return std::move(splits.train);
}

Matrix<float> SavedModel::inputs(const Dataset& data) const {
  return preprocess_inputs<float>(data, pipeline_ ? &*pipeline_ : nullptr);
}

Matrix<float> SavedModel::predict(const Matrix<float>& inputs) {
  const std::vector<Matrix<float>> heads = trainer::predict(network_, inputs);
  std::size_t width = 0;
  for (const auto& t : targets_) width = std::max(width, t.offset + t.width());
  // A column no head predicts (none, with checkpoints of augment train) stays NaN.
  Matrix<float> out = Matrix<float>::Constant(inputs.rows(), static_cast<Eigen::Index>(width), std::numeric_limits<float>::quiet_NaN());
  for (std::size_t h = 0; h < heads.size(); ++h) {
    const Head<float>& head = network_.heads()[h];
    if (head.target_offset + head.target_size > width || static_cast<std::size_t>(heads[h].cols()) != head.target_size)
      throw DataError(file_.string() + ": head '" + head.name + "' predicts columns its metadata's targets do not have");
    out.middleCols(static_cast<Eigen::Index>(head.target_offset), static_cast<Eigen::Index>(head.target_size)) = heads[h];
  }
  return out;
}

Metrics SavedModel::evaluate(const Matrix<float>& inputs, const Dataset& data) {
  return trainer::evaluate(network_, inputs, target_matrix<float>(data));
}

}  // namespace augment::trainer
