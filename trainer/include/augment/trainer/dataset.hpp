#pragma once
// A table to learn from: the feature values of every row (as the feature pipeline takes them,
// before any preprocessing), the target matrix, and a key per row for its random draws.
//
// Targets come from columns. A "class" column becomes a one-hot block over its distinct labels,
// sorted (numerically when every label is a number, else by bytes), and remembered (a checkpoint
// keeps them, so predictions map back to labels); a "value" column is one numeric target. The
// target matrix is the blocks side by side in the order the columns are listed; a head of the
// network takes one or more of them (multi-task learning).
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/pipeline.hpp"
#include "augment/core/registry.hpp"
#include "augment/core/sample.hpp"

#include "augment/trainer/parameter.hpp"

namespace augment::trainer {

enum class TargetType { class_label, value };

struct TargetColumn {
  std::string column;
  TargetType type = TargetType::class_label;
  std::vector<std::string> labels;  // class: the sorted distinct labels; value: empty
  std::size_t offset = 0;           // first column in the target matrix
  std::size_t width() const { return type == TargetType::class_label ? labels.size() : 1; }

  nlohmann::json to_json() const;
  /// DataError naming `what` for a bad entry (they come from checkpoints).
  static TargetColumn from_json(const nlohmann::json& j, const std::string& what);
};

struct TableSpec {
  std::filesystem::path file;
  /// Feature columns; empty: every column whose value in the first data row is a number,
  /// except the target and key columns.
  std::vector<std::string> features;
  /// Target columns with their type; labels may be given (from a checkpoint, or to fix the set).
  std::vector<TargetColumn> targets;
  /// Column whose value keys each row's random draws; empty: the 1-based data row number, as
  /// `augment run` does, so a training's augmentation of row r in epoch e is what
  /// `augment run --seed S --copies E` writes as copy e−1 of that row.
  std::string key_column;
};

/// A dataset of files (images, audio, texts, videos): a folder, whose first-level subfolders
/// name the classes (torchvision's ImageFolder), or a manifest CSV with a `path` column and
/// label columns — the runner's own reader, so keys (paths relative to the dataset root) and
/// the random draws they seed are those of `augment run`.
struct FileTableSpec {
  std::filesystem::path input;
  /// What sample keys are relative to (empty: the folder, or the manifest's folder), as
  /// `augment run --root` takes it: the same keys draw the same augmentations.
  std::filesystem::path root;
  Kind kind = Kind::image;            // what the pipeline takes
  const Registry* registry = nullptr;  // codecs of that kind
  /// Target columns: manifest columns, or "label" (the class subfolder) for a folder.
  std::vector<TargetColumn> targets;
};

/// Records of text, one sample each, with label columns: a CSV file with a text column or a JSON
/// Lines file with a text field — what `augment run` reads (augment/text/text_records.hpp), keyed
/// as it keys them (the 1-based record number, or `key_column`'s value), so epoch e of record k
/// sees what `augment run --seed S --copies E` writes as copy e−1.
struct TextRecordSpec {
  std::filesystem::path file;
  std::string text_column = "text";
  std::string key_column;
  std::string language;  // for records without a "language" field (empty: none)
  std::vector<TargetColumn> targets;
};

/// The column a folder dataset's class subfolder fills.
inline constexpr const char* kFolderLabelColumn = "label";

class Dataset {
 public:
  // Every reader takes no targets too: rows to predict (augment predict), with a zero-width
  // target matrix; a folder's files need not then be in class subfolders.

  /// Reads every row of the table. A row with a bad feature or target value is a DataError
  /// "FILE:LINE: column 'x': reason" (training does not go on with part of its data). Class
  /// labels not given in `spec` are collected from the whole file; a label outside given ones is
  /// an error naming it.
  static Dataset read_csv(const TableSpec& spec);
  /// Decodes every file (in parallel; order and results do not depend on threads). A file that
  /// cannot be read is a DataError naming it; so is a folder entry outside a class subfolder.
  static Dataset read_files(const FileTableSpec& spec);
  /// Reads every record as a text sample. The first bad record (invalid UTF-8, a malformed row,
  /// a missing text, label or key field, a label outside given ones) is a DataError
  /// "FILE:LINE: reason".
  static Dataset read_text_records(const TextRecordSpec& spec);
  /// Whether a text pipeline's `file` holds records rather than naming files: a .jsonl/.ndjson
  /// file, or a .csv with a `text_column` column and no `path` column (a manifest's).
  static bool is_text_records(const std::filesystem::path& file, const std::string& text_column);

  std::size_t rows() const { return keys_.size(); }
  /// Inputs per row: the feature columns, or for files the values of the pipeline's tensor
  /// (set_input_shape).
  std::size_t feature_count() const { return samples_.empty() ? feature_names_.size() : input_width_; }

  /// Files: the decoded samples, with the first applied_stages() pipeline stages applied.
  bool has_samples() const { return !samples_.empty(); }
  const Sample& sample(std::size_t row) const { return samples_.at(row); }
  std::size_t applied_stages() const { return applied_stages_; }
  /// Runs the pipeline's deterministic prefix on every sample once (in parallel) and keeps the
  /// result: later epochs start from there.
  void apply_prefix(const Pipeline& pipeline);
  /// The shape of one input (the pipeline's tensor, or [N] features), and so feature_count().
  void set_input_shape(std::vector<std::size_t> shape);
  const std::vector<std::size_t>& input_shape() const { return input_shape_; }
  std::size_t target_width() const;

  const std::vector<std::string>& feature_names() const { return feature_names_; }
  const std::vector<TargetColumn>& targets() const { return targets_; }
  /// The target column called `name`, or nullptr.
  const TargetColumn* target(const std::string& name) const;

  const std::vector<double>& features(std::size_t row) const { return features_[row]; }
  /// Row `row` of the target matrix.
  auto target_row(std::size_t row) const { return target_matrix_.row(static_cast<Eigen::Index>(row)); }
  const Matrix<double>& target_matrix() const { return target_matrix_; }
  const std::string& key(std::size_t row) const { return keys_[row]; }
  /// The file's line of a row (for messages).
  std::size_t line(std::size_t row) const { return lines_[row]; }
  const std::string& name() const { return name_; }

  /// The rows listed, in that order. A row listed again (a bootstrap sample) gets the key
  /// "KEY#j" for its j-th repeat (j = 1, 2, ...), so its copies draw different augmentations.
  Dataset subset(const std::vector<std::size_t>& rows) const;

 private:
  std::string name_;
  std::vector<std::string> feature_names_;
  std::vector<TargetColumn> targets_;
  std::vector<std::vector<double>> features_;
  Matrix<double> target_matrix_;
  std::vector<std::string> keys_;
  std::vector<std::size_t> lines_;
  std::vector<Sample> samples_;  // files only
  std::size_t applied_stages_ = 0;
  std::vector<std::size_t> input_shape_;
  std::size_t input_width_ = 0;

  void encode_targets(const std::vector<std::vector<std::string>>& texts, const std::vector<std::string>& where);
};

/// Index of the largest value of each row (ties: the first), for accuracy and predicted labels.
template <class Derived>
std::size_t argmax(const Eigen::MatrixBase<Derived>& row) {
  Eigen::Index best = 0;
  for (Eigen::Index j = 1; j < row.size(); ++j)
    if (row(j) > row(best)) best = j;
  return static_cast<std::size_t>(best);
}

}  // namespace augment::trainer
