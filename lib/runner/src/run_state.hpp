#pragma once
// The run-state file of an output folder (OUT/.augment-run[-K-of-N].json): the settings a run
// was started with (pipeline, seed, copies, input, shard), and whether it finished, with how
// many manifest rows. --resume trusts earlier outputs only through it, and merge-manifests
// checks with it that every shard was made with the same settings and is complete.
//   {"settings": {...}, "complete": true, "rows": 80}
#include <cstddef>
#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

namespace augment::runner {

struct RunState {
  nlohmann::json settings;   // an object; see run_settings() in run_dataset.cpp
  bool complete = false;     // the manifest was written by the run these settings describe
  std::size_t rows = 0;      // rows of that manifest (when complete)
};

/// The state in `file`; nullopt when there is none. Throws UsageError when it exists but cannot
/// be trusted (unreadable, not JSON, fields missing or of the wrong type), saying what to remove.
std::optional<RunState> read_run_state(const std::filesystem::path& file);

/// Writes `state` to `file` atomically (and fsynced: it decides what a later --resume keeps).
void write_run_state(const std::filesystem::path& file, const RunState& state);

}  // namespace augment::runner
