#include "augment/runner/dataset.hpp"

#include <algorithm>
#include <cctype>

#include "augment/core/csv.hpp"
#include "augment/core/error.hpp"
#include "augment/core/rng.hpp"

namespace augment::runner {
namespace fs = std::filesystem;

std::string lower_extension(const fs::path& file) {
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

bool in_shard(const std::string& key, std::size_t index, std::size_t count) {
  return count <= 1 || hash_key(key) % count == index;
}

namespace {

Dataset list_folder(const fs::path& root, Kind kind, const Registry& registry) {
  Dataset d;
  d.root = root;
  std::vector<std::pair<std::string, fs::path>> found;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const auto& path = it->path();
    if (path.filename().string().starts_with(".")) continue;  // hidden files, our own temporaries
    if (!registry.codec_for(kind, lower_extension(path))) {
      ++d.ignored;
      continue;
    }
    found.emplace_back(fs::relative(path, root).generic_string(), path);
  }
  if (ec) throw DataError(root.string() + ": cannot list: " + ec.message());
  std::sort(found.begin(), found.end());  // byte order of keys: the same on every machine
  for (auto& [key, path] : found) d.entries.push_back({d.entries.size(), key, path, {}, ""});
  return d;
}

Dataset list_manifest(const fs::path& manifest, Kind kind, const Registry& registry) {
  Dataset d;
  d.root = manifest.parent_path();
  CsvReader reader(manifest);
  const std::size_t path_column = reader.column_index("path");
  for (std::size_t j = 0; j < reader.header().size(); ++j)
    if (j != path_column) d.label_columns.push_back(reader.header()[j]);
  for (;;) {
    DatasetEntry entry;
    entry.index = d.entries.size();
    try {
      CsvRow row;
      if (!reader.next(row)) break;
      const fs::path given = row.fields[path_column];
      const std::string where = manifest.string() + ":" + std::to_string(row.line) + ": ";
      entry.source = given.is_absolute() ? given : d.root / given;
      // Absolute paths mirror without their root: /data/a.png → data/a.png under the output.
      entry.key = (given.is_absolute() ? given.relative_path() : given).lexically_normal().generic_string();
      for (std::size_t j = 0; j < row.fields.size(); ++j)
        if (j != path_column) entry.labels.push_back(row.fields[j]);
      if (given.empty()) entry.error = where + "empty path";
      else if (entry.key.starts_with("../")) entry.error = where + "path leaves the manifest's folder: " + given.string();
      else if (!registry.codec_for(kind, lower_extension(given)))
        entry.error = where + "no " + std::string(to_string(kind)) + " reader for '" + lower_extension(given) + "' files";
    } catch (const DataError& e) {
      entry.error = e.what();
    }
    d.entries.push_back(std::move(entry));
  }
  return d;
}

}  // namespace

Dataset list_dataset(const fs::path& input, Kind kind, const Registry& registry) {
  if (registry.codecs(kind).empty())
    throw UsageError("no module in this build reads " + std::string(to_string(kind)) + " files");
  std::error_code ec;
  if (fs::is_directory(input, ec)) return list_folder(input, kind, registry);
  if (!fs::exists(input, ec)) throw DataError(input.string() + ": no such file or folder");
  if (lower_extension(input) != ".csv")
    throw UsageError(input.string() + ": expected a folder or a manifest .csv with a path column");
  return list_manifest(input, kind, registry);
}

}  // namespace augment::runner
