#include "augment/runner/dataset.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <unordered_map>

#include "augment/core/csv.hpp"
#include "augment/core/error.hpp"
#include "augment/core/rng.hpp"

namespace augment::runner {
namespace fs = std::filesystem;


bool in_shard(const std::string& key, std::size_t index, std::size_t count) {
  return count <= 1 || hash_key(key) % count == index;
}

struct DatasetReader::State {
  Kind kind;
  const Registry* registry;
  fs::path root;
  std::vector<std::string> label_columns;
  std::size_t ignored = 0, next_index = 0;
  // Folder walk: a stack of folders, each with its sorted entries and the position reached.
  struct Folder {
    std::vector<fs::path> children;
    std::size_t at = 0;
  };
  std::vector<Folder> stack;
  // Manifest
  std::optional<CsvReader> manifest;
  std::size_t path_column = 0;
  // Hash of each manifest key → its line: a path listed twice would have two writers of the
  // same outputs. 8-16 bytes a row, the one thing a manifest read keeps per row.
  std::unordered_map<std::uint64_t, std::size_t> seen_keys;

  Folder list(const fs::path& folder) const {
    Folder f;
    std::error_code ec;
    for (auto it = fs::directory_iterator(folder, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::directory_iterator(); it.increment(ec))
      if (!it->path().filename().string().starts_with(".")) f.children.push_back(it->path());  // hidden, temporaries
    if (ec) throw DataError(folder.string() + ": cannot list: " + ec.message());
    std::sort(f.children.begin(), f.children.end(),
              [](const fs::path& a, const fs::path& b) { return a.filename().string() < b.filename().string(); });
    return f;
  }

  bool next_file(DatasetEntry& entry) {
    while (!stack.empty()) {
      Folder& top = stack.back();
      if (top.at == top.children.size()) {
        stack.pop_back();
        continue;
      }
      const fs::path path = top.children[top.at++];
      std::error_code ec;
      if (fs::is_directory(path, ec)) {
        stack.push_back(list(path));
        continue;
      }
      if (!fs::is_regular_file(path, ec)) continue;
      const SampleCodec* codec = registry->codec_for(kind, lower_extension(path));
      if (!codec) {
        ++ignored;
        continue;
      }
      if (codec->is_companion(path)) continue;  // read with the sample it belongs to
      entry = {next_index++, path.lexically_relative(root).generic_string(), path, {}, ""};
      return true;
    }
    return false;
  }

  bool next_row(DatasetEntry& entry) {
    entry = DatasetEntry{};
    entry.index = next_index;
    try {
      CsvRow row;
      if (!manifest->next(row)) return false;
      const fs::path given = row.fields[path_column];
      const std::string where = manifest->name() + ":" + std::to_string(row.line) + ": ";
      entry.source = given.is_absolute() ? given : root / given;
      // Absolute paths mirror without their root: /data/a.png → data/a.png under the output.
      entry.key = (given.is_absolute() ? given.relative_path() : given).lexically_normal().generic_string();
      for (std::size_t j = 0; j < row.fields.size(); ++j)
        if (j != path_column) entry.labels.push_back(row.fields[j]);
      if (given.empty()) entry.error = where + "empty path";
      else if (entry.key.starts_with("../")) entry.error = where + "path leaves the manifest's folder: " + given.string();
      else if (!registry->codec_for(kind, lower_extension(given)))
        entry.error = where + "no " + std::string(to_string(kind)) + " reader for '" + lower_extension(given) + "' files";
      else if (const auto [it, fresh] = seen_keys.emplace(hash_key(entry.key), row.line); !fresh)
        entry.error = where + given.string() + " is listed again (first on line " + std::to_string(it->second) +
                      "); its outputs would overwrite each other";
    } catch (const DataError& e) {  // a malformed row: reported in its place
      entry.error = e.what();
      entry.labels.assign(label_columns.size(), "");
    }
    ++next_index;
    return true;
  }
};

DatasetReader::DatasetReader(const fs::path& input, Kind kind, const Registry& registry)
    : state_(std::make_unique<State>()) {
  if (registry.codecs(kind).empty())
    throw UsageError("no module in this build reads " + std::string(to_string(kind)) + " files");
  state_->kind = kind;
  state_->registry = &registry;
  std::error_code ec;
  if (fs::is_directory(input, ec)) {
    state_->root = input;
    state_->stack.push_back(state_->list(input));
    return;
  }
  if (!fs::exists(input, ec)) throw DataError(input.string() + ": no such file or folder");
  if (lower_extension(input) != ".csv")
    throw UsageError(input.string() + ": expected a folder or a manifest .csv with a path column");
  state_->root = input.parent_path();
  state_->manifest.emplace(input);
  state_->path_column = state_->manifest->column_index("path");
  for (std::size_t j = 0; j < state_->manifest->header().size(); ++j)
    if (j != state_->path_column) state_->label_columns.push_back(state_->manifest->header()[j]);
}

DatasetReader::~DatasetReader() = default;
DatasetReader::DatasetReader(DatasetReader&&) noexcept = default;
DatasetReader& DatasetReader::operator=(DatasetReader&&) noexcept = default;

bool DatasetReader::next(DatasetEntry& entry) {
  return state_->manifest ? state_->next_row(entry) : state_->next_file(entry);
}
const fs::path& DatasetReader::root() const { return state_->root; }
const std::vector<std::string>& DatasetReader::label_columns() const { return state_->label_columns; }
std::size_t DatasetReader::ignored() const { return state_->ignored; }

}  // namespace augment::runner
