#pragma once
// The per-epoch record of a training: metrics by name ("loss", "accuracy", "val_loss",
// "val_accuracy", per head "val_letter_loss" ..., "lr"), written after every epoch as a CSV
// table (one row per epoch, numbers in their shortest exact form, no timings, so two runs of the
// same training write the same bytes) and drawn as PNG curves: one panel for the losses, one for
// the accuracies, train solid and validation dashed. Both files are replaced atomically each
// epoch, so they can be watched while training runs.
//
// The PNG is drawn with OpenCV (imgproc + imgcodecs), a private dependency of augment::trainer:
// the project already requires it for augment::image, and a user of the trainer library gets
// the curves without the CLI.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace augment::trainer {

/// Metric values by name, in the order first set.
struct Metrics {
  std::vector<std::pair<std::string, double>> values;

  void set(const std::string& name, double value);
  std::optional<double> get(const std::string& name) const;
  bool empty() const { return values.empty(); }
};

struct MetricsRow {
  std::size_t epoch = 0;  // from 1
  Metrics metrics;
};

class MetricsLog {
 public:
  /// Either path may be empty: that file is not written.
  MetricsLog(std::filesystem::path csv, std::filesystem::path png, std::string title = "");

  /// Records an epoch and rewrites the files. The first epoch's names fix the CSV's columns;
  /// a later metric not among them is kept in rows() but not written.
  void add(std::size_t epoch, const Metrics& metrics);

  const std::vector<MetricsRow>& rows() const { return rows_; }
  const std::vector<std::string>& columns() const { return columns_; }

 private:
  std::filesystem::path csv_, png_;
  std::string title_;
  std::vector<std::string> columns_;
  std::vector<MetricsRow> rows_;
};

/// Draws `rows` as curves into a PNG (written atomically): a panel for metrics whose name ends
/// in "loss" and one for those ending in "accuracy" (when there are any); "val_" and "test_"
/// metrics dashed beside their training counterpart. DataError "PATH: ..." if it cannot be written.
void write_curves_png(const std::filesystem::path& png, const std::vector<MetricsRow>& rows, const std::string& title);

/// The PNG's bytes (what write_curves_png writes).
std::vector<unsigned char> curves_png(const std::vector<MetricsRow>& rows, const std::string& title);

}  // namespace augment::trainer
