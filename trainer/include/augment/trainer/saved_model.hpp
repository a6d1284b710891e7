#pragma once
// A trained model as its checkpoint keeps it: the network, and from its metadata the fitted
// pipeline, the feature columns and the target columns with their labels — what it takes to
// read new data the way training read its own, and to predict or score it (augment predict,
// augment evaluate).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/pipeline.hpp"
#include "augment/core/registry.hpp"
#include "augment/trainer/dataset.hpp"
#include "augment/trainer/metrics_log.hpp"
#include "augment/trainer/network.hpp"

namespace augment::trainer {

/// Where new data is and how to read it; the fields training's `data` section has.
struct DataSource {
  std::filesystem::path file;         // a feature table, a folder or manifest of files, or text records
  std::filesystem::path root;         // files: what keys are relative to (empty: the folder or manifest's)
  std::string key_column;             // tables and text records: the key (empty: the row number)
  std::string text_column = "text";   // text records
  std::string language;               // text records without a "language" field
};

class SavedModel {
 public:
  /// Reads a checkpoint written by `augment train`. DataError "PATH: reason" for a damaged file
  /// or one whose metadata lacks the targets (a checkpoint saved without them).
  static SavedModel load(const std::filesystem::path& checkpoint, const Registry& registry);

  /// Reads `source` as training reads a split, by the pipeline's input kind: a feature table
  /// (the checkpoint's feature columns), a folder or manifest of files, or records of text.
  /// With `labelled`, the target columns too, in the checkpoint's encoding (a label it does not
  /// know is a DataError naming the file and line); without, only the inputs and keys. Files
  /// get the pipeline's deterministic stages applied once. DataError when the data's inputs do
  /// not have the width the network takes.
  Dataset read(const DataSource& source, bool labelled) const;
  /// The network's inputs for `data` (the pipeline's deterministic stages; no augmentation).
  Matrix<float> inputs(const Dataset& data) const;

  /// One row per input row and one column per target column of the checkpoint's encoding (a
  /// class's labels, a value): the heads' predictions (probabilities for classes) side by side.
  Matrix<float> predict(const Matrix<float>& inputs);
  /// loss and accuracy (per head when several), as training scores its test rows, unprefixed.
  Metrics evaluate(const Matrix<float>& inputs, const Dataset& data);

  const std::vector<TargetColumn>& targets() const { return targets_; }
  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
  const Registry* registry_ = nullptr;
  Network<float> network_;
  std::optional<Pipeline> pipeline_;
  std::vector<std::string> features_;
  std::vector<TargetColumn> targets_;
};

}  // namespace augment::trainer
