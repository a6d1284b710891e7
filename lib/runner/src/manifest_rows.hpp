#pragma once
// Rows of the output manifest, as JSON lines in the run's journal (appended as outputs complete,
// read back by --resume) and as the final manifest CSV:
//   index,path,source,copy,<label columns...>,params
// In memory and in the journal a row's index is its source's position; the CSV's `index` is the
// output's own, source position × copies + copy: unique per row, the same whatever the shards
// (a plain row count would differ per shard), and in the order of the rows.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace augment::runner {

struct ManifestRow {
  std::size_t index = 0;  // the source's position in the dataset
  std::size_t copy = 0;
  std::string path;       // output, relative to the output folder
  std::string source;     // the source's key
  std::vector<std::string> labels;
  nlohmann::json params;  // the record Pipeline::run returned
};

std::string journal_line(const ManifestRow& row);
/// The complete lines of a journal; a line cut short by a kill is skipped.
std::vector<ManifestRow> read_journal(const std::filesystem::path& journal);
/// The rows of a manifest CSV of a run of `copies` copies (none when it does not exist).
/// DataError for a row whose index is not that of its copy.
std::vector<ManifestRow> read_manifest_rows(const std::filesystem::path& manifest,
                                            const std::vector<std::string>& label_columns, std::size_t copies);
/// Writes rows, in order, as a manifest CSV (atomically).
void write_manifest_rows(const std::vector<ManifestRow>& rows, const std::filesystem::path& manifest,
                         const std::vector<std::string>& label_columns, std::size_t copies);
/// Streams a journal into a manifest CSV (atomically); the journal is already in row order.
void write_manifest(const std::filesystem::path& journal, const std::filesystem::path& manifest,
                    const std::vector<std::string>& label_columns, std::size_t copies);

}  // namespace augment::runner
