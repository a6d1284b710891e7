#include "manifest_rows.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>

#include "augment/core/atomic_file.hpp"
#include "augment/core/csv.hpp"
#include "augment/core/error.hpp"
#include "augment/core/json_text.hpp"
#include "augment/runner/run_dataset.hpp"

namespace augment::runner {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::vector<std::string> header_of(const std::vector<std::string>& label_columns) {
  std::vector<std::string> header = {"index", "path", "source", "copy"};
  header.insert(header.end(), label_columns.begin(), label_columns.end());
  header.push_back("params");
  return header;
}

std::vector<std::string> fields_of(const ManifestRow& row, std::size_t copies) {
  std::vector<std::string> fields = {std::to_string(row.index * copies + row.copy), row.path, row.source,
                                     std::to_string(row.copy)};
  fields.insert(fields.end(), row.labels.begin(), row.labels.end());
  fields.push_back(row.params.dump());
  return fields;
}

ManifestRow from_json(const json& j) {
  return {j.at("index").get<std::size_t>(), j.at("copy").get<std::size_t>(), j.at("path").get<std::string>(),
          j.at("source").get<std::string>(), j.at("labels").get<std::vector<std::string>>(), j.at("params")};
}

// A non-negative integer field of a manifest row.
std::size_t parse_count(const std::string& text, const std::string& where, const char* column) {
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size())
    throw DataError(where + ": " + column + " must be a whole number, got '" + text + "'");
  return value;
}

}  // namespace

std::string journal_line(const ManifestRow& row) {
  return json{{"index", row.index}, {"copy", row.copy},     {"path", row.path},
              {"source", row.source}, {"labels", row.labels}, {"params", row.params}}
      .dump();
}

std::vector<ManifestRow> read_journal(const fs::path& journal) {
  std::vector<ManifestRow> rows;
  std::ifstream in(journal);
  for (std::string line; std::getline(in, line);) {
    const json j = try_parse_json(line);
    if (j.is_discarded()) continue;  // the last line of a killed run
    try {
      rows.push_back(from_json(j));
    } catch (const json::exception&) {
    }
  }
  return rows;
}

std::vector<ManifestRow> read_manifest_rows(const fs::path& manifest, const std::vector<std::string>& label_columns,
                                            std::size_t copies) {
  std::vector<ManifestRow> rows;
  if (!fs::exists(manifest)) return rows;
  CsvReader reader(manifest);
  if (reader.header() != header_of(label_columns))
    throw DataError(manifest.string() + ": its columns are not those of this run's manifest");
  for (CsvRow row; reader.next(row);) {
    const std::string where = manifest.string() + ":" + std::to_string(row.line);
    ManifestRow r;
    const std::size_t index = parse_count(row.fields[0], where, "index");
    r.path = row.fields[1];
    r.source = row.fields[2];
    r.copy = parse_count(row.fields[3], where, "copy");
    if (copies == 0 || r.copy >= copies || index % copies != r.copy)
      throw DataError(where + ": index " + std::to_string(index) + " is not that of copy " + std::to_string(r.copy) +
                      " of " + std::to_string(copies));
    r.index = index / copies;
    r.labels.assign(row.fields.begin() + 4, row.fields.end() - 1);
    r.params = parse_json(row.fields.back(), where + ": params", JsonSource::data);
    rows.push_back(std::move(r));
  }
  return rows;
}

void write_manifest_rows(const std::vector<ManifestRow>& rows, const fs::path& manifest,
                         const std::vector<std::string>& label_columns, std::size_t copies) {
  AtomicOutputFile out(manifest);
  CsvWriter writer(out.stream());
  writer.write_row(header_of(label_columns));
  for (const auto& row : rows) writer.write_row(fields_of(row, copies));
  out.commit();
}

void write_manifest(const fs::path& journal, const fs::path& manifest, const std::vector<std::string>& label_columns,
                    std::size_t copies) {
  AtomicOutputFile out(manifest);
  CsvWriter writer(out.stream());
  writer.write_row(header_of(label_columns));
  std::ifstream in(journal);
  for (std::string line; std::getline(in, line);) {
    const json j = try_parse_json(line);
    if (j.is_discarded()) throw DataError(journal.string() + ": a damaged line; rerun with --resume");
    writer.write_row(fields_of(from_json(j), copies));
  }
  out.commit();
}

}  // namespace augment::runner
