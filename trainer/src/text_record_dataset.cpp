// Dataset::read_text_records: records of text (CSV or JSON Lines) with label columns, each
// record a text sample, read with the text module's own record reader.
#include "augment/core/csv.hpp"
#include "augment/core/error.hpp"
#include "augment/core/paths.hpp"
#include "augment/text/labelled_records.hpp"
#include "augment/trainer/dataset.hpp"

namespace augment::trainer {

bool Dataset::is_text_records(const std::filesystem::path& file, const std::string& text_column) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return false;
  const std::string extension = lower_extension(file);
  if (extension == ".jsonl" || extension == ".ndjson") return true;
  if (extension != ".csv") return false;
  try {
    const CsvReader csv(file);
    return csv.find_column(text_column) && !csv.find_column("path");
  } catch (const Error&) {
    return false;  // the manifest reader reports what is wrong with it
  }
}

Dataset Dataset::read_text_records(const TextRecordSpec& spec) {
  Dataset d;
  d.name_ = spec.file.string();
  text::TextRecordOptions options;
  options.format = text::record_format(spec.file);
  options.text_column = spec.text_column;
  options.key_column = spec.key_column;
  options.language = spec.language;
  std::vector<std::string> columns;
  for (const auto& t : spec.targets) columns.push_back(t.column);
  auto records = text::read_labelled_records(spec.file, options, columns);
  if (records.empty()) throw DataError(d.name_ + ": no records");

  std::vector<std::vector<std::string>> labels(records.size());
  std::vector<std::string> where(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    auto& r = records[i];
    where[i] = d.name_ + ":" + std::to_string(r.line);
    labels[i] = std::move(r.labels);
    d.keys_.push_back(std::move(r.key));
    d.lines_.push_back(r.line);
    d.samples_.push_back(text::make_sample(std::move(r.text)));
  }
  d.targets_ = spec.targets;
  d.encode_targets(labels, where);
  return d;
}

}  // namespace augment::trainer
