// merge-manifests: the shard manifests of a sharded run → the manifest.csv one unsharded run
// writes. It merges only a complete, consistent set: every shard 0..N-1 of one N, each finished
// (its run state says so, with as many rows as its manifest), all made with the same settings
// but the shard, every row in the shard its source hashes to, no output twice, every output
// present. Anything else is refused with the list of what is wrong, and nothing is written.
#include <algorithm>
#include <optional>
#include <map>
#include <regex>
#include <set>

#include "augment/core/csv.hpp"
#include "augment/core/error.hpp"
#include "augment/runner/dataset.hpp"
#include "augment/runner/run_dataset.hpp"
#include "manifest_rows.hpp"
#include "run_state.hpp"

namespace augment::runner {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct ShardFile {
  std::size_t index = 0, count = 0;
  fs::path path;
};

std::string shard_name(std::size_t index, std::size_t count) {
  return "shard " + std::to_string(index) + "/" + std::to_string(count);
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// The keys of two settings objects whose values differ, the shard aside.
std::vector<std::string> differing_settings(const json& a, const json& b) {
  std::set<std::string> keys;
  for (const auto& [key, value] : a.items()) keys.insert(key);
  for (const auto& [key, value] : b.items()) keys.insert(key);
  std::vector<std::string> out;
  for (const auto& key : keys)
    if (key != "shard" && (!a.contains(key) || !b.contains(key) || a[key] != b[key])) out.push_back(key);
  return out;
}

}  // namespace

std::size_t merge_manifests(const fs::path& output) {
  static const std::regex shard_pattern(R"(manifest-(\d{1,9})-of-(\d{1,9})\.csv)");
  std::error_code ec;
  if (!fs::is_directory(output, ec))
    throw DataError(output.string() + ": " + (fs::exists(output, ec) ? "not a folder" : "no such folder"));
  std::vector<ShardFile> files;
  for (auto it = fs::directory_iterator(output, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::smatch m;
    const std::string name = it->path().filename().string();
    if (!std::regex_match(name, m, shard_pattern)) continue;
    files.push_back({std::stoul(m[1].str()), std::stoul(m[2].str()), it->path()});
  }
  if (ec) throw DataError(output.string() + ": cannot list: " + ec.message());
  if (files.empty()) throw DataError(output.string() + ": no shard manifests (manifest-K-of-N.csv) to merge");
  std::sort(files.begin(), files.end(), [](const ShardFile& a, const ShardFile& b) {
    return std::tie(a.count, a.index, a.path) < std::tie(b.count, b.index, b.path);
  });

  std::vector<std::string> problems;
  // One shard count, each shard once, none missing.
  std::set<std::size_t> counts;
  for (const auto& f : files) counts.insert(f.count);
  if (counts.size() > 1) {
    std::vector<std::string> names;
    for (const auto& f : files) names.push_back(f.path.filename().string());
    throw DataError(output.string() + ": cannot merge: shard manifests of different runs (" + join(names, ", ") +
                    "); keep one run's manifest-K-of-N.csv files");
  }
  const std::size_t count = *counts.begin();
  std::map<std::size_t, std::vector<fs::path>> by_index;
  for (const auto& f : files) {
    if (f.index >= count) problems.push_back(f.path.filename().string() + " is not a shard of " + std::to_string(count));
    else by_index[f.index].push_back(f.path);
  }
  std::vector<std::string> missing;
  for (std::size_t k = 0; k < count; ++k) {
    if (!by_index.contains(k)) missing.push_back(std::to_string(k));
    else if (by_index[k].size() > 1) {
      std::vector<std::string> names;
      for (const auto& p : by_index[k]) names.push_back(p.filename().string());
      problems.push_back(shard_name(k, count) + " has several manifests (" + join(names, ", ") + ")");
    }
  }
  if (!missing.empty())
    problems.insert(problems.begin(), "missing " + std::string(missing.size() > 1 ? "shards " : "shard ") +
                                          join(missing, ", ") + " of " + std::to_string(count) +
                                          " (no manifest-K-of-" + std::to_string(count) + ".csv)");

  // Each shard's manifest and run state.
  std::vector<ManifestRow> rows;
  std::vector<std::string> header;
  std::optional<json> reference;  // the first shard's settings
  std::size_t reference_shard = 0;
  std::size_t copies = 1;  // the run's: a manifest's index is source position × copies + copy
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> seen;  // (index, copy) → shard
  for (const auto& [k, paths] : by_index) {
    if (paths.size() != 1) continue;
    const fs::path& manifest = paths.front();
    const std::string name = manifest.filename().string();
    const fs::path state_file = output / (".augment-run-" + std::to_string(k) + "-of-" + std::to_string(count) + ".json");
    std::optional<RunState> state;
    try {
      state = read_run_state(state_file);
    } catch (const UsageError&) {
      problems.push_back(shard_name(k, count) + ": its run state " + state_file.filename().string() + " is damaged");
      continue;
    }
    if (!state) {
      problems.push_back(shard_name(k, count) + ": no run state " + state_file.filename().string() +
                         " to check its settings against the other shards'");
      continue;
    }
    if (!state->complete) {
      problems.push_back(shard_name(k, count) + " has not finished (run it again with --resume)");
      continue;
    }
    if (state->settings.value("shard", json()) != json{k, count}) {
      problems.push_back(state_file.filename().string() + " is not the run state of " + shard_name(k, count));
      continue;
    }
    if (!reference) {
      reference = state->settings;
      reference_shard = k;
      if (const auto& c = reference->value("copies", json()); c.is_number_unsigned() && c.get<std::size_t>() > 0)
        copies = c.get<std::size_t>();
    } else if (const auto differs = differing_settings(*reference, state->settings); !differs.empty()) {
      problems.push_back(shard_name(k, count) + " was made with other settings than shard " +
                         std::to_string(reference_shard) + " (" + join(differs, ", ") + ")");
      continue;
    }
    std::vector<std::string> labels;
    {
      CsvReader reader(manifest);
      if (reader.header().size() < 5 || reader.header().front() != "index" || reader.header().back() != "params")
        throw DataError(manifest.string() + ": not a manifest of this tool (index,path,source,copy,...,params)");
      if (header.empty()) header = reader.header();
      else if (reader.header() != header)
        throw DataError(manifest.string() + ": its columns differ from the other shard manifests'");
      labels.assign(header.begin() + 4, header.end() - 1);
    }
    auto part = read_manifest_rows(manifest, labels, copies);
    if (part.size() != state->rows) {
      problems.push_back(name + " has " + std::to_string(part.size()) + " rows but its run wrote " +
                         std::to_string(state->rows) + " (a manifest of another run?)");
      continue;
    }
    std::size_t absent = 0;
    std::string first_absent;
    for (const auto& row : part) {
      if (!in_shard(row.source, k, count)) {
        problems.push_back(name + ": " + row.source + " does not belong to " + shard_name(k, count));
        break;
      }
      if (const auto [it, fresh] = seen.emplace(std::pair{row.index, row.copy}, k); !fresh) {
        problems.push_back(name + ": output " + row.path + " is also listed by shard " + std::to_string(it->second));
        break;
      }
      if (!fs::exists(output / row.path, ec)) {
        if (absent++ == 0) first_absent = row.path;
      }
    }
    if (absent > 0)
      problems.push_back(name + ": " + std::to_string(absent) + " listed output" + (absent > 1 ? "s are" : " is") +
                         " missing (" + first_absent + (absent > 1 ? ", ..." : "") + ")");
    rows.insert(rows.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
  }
  if (!problems.empty())
    throw DataError(output.string() + ": cannot merge an incomplete or mixed set of shards: " + join(problems, "; ") +
                    "; nothing written");
  std::sort(rows.begin(), rows.end(),
            [](const ManifestRow& a, const ManifestRow& b) { return std::tie(a.index, a.copy) < std::tie(b.index, b.copy); });
  write_manifest_rows(rows, output / manifest_name(0, 1), std::vector<std::string>(header.begin() + 4, header.end() - 1),
                      copies);
  return rows.size();
}

}  // namespace augment::runner
