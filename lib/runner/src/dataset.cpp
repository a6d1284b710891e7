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


std::string class_subfolder(const fs::path& source, const fs::path& folder) {
  const std::string inside = source.lexically_relative(folder).generic_string();
  const auto slash = inside.find('/');
  return slash == std::string::npos || inside.starts_with("../") ? std::string() : inside.substr(0, slash);
}

bool in_shard(const std::string& key, std::size_t index, std::size_t count) {
  return count <= 1 || hash_key(key) % count == index;
}

namespace {

// `path` absolute and lexically normal, without a trailing separator: the one spelling keys are
// taken from, whatever the working folder and however the user wrote it.
fs::path absolute_normal(const fs::path& path) {
  std::error_code ec;
  fs::path r = fs::absolute(path, ec).lexically_normal();
  if (!r.has_filename() && r != r.root_path()) r = r.parent_path();
  return r;
}

// The folders `path` really names (symlinks resolved). `follow_last` false keeps a file's own
// name: a sample that is a symlink into a blob store keeps its key.
fs::path real_path(const fs::path& path, bool follow_last) {
  std::error_code ec;
  if (follow_last) {
    fs::path r = fs::weakly_canonical(path, ec);
    return ec ? path : r;
  }
  const fs::path folder = fs::weakly_canonical(path.parent_path(), ec);
  return ec ? path : folder / path.filename();
}

// `path` relative to `root` when it lies inside it ("." for the root itself).
std::optional<fs::path> relative_inside(const fs::path& path, const fs::path& root) {
  fs::path r = path.lexically_relative(root);
  if (r.empty() || *r.begin() == "..") return std::nullopt;
  return r;
}

}  // namespace

struct DatasetReader::State {
  Kind kind;
  const Registry* registry;
  fs::path root;                  // as given, for messages and root()
  bool explicit_root = false;     // given by the caller, not the input's own folder
  fs::path root_abs, root_real;   // absolute_normal(root), and with its symlinks resolved
  fs::path folder_prefix;         // a folder input's path inside the root ("." when it is the root)
  fs::path manifest_folder;       // what a manifest's relative paths start from
  std::vector<std::string> label_columns;
  std::size_t ignored = 0, next_index = 0;
  // Folder walk: a stack of folders, each with its sorted entries and the position reached.
  struct Folder {
    std::vector<fs::path> children;
    std::size_t at = 0;
  };
  std::vector<Folder> stack;
  // Manifest
  fs::path input_folder;  // the folder input, as given (the walk's paths start with it)
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
      const std::string key = (folder_prefix / path.lexically_relative(input_folder)).lexically_normal().generic_string();
      entry = {next_index++, key, path, {}, ""};
      return true;
    }
    return false;
  }

  // The key of `path`: its place under the root, lexically when it is written through the
  // root's own spelling, else through the real folders (an absolute path in a manifest read
  // through a symlink or another mount of the same data). None when it lies outside the root.
  std::optional<fs::path> key_of(const fs::path& path, bool follow_last) const {
    if (auto r = relative_inside(absolute_normal(path), root_abs)) return r;
    return relative_inside(real_path(absolute_normal(path), follow_last), root_real);
  }

  bool next_row(DatasetEntry& entry) {
    entry = DatasetEntry{};
    entry.index = next_index;
    try {
      CsvRow row;
      if (!manifest->next(row)) return false;
      const fs::path given = row.fields[path_column];
      const std::string where = manifest->name() + ":" + std::to_string(row.line) + ": ";
      entry.source = given.is_absolute() ? given : manifest_folder / given;
      const std::optional<fs::path> key = key_of(entry.source, false);
      if (key) entry.key = key->generic_string();
      for (std::size_t j = 0; j < row.fields.size(); ++j)
        if (j != path_column) entry.labels.push_back(row.fields[j]);
      if (given.empty()) entry.error = where + "empty path";
      else if (!key)
        entry.error = where + (explicit_root ? "path leaves the dataset root " + root.string() : "path leaves the manifest's folder") +
                      ": " + given.string() + " (keys are relative to the root; name one that holds every path: --root, "
                      "or data.root in a training config)";
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

DatasetReader::DatasetReader(const fs::path& input, Kind kind, const Registry& registry, const fs::path& root)
    : state_(std::make_unique<State>()) {
  if (registry.codecs(kind).empty())
    throw UsageError("no module in this build reads " + std::string(to_string(kind)) + " files");
  State& s = *state_;
  s.kind = kind;
  s.registry = &registry;
  std::error_code ec;
  const bool is_folder = fs::is_directory(input, ec);
  if (!is_folder && !fs::exists(input, ec)) throw DataError(input.string() + ": no such file or folder");
  if (!is_folder && lower_extension(input) != ".csv")
    throw UsageError(input.string() + ": expected a folder or a manifest .csv with a path column");
  s.explicit_root = !root.empty();
  if (s.explicit_root) {
    if (!fs::exists(root, ec)) throw DataError(root.string() + ": no such folder (the dataset root)");
    if (!fs::is_directory(root, ec)) throw UsageError(root.string() + ": the dataset root must be a folder");
  }
  s.root = s.explicit_root ? root : is_folder ? input : input.parent_path();
  s.root_abs = absolute_normal(s.root.empty() ? fs::path(".") : s.root);  // a manifest in the working folder
  s.root_real = real_path(s.root_abs, true);
  if (is_folder) {
    const std::optional<fs::path> prefix = s.key_of(input, true);
    if (!prefix) throw UsageError(input.string() + ": not inside the dataset root " + s.root.string());
    s.folder_prefix = *prefix;
    s.input_folder = input;
    s.stack.push_back(s.list(input));
    return;
  }
  s.manifest_folder = input.parent_path();
  s.manifest.emplace(input);
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
