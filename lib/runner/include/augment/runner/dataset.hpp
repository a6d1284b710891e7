#pragma once
// The samples of a dataset: the files of a folder (walked recursively, kept when a codec of the
// pipeline's kind reads their extension) or the rows of a manifest CSV (a `path` column plus
// label columns). Each entry has a stable key — its path relative to the dataset root, with
// forward slashes — that fixes its random numbers, its shard and its output name. The root is
// the folder, the manifest's folder, or one given above either; since keys never hold the
// root's own path, the same dataset moved, copied or reached through a symlink draws the same
// numbers and writes the same outputs.
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
  /// Opens `input` (a folder or a .csv manifest) for samples of `kind`, keyed relative to
  /// `root` (empty: the folder, or the manifest's folder). Throws DataError when the input or
  /// the root does not exist or the manifest has no `path` column; UsageError when no codec
  /// reads files of `kind`, the input is neither a folder nor a .csv, the root is not a folder
  /// or a folder input is not inside it. A manifest row whose path is outside the root is
  /// reported in its entry's `error`.
  DatasetReader(const std::filesystem::path& input, Kind kind, const Registry& registry,
                const std::filesystem::path& root = {});
  ~DatasetReader();
  DatasetReader(DatasetReader&&) noexcept;
  DatasetReader& operator=(DatasetReader&&) noexcept;

  /// The next entry in dataset order; false at the end.
  bool next(DatasetEntry& entry);
  /// The dataset root keys are relative to: as given, or the folder, or the manifest's folder.
  const std::filesystem::path& root() const;
  /// Manifest columns other than `path` (none for a folder).
  const std::vector<std::string>& label_columns() const;
  /// Files seen so far that no codec of the kind reads (folders only).
  std::size_t ignored() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// The class of a file of a folder dataset, as torchvision's ImageFolder takes it: the first
/// subfolder of its path inside `folder` ("cat/001.png" → "cat"); empty for a file directly in
/// it. From the path inside the folder, not the key, which starts higher under a root above it.
std::string class_subfolder(const std::filesystem::path& source, const std::filesystem::path& folder);

/// True when `key` belongs to shard `index` of `count`: a hash of the key, so the split does not
/// depend on the order or number of files, and shards 0..count-1 partition the dataset.
bool in_shard(const std::string& key, std::size_t index, std::size_t count);

using augment::lower_extension;  // from augment/core/paths.hpp

}  // namespace augment::runner
