#pragma once
// The samples of a dataset: the files of a folder (walked recursively, kept when a codec of the
// pipeline's kind reads their extension) or the rows of a manifest CSV (a `path` column plus
// label columns). Each entry has a stable key — its path relative to the dataset root, with
// forward slashes — that fixes its random numbers, its shard and its output name.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "augment/core/paths.hpp"
#include "augment/core/registry.hpp"

namespace augment::runner {

struct DatasetEntry {
  std::size_t index = 0;            // position in the dataset's order (sorted keys, or manifest rows)
  std::string key;                  // relative path, '/'-separated
  std::filesystem::path source;     // the file to read
  std::vector<std::string> labels;  // manifest label columns, in Dataset::label_columns order
  std::string error;                // a manifest row that cannot be used (reported, not read)
};

/// Reads a dataset's entries one at a time, so memory does not grow with its size: a folder is
/// walked depth-first with each folder's entries in byte order of their names (only one
/// folder's listing is held at a time); a manifest is read row by row.
class DatasetReader {
 public:
  /// Opens `input` (a folder or a .csv manifest) for samples of `kind`. Throws DataError when
  /// the input does not exist or the manifest has no `path` column; UsageError when no codec
  /// reads files of `kind` or the input is neither a folder nor a .csv.
  DatasetReader(const std::filesystem::path& input, Kind kind, const Registry& registry);
  ~DatasetReader();
  DatasetReader(DatasetReader&&) noexcept;
  DatasetReader& operator=(DatasetReader&&) noexcept;

  /// The next entry in dataset order; false at the end.
  bool next(DatasetEntry& entry);
  /// The folder, or the manifest's folder.
  const std::filesystem::path& root() const;
  /// Manifest columns other than `path` (none for a folder).
  const std::vector<std::string>& label_columns() const;
  /// Files seen so far that no codec of the kind reads (folders only).
  std::size_t ignored() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// True when `key` belongs to shard `index` of `count`: a hash of the key, so the split does not
/// depend on the order or number of files, and shards 0..count-1 partition the dataset.
bool in_shard(const std::string& key, std::size_t index, std::size_t count);

using augment::lower_extension;  // from augment/core/paths.hpp

}  // namespace augment::runner
