#include "augment/text/labelled_records.hpp"

#include <optional>

#include "augment/core/error.hpp"
#include "text_record_reader.hpp"

namespace augment::text {

std::vector<LabelledRecord> read_labelled_records(const std::filesystem::path& file, const TextRecordOptions& options,
                                                  const std::vector<std::string>& label_columns) {
  if (options.format == RecordFormat::lines)
    throw UsageError(file.string() + ": lines of text have no columns for labels; give CSV or JSON Lines records");
  detail::TextRecordReader reader(file, options);
  std::vector<std::size_t> csv_index;  // csv: each label column's position
  if (options.format == RecordFormat::csv)
    for (const auto& column : label_columns) {
      const auto at = reader.find_column(column);
      if (!at) {
        std::string known;
        for (const auto& c : reader.header()) known += (known.empty() ? "" : ", ") + c;
        throw DataError(reader.name() + ": no column '" + column + "' (columns: " + known + ")");
      }
      csv_index.push_back(*at);
    }
  std::vector<LabelledRecord> out;
  for (detail::TextRecord record; reader.next(record);) {
    if (!record.error.empty()) throw DataError(record.error);
    LabelledRecord r{record.line, std::move(record.key), std::move(record.text), {}};
    for (std::size_t k = 0; k < label_columns.size(); ++k) {
      if (options.format == RecordFormat::csv) {
        r.labels.push_back(record.fields[csv_index[k]]);
        continue;
      }
      const auto value = record.object.find(label_columns[k]);
      if (value == record.object.end() || value->is_null())
        throw DataError(reader.name() + ":" + std::to_string(record.line) + ": no field \"" + label_columns[k] + "\"");
      r.labels.push_back(value->is_string() ? value->get<std::string>() : value->dump());
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace augment::text
