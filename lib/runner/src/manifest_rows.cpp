#include "manifest_rows.hpp"

#include <algorithm>
#include <fstream>
#include <regex>

#include "augment/core/atomic_file.hpp"
#include "augment/core/csv.hpp"
#include "augment/core/error.hpp"
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

std::vector<std::string> fields_of(const ManifestRow& row) {
  std::vector<std::string> fields = {std::to_string(row.index), row.path, row.source, std::to_string(row.copy)};
  fields.insert(fields.end(), row.labels.begin(), row.labels.end());
  fields.push_back(row.params.dump());
  return fields;
}

ManifestRow from_json(const json& j) {
  return {j.at("index").get<std::size_t>(), j.at("copy").get<std::size_t>(), j.at("path").get<std::string>(),
          j.at("source").get<std::string>(), j.at("labels").get<std::vector<std::string>>(), j.at("params")};
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
    const json j = json::parse(line, nullptr, false);
    if (j.is_discarded()) continue;  // the last line of a killed run
    try {
      rows.push_back(from_json(j));
    } catch (const json::exception&) {
    }
  }
  return rows;
}

std::vector<ManifestRow> read_manifest_rows(const fs::path& manifest, const std::vector<std::string>& label_columns) {
  std::vector<ManifestRow> rows;
  if (!fs::exists(manifest)) return rows;
  CsvReader reader(manifest);
  if (reader.header() != header_of(label_columns))
    throw DataError(manifest.string() + ": its columns are not those of this run's manifest");
  for (CsvRow row; reader.next(row);) {
    ManifestRow r;
    r.index = std::stoull(row.fields[0]);
    r.path = row.fields[1];
    r.source = row.fields[2];
    r.copy = std::stoull(row.fields[3]);
    r.labels.assign(row.fields.begin() + 4, row.fields.end() - 1);
    r.params = json::parse(row.fields.back());
    rows.push_back(std::move(r));
  }
  return rows;
}

void write_manifest_rows(const std::vector<ManifestRow>& rows, const fs::path& manifest,
                         const std::vector<std::string>& label_columns) {
  AtomicOutputFile out(manifest);
  CsvWriter writer(out.stream());
  writer.write_row(header_of(label_columns));
  for (const auto& row : rows) writer.write_row(fields_of(row));
  out.commit();
}

void write_manifest(const fs::path& journal, const fs::path& manifest, const std::vector<std::string>& label_columns) {
  AtomicOutputFile out(manifest);
  CsvWriter writer(out.stream());
  writer.write_row(header_of(label_columns));
  std::ifstream in(journal);
  for (std::string line; std::getline(in, line);) writer.write_row(fields_of(from_json(json::parse(line))));
  out.commit();
}

std::size_t merge_manifests(const fs::path& output) {
  static const std::regex shard_name(R"(manifest-(\d+)-of-(\d+)\.csv)");
  std::vector<ManifestRow> rows;
  std::vector<std::string> header;
  std::size_t files = 0;
  for (const auto& item : fs::directory_iterator(output)) {
    std::smatch m;
    const std::string name = item.path().filename().string();
    if (!std::regex_match(name, m, shard_name)) continue;
    CsvReader reader(item.path());
    if (files++ == 0) header = reader.header();
    else if (reader.header() != header)
      throw DataError(item.path().string() + ": its columns differ from the other shard manifests'");
    const std::vector<std::string> labels(header.begin() + 4, header.end() - 1);
    auto part = read_manifest_rows(item.path(), labels);
    rows.insert(rows.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
  }
  if (files == 0) throw DataError(output.string() + ": no shard manifests (manifest-K-of-N.csv) to merge");
  std::sort(rows.begin(), rows.end(),
            [](const ManifestRow& a, const ManifestRow& b) { return std::tie(a.index, a.copy) < std::tie(b.index, b.copy); });
  write_manifest_rows(rows, output / manifest_name(0, 1), std::vector<std::string>(header.begin() + 4, header.end() - 1));
  return rows.size();
}

}  // namespace augment::runner
