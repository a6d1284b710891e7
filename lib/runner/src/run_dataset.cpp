#include "augment/runner/run_dataset.hpp"

#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <optional>
#include <regex>

#include "augment/core/atomic_file.hpp"
#include "augment/core/csv.hpp"
#include "augment/core/error.hpp"
#include "augment/runner/dataset.hpp"
#include "journal_file.hpp"
#include "manifest_rows.hpp"
#include "run_state.hpp"

namespace augment::runner {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string shard_suffix(std::size_t index, std::size_t count) {
  return count > 1 ? "-" + std::to_string(index) + "-of-" + std::to_string(count) : "";
}

// weakly_canonical that does not throw: a path that cannot be resolved (no permission to look)
// is taken as given, made absolute.
fs::path resolved(const fs::path& path) {
  std::error_code ec;
  fs::path r = fs::weakly_canonical(path, ec);
  if (!ec) return r;
  r = fs::absolute(path, ec);
  return r.lexically_normal();
}

bool is_inside(const fs::path& inner, const fs::path& outer) {
  const fs::path a = resolved(inner), b = resolved(outer);
  auto [ai, bi] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  return bi == b.end();
}

void check_options(const Pipeline& pipeline, const fs::path& root, const DatasetRunOptions& o) {
  if (o.copies == 0) throw UsageError("copies must be at least 1");
  if (o.shard_count == 0 || o.shard_index >= o.shard_count)
    throw UsageError("shard must be K/N with 0 <= K < N, got " + std::to_string(o.shard_index) + "/" +
                     std::to_string(o.shard_count));
  if (const auto unfitted = pipeline.unfitted_stages(); !unfitted.empty())
    throw UsageError(unfitted.front() + ": not fitted; run `augment fit` first or give its state");
  if (is_inside(o.output, root))
    throw UsageError(o.output.string() + ": the output folder is inside the input (" + root.string() +
                     "); choose a folder outside it");
}

// Refuses an output that is not a folder; with `create`, makes it and checks it can be written
// to. Usage errors (exit 2): the folder is the user's choice. A full disk is a write error.
void prepare_output_folder(const fs::path& output, bool create) {
  std::error_code ec;
  const fs::file_status status = fs::status(output, ec);
  if (fs::exists(status) && !fs::is_directory(status))
    throw UsageError(output.string() + ": exists and is not a folder; --output takes a folder for a dataset");
  if (!create) return;
  if (!fs::exists(status)) {
    fs::create_directories(output, ec);
    if (ec == std::errc::no_space_on_device || ec == std::errc::io_error)
      throw OutputWriteError(output.string() + ": cannot create the output folder: " + ec.message(), ec.value());
    if (ec) throw UsageError(output.string() + ": cannot create the output folder: " + ec.message());
  }
  if (::access(output.c_str(), W_OK | X_OK) != 0)
    throw UsageError(output.string() + ": cannot write into the output folder: " + std::strerror(errno));
}

// The folder of an output, made if missing; a failure stops the run like a failed write.
void make_folder(const fs::path& folder) {
  std::error_code ec;
  if (fs::is_directory(folder, ec)) return;
  fs::create_directories(folder, ec);
  if (ec) throw OutputWriteError(folder.string() + ": cannot create the folder: " + ec.message(), ec.value());
}

// The settings that must match for --resume to keep earlier outputs; a root, when given,
// too (another root gives other keys, so other draws and names).
json run_settings(const Pipeline& pipeline, const Registry& registry, const DatasetRunOptions& o) {
  json settings = {{"pipeline", pipeline.to_json()}, {"seed", o.seed},     {"copies", o.copies},
                   {"original", o.original},         {"input", resolved(o.input).string()},
                   {"shard", {o.shard_index, o.shard_count}}};
  if (!o.root.empty()) settings["root"] = resolved(o.root).string();
  if (o.labels_from_folders) settings["labels"] = "folders";
  // Absent when every codec reads as by default, so run states written before codecs had read
  // settings still match.
  for (const SampleCodec* codec : registry.codecs(pipeline.input_kind()))
    if (std::string read = codec->read_settings(); !read.empty()) settings["read"].push_back(std::move(read));
  return settings;
}

// The file an output of `entry` gets for `copy`: the source's relative path, with _<copy>
// before the extension when there are several copies.
std::string output_key(const std::string& key, std::size_t copy, std::size_t copies, const std::string& ext) {
  fs::path p(key);
  std::string name = p.stem().string();
  if (copies > 1) name += "_" + std::to_string(copy);
  return (p.parent_path() / (name + ext)).generic_string();
}

// Removes the temporary files (".NAME.tmp.PID.N", or with an extension after N for encoders
// that pick their format by it) that writers killed mid-write left under `output`: those of
// processes no longer alive on this machine (a shard running beside this one keeps its own),
// and with `own`, this process's (called once none of its writers is running).
void remove_temporaries(const fs::path& output, bool own) {
  static const std::regex temporary(R"(\..+\.tmp\.(\d{1,9})\.\d+(\.[A-Za-z0-9]+)?)");
  const pid_t self = ::getpid();
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(output, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    std::smatch m;
    const std::string name = it->path().filename().string();
    if (!std::regex_match(name, m, temporary)) continue;
    const auto pid = static_cast<pid_t>(std::stol(m[1].str()));
    std::error_code ignored;
    if ((own && pid == self) || (pid != self && ::kill(pid, 0) != 0 && errno == ESRCH)) fs::remove(it->path(), ignored);
  }
}

struct SourceResult {
  std::vector<ManifestRow> rows;  // one per output of this source (written or resumed)
  std::size_t written = 0, resumed = 0;
  bool processed = false;
  bool skipped = false;      // not started: the run was stopping
  bool cut_short = false;    // stopped between copies: the rows so far are journaled
  std::string error;         // this source failed
  std::string fatal;         // a write failed: the run stops
  int fatal_errno = 0;
};

// "PATH: REASON" for a file-system error thrown where nobody expected one.
std::string describe(const fs::filesystem_error& e) {
  std::string where = e.path1().string();
  if (!e.path2().empty()) where += " -> " + e.path2().string();
  return (where.empty() ? std::string("file system") : where) + ": " + e.code().message();
}

std::string manifest_name_of(std::size_t shard_index, std::size_t shard_count) {
  return "manifest" + shard_suffix(shard_index, shard_count) + ".csv";
}

DatasetRunSummary run(const Pipeline& pipeline, const Registry& registry, const DatasetRunOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  const Kind in_kind = pipeline.input_kind(), out_kind = pipeline.output_kind();
  DatasetReader reader(o.input, in_kind, registry, o.root);
  check_options(pipeline, reader.root(), o);
  if (registry.codecs(out_kind).empty())
    throw UsageError("no module in this build writes " + std::string(to_string(out_kind)) + " files");
  if (std::error_code ec; o.labels_from_folders && !fs::is_directory(o.input, ec))
    throw UsageError(o.input.string() + ": labels from folders need a folder input; a manifest's labels are its columns");
  const std::vector<std::string> label_columns =
      o.labels_from_folders ? std::vector<std::string>{"label"} : reader.label_columns();
  // The next entry of this shard, or false at the end; with its class folder as its label.
  auto next_entry = [&](DatasetReader& r, DatasetEntry& entry) {
    while (r.next(entry)) {
      if (!in_shard(entry.key, o.shard_index, o.shard_count)) continue;
      if (o.labels_from_folders) {
        entry.labels = {class_subfolder(entry.source, o.input)};
        if (entry.labels[0].empty() && entry.error.empty())
          entry.error = entry.source.string() + ": not in a class subfolder (labels from folders take one subfolder per class)";
      }
      return true;
    }
    return false;
  };

  DatasetRunSummary summary;
  const std::string suffix = shard_suffix(o.shard_index, o.shard_count);
  summary.manifest = o.output / manifest_name_of(o.shard_index, o.shard_count);
  const fs::path settings_file = o.output / (".augment-run" + suffix + ".json");
  const fs::path journal_file = o.output / (".augment-journal" + suffix + ".jsonl");
  const json settings = run_settings(pipeline, registry, o);

  // What an earlier run with the same settings finished, keyed by (source index, copy). Only
  // through its run state: a damaged one is refused, one of other settings too; a finished
  // run's manifest, else the journal of the run the state describes.
  std::map<std::pair<std::size_t, std::size_t>, ManifestRow> done;
  prepare_output_folder(o.output, false);
  if (o.resume) {
    if (const std::optional<RunState> before = read_run_state(settings_file)) {
      if (before->settings != settings) {
        std::string differs;
        for (const auto& [key, value] : settings.items())
          if (!before->settings.contains(key) || before->settings[key] != value)
            differs += (differs.empty() ? "" : ", ") + key;
        for (const auto& [key, value] : before->settings.items())  // one it had and this run has not ("read")
          if (!settings.contains(key)) differs += (differs.empty() ? "" : ", ") + key;
        throw UsageError(o.output.string() + ": --resume: the earlier run used other settings (" + differs +
                         "); rerun without --resume or into another folder");
      }
      std::vector<ManifestRow> rows;
      if (before->complete) {
        try {
          rows = read_manifest_rows(summary.manifest, label_columns, o.copies);
        } catch (const DataError&) {
          rows.clear();  // a damaged manifest: make every output again
        }
        if (rows.size() != before->rows) rows.clear();
      } else {
        rows = read_journal(journal_file);
      }
      for (auto& row : rows) done[{row.index, row.copy}] = std::move(row);
    }
  }
  if (o.dry_run) {
    for (DatasetEntry entry; next_entry(reader, entry);) ++summary.sources;
    summary.ignored = reader.ignored();
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
  }

  prepare_output_folder(o.output, true);
  if (o.resume) remove_temporaries(o.output, false);
  // The old journal goes before the new state names these settings, so a journal never
  // describes a run other than the one its state file names (both already read above).
  {
    std::error_code ignored;
    fs::remove(journal_file, ignored);
  }
  write_run_state(settings_file, {settings, false, 0});
  for (const SampleCodec* codec : registry.codecs(in_kind)) codec->prepare_parallel_run();
  JournalFile journal(journal_file);

  // A failed write sets `halt`; a signal sets *o.stop. Either way no new source is taken.
  std::atomic<bool> halt{false}, cut_short{false};
  auto stopping = [&] { return halt.load() || (o.stop && o.stop->load() != 0); };

  auto process = [&](const DatasetEntry& entry) {
    SourceResult result;
    if (stopping()) {
      result.skipped = true;
      cut_short = true;
      return result;
    }
    try {
      if (!entry.error.empty()) throw DataError(entry.error);
      const SampleCodec* in_codec = registry.codec_for(in_kind, lower_extension(entry.source));
      std::string out_ext = in_codec->output_extension(lower_extension(entry.source));
      // The reading codec writes when the kind stays (it may write another format: a video's
      // frames manifest); otherwise the codec of the output kind for that extension.
      const SampleCodec* out_codec = in_codec->kind() == out_kind ? in_codec : registry.codec_for(out_kind, out_ext);
      if (!out_codec) {
        out_codec = registry.codecs(out_kind).front();
        out_ext = out_codec->extensions().front();
      }
      Columns columns;  // the manifest row's other columns, by name
      for (std::size_t j = 0; j < entry.labels.size() && j < label_columns.size(); ++j)
        columns.emplace_back(label_columns[j], entry.labels[j]);
      std::optional<Sample> source;  // read once, only if some copy must be made
      for (std::size_t copy = 0; copy < o.copies; ++copy) {
        const std::string out_key = output_key(entry.key, copy, o.copies, out_ext);
        std::error_code ec;
        if (auto it = done.find({entry.index, copy}); it != done.end() && it->second.path == out_key &&
                                                      it->second.source == entry.key &&
                                                      fs::is_regular_file(o.output / out_key, ec)) {
          result.rows.push_back(it->second);
          ++result.resumed;
          continue;
        }
        if (copy > 0 && stopping()) {  // finish the output at hand, abandon the rest of this source
          result.cut_short = true;
          cut_short = true;
          return result;
        }
        if (!source) source = in_codec->read_with_columns(entry.source, columns);
        Sample sample = *source;
        const json record = o.original && copy == 0 ? pipeline.preprocess(sample)
                                                    : pipeline.run(sample, Rng::derive(o.seed, entry.key, copy, 0));
        const fs::path target = o.output / out_key;
        make_folder(target.parent_path());
        const Durability durability = o.fsync ? Durability::fsync : Durability::atomic_only;
        out_codec->settle(sample);
        AtomicOutputFile file(target, durability);
        try {
          out_codec->write_as(sample, out_ext, target, file.stream());
          out_codec->write_companions(sample, target, durability);
          file.commit();
        } catch (const OutputWriteError&) {
          throw;
        } catch (...) {
          // A codec that only saw its stream fail blames its input; the file knows why.
          if (const int error = file.write_error(); error != 0) throw_write_error(target, error);
          throw;
        }
        // Label columns the sample carries (moved boxes) take their new values.
        std::vector<std::string> labels = entry.labels;
        for (const auto& [name, value] : out_codec->output_columns(sample))
          for (std::size_t j = 0; j < label_columns.size() && j < labels.size(); ++j)
            if (label_columns[j] == name) labels[j] = value;
        result.rows.push_back({entry.index, copy, out_key, entry.key, std::move(labels), record});
        ++result.written;
      }
      result.processed = true;
    } catch (const OutputWriteError& e) {
      result.fatal = e.what();
      result.fatal_errno = e.error();
    } catch (const fs::filesystem_error& e) {
      result.fatal = describe(e);
      result.fatal_errno = e.code().value();
    } catch (const Error& e) {
      const std::string message = e.what();
      // Name the source unless the message already names it or a file beside it (its mask).
      const std::string folder = entry.source.parent_path().string();
      const bool named = message.starts_with(entry.source.string()) || (!folder.empty() && message.starts_with(folder + "/"));
      result.error = named || !entry.error.empty() ? message : entry.source.string() + ": " + message;
    } catch (const std::exception& e) {  // e.g. an OpenCV exception from a corrupt file
      result.error = entry.source.string() + ": " + e.what();
    }
    return result;
  };

  // The total, for progress and ETA: a second, cheap walk (names only).
  std::size_t total = 0;
  if (o.on_progress) {
    DatasetReader counter(o.input, in_kind, registry, o.root);
    for (DatasetEntry entry; next_entry(counter, entry);) ++total;
  }

  const auto cores = static_cast<std::size_t>(tbb::info::default_concurrency());
  const std::size_t threads = o.jobs == 0 ? cores : std::min(o.jobs, cores);
  auto last_progress = std::chrono::steady_clock::now();
  std::size_t journal_rows = 0;
  std::string fatal;
  int fatal_errno = 0;
  tbb::task_arena arena(static_cast<int>(threads));
  try {
    arena.execute([&] {
      tbb::parallel_pipeline(
          2 * threads,
          tbb::make_filter<void, std::shared_ptr<DatasetEntry>>(
              tbb::filter_mode::serial_in_order,
              [&](tbb::flow_control& fc) {
                auto entry = std::make_shared<DatasetEntry>();
                if (stopping()) {
                  cut_short = true;
                  fc.stop();
                } else if (!next_entry(reader, *entry)) {
                  fc.stop();
                }
                return entry;
              }) &
              tbb::make_filter<std::shared_ptr<DatasetEntry>, std::shared_ptr<SourceResult>>(
                  tbb::filter_mode::parallel,
                  [&](const std::shared_ptr<DatasetEntry>& entry) { return std::make_shared<SourceResult>(process(*entry)); }) &
              tbb::make_filter<std::shared_ptr<SourceResult>, void>(
                  tbb::filter_mode::serial_in_order, [&](const std::shared_ptr<SourceResult>& r) {
                    if (r->skipped) return;
                    // Every output that landed is journaled, even of a source cut short.
                    std::string lines;
                    for (const auto& row : r->rows) lines += journal_line(row) + '\n';
                    journal.append(lines);
                    journal_rows += r->rows.size();
                    summary.written += r->written;
                    summary.resumed += r->resumed;
                    if (!r->fatal.empty()) {
                      halt = true;
                      if (fatal.empty()) fatal = r->fatal, fatal_errno = r->fatal_errno;
                      return;
                    }
                    if (r->cut_short) return;
                    ++summary.sources;
                    summary.processed += r->processed;
                    if (!r->error.empty()) {
                      ++summary.failed;
                      if (o.fail_fast) throw DataError(r->error);
                      if (o.on_error) o.on_error(r->error);
                    }
                    const auto now = std::chrono::steady_clock::now();
                    if (o.on_progress && now - last_progress > std::chrono::milliseconds(500)) {
                      last_progress = now;
                      o.on_progress({summary.processed + summary.failed, total,
                                     std::chrono::duration<double>(now - start).count()});
                    }
                  }));
    });
  } catch (const OutputWriteError& e) {  // the journal could not be written
    remove_temporaries(o.output, true);
    throw OutputWriteError(std::string(e.what()) + "; the run stopped (rerun with --resume once fixed)", e.error());
  } catch (...) {
    // --fail-fast: every writer has stopped by now.
    remove_temporaries(o.output, true);
    throw;
  }
  summary.ignored = reader.ignored();
  if (!fatal.empty() || cut_short) {
    // Stopped early: what was written stays journaled for --resume; no manifest, the state
    // still says unfinished.
    remove_temporaries(o.output, true);
    journal.close();
    if (!fatal.empty()) throw OutputWriteError(fatal + "; the run stopped (rerun with --resume once fixed)", fatal_errno);
    summary.interrupted = true;
    if (total == 0) {
      DatasetReader counter(o.input, in_kind, registry, o.root);
      for (DatasetEntry entry; next_entry(counter, entry);) ++summary.total;
    } else {
      summary.total = total;
    }
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
  }
  journal.close();
  write_manifest(journal_file, summary.manifest, label_columns, o.copies);
  write_run_state(settings_file, {settings, true, journal_rows});
  {
    std::error_code ignored;
    fs::remove(journal_file, ignored);
  }
  summary.total = total;
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (o.on_progress) o.on_progress({summary.processed + summary.failed, total, summary.seconds});
  return summary;
}

}  // namespace

DatasetRunSummary run_dataset(const Pipeline& pipeline, const Registry& registry, const DatasetRunOptions& options) {
  try {
    return run(pipeline, registry, options);
  } catch (const fs::filesystem_error& e) {
    // Anything the checks above did not foresee still names the path and the system's reason.
    throw DataError(describe(e));
  }
}

std::string manifest_name(std::size_t shard_index, std::size_t shard_count) {
  return manifest_name_of(shard_index, shard_count);
}

}  // namespace augment::runner
