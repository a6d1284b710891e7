#include "augment/trainer/metrics_log.hpp"

#include <algorithm>

#include "augment/core/atomic_file.hpp"
#include "augment/core/csv.hpp"
#include "augment/core/number_text.hpp"

namespace augment::trainer {

void Metrics::set(const std::string& name, double value) {
  for (auto& [n, v] : values)
    if (n == name) {
      v = value;
      return;
    }
  values.emplace_back(name, value);
}

std::optional<double> Metrics::get(const std::string& name) const {
  for (const auto& [n, v] : values)
    if (n == name) return v;
  return std::nullopt;
}

MetricsLog::MetricsLog(std::filesystem::path csv, std::filesystem::path png, std::string title)
    : csv_(std::move(csv)), png_(std::move(png)), title_(std::move(title)) {}

void MetricsLog::add(std::size_t epoch, const Metrics& metrics) {
  if (columns_.empty())
    for (const auto& [name, value] : metrics.values) columns_.push_back(name);
  rows_.push_back({epoch, metrics});
  if (!csv_.empty()) {
    AtomicOutputFile out(csv_, Durability::atomic_only);
    CsvWriter writer(out.stream());
    std::vector<std::string> fields{"epoch"};
    fields.insert(fields.end(), columns_.begin(), columns_.end());
    writer.write_row(fields);
    for (const auto& row : rows_) {
      fields.assign(1, std::to_string(row.epoch));
      for (const auto& name : columns_) {
        const auto v = row.metrics.get(name);
        fields.push_back(v ? format_number(*v) : "");
      }
      writer.write_row(fields);
    }
    out.commit();
  }
  if (!png_.empty()) write_curves_png(png_, rows_, title_);
}

}  // namespace augment::trainer
