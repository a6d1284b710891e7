#pragma once
// The dataset runner: read → transform → write over a folder or manifest, in parallel with a
// bounded number of samples in flight, writing every output atomically, with a manifest that
// records each output's source, labels, copy and drawn params. Outputs are byte-identical
// whatever the number of jobs or shards, since every draw derives from (seed, key, copy).
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "augment/core/pipeline.hpp"
#include "augment/core/registry.hpp"

namespace augment::runner {

struct Progress {
  std::size_t done = 0, total = 0;
  double seconds = 0;
};

struct DatasetRunOptions {
  std::filesystem::path input;   // folder, or manifest .csv with a `path` column
  std::filesystem::path output;  // folder; created if missing; must not be inside the input
  /// What sample keys (and so every draw and output name) are relative to; empty: the input
  /// folder, or the manifest's folder. A manifest's paths must stay inside it.
  std::filesystem::path root;
  /// A folder input: the manifest gets a `label` column, each file's class subfolder (the first
  /// folder of its path inside the input, as torchvision's ImageFolder); a file outside any
  /// subfolder is reported as bad. UsageError for a manifest input (its labels are its columns).
  bool labels_from_folders = false;
  std::uint64_t seed = 0;
  std::size_t copies = 1;        // outputs per source
  bool original = false;         // copy 0 is the preprocessed original (deterministic stages only)
  std::size_t jobs = 0;          // 0: every core
  std::size_t shard_index = 0, shard_count = 1;
  bool resume = false;           // keep outputs a previous run of the same settings completed
  bool fail_fast = false;
  bool dry_run = false;          // list what would be done; write nothing
  bool fsync = false;            // sample outputs survive a power loss too (a disk flush each)
  /// When set and it becomes non-zero (a signal handler stores the signal's number), the run
  /// takes no new source, lets the ones in flight finish their current output, journals what
  /// was written and returns with `interrupted` set; --resume continues from there.
  const std::atomic<int>* stop = nullptr;
  std::function<void(const std::string&)> on_error;  // one line per failed source
  std::function<void(const Progress&)> on_progress;  // about twice a second, and at the end
};

struct DatasetRunSummary {
  std::size_t sources = 0;   // entries in this shard
  std::size_t processed = 0; // sources read and transformed
  std::size_t written = 0;   // output files written
  std::size_t resumed = 0;   // outputs kept from an earlier run (--resume)
  std::size_t failed = 0;    // sources reported through on_error
  std::size_t ignored = 0;   // files in the folder of no kind this pipeline takes
  double seconds = 0;
  std::filesystem::path manifest;
  bool interrupted = false;  // stopped through `stop`: no manifest written, the journal kept
  std::size_t total = 0;     // sources in this shard (counted when interrupted or showing progress)
};

/// Runs `pipeline` over the dataset. Throws UsageError for bad options (output inside the
/// input, an output that is not a folder or cannot be made or written, an unfitted pipeline, a
/// resume with other settings or an untrustworthy run state) and DataError for an unusable
/// input; bad sources are reported through on_error and counted. A failed write (a full disk)
/// stops the run: OutputWriteError naming the output and the system's reason, temporaries
/// removed, what was written journaled for --resume.
DatasetRunSummary run_dataset(const Pipeline& pipeline, const Registry& registry, const DatasetRunOptions& options);

/// The manifest file name of a shard: manifest.csv, or manifest-K-of-N.csv.
std::string manifest_name(std::size_t shard_index, std::size_t shard_count);

/// Merges the shard manifests found in `output` into manifest.csv, rows ordered by source index
/// and copy: the same bytes one unsharded run writes. Returns the number of rows. Throws
/// DataError listing every problem, writing nothing, unless the set is complete: shards
/// 0..N-1 of one N, each finished, made with the same settings, no output twice or missing.
std::size_t merge_manifests(const std::filesystem::path& output);

}  // namespace augment::runner
