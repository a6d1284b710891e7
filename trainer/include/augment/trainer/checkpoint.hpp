#pragma once
// Checkpoints: a trained network in one file — its architecture, every parameter's values, its
// buffers (batch norm's population statistics), which parameters are frozen, and free metadata
// (the class labels, the fitted preprocessing pipeline, how it was trained).
//
// Format, version 1 (little-endian):
//   8 bytes   magic "AUGCKPT\n"
//   u32       format version (1)
//   u32       0 (reserved)
//   u64       length of the JSON header in bytes
//   header    UTF-8 JSON: {"format": "augment.trainer.checkpoint", "dtype": "float32"|"float64",
//             "architecture": {...}, "metadata": {...},
//             "tensors": [{"name", "role": "parameter"|"buffer", "rows", "cols", "offset", "frozen"}]}
//   data      the tensors' values, row-major, at their byte offsets from the start of the data
//   u64       FNV-1a/mix64 hash (augment::hash_key) of every byte before it
// The values are written bit for bit: save, load and predict gives the same bytes as before.
// Reading checks, in order: the magic, the version, the length (truncated files), the hash
// (any flipped byte), then the header and every tensor's name and shape against the
// architecture; each failure is a DataError "PATH: reason".
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/trainer/network.hpp"

namespace augment::trainer {

inline constexpr std::uint32_t kCheckpointVersion = 1;

template <class T>
struct LoadedCheckpoint {
  Network<T> network;
  nlohmann::json metadata;
};

/// The file's bytes for `network` (const in effect: parameters() is not const in Network's API).
template <class T>
std::string checkpoint_bytes(Network<T>& network, const nlohmann::json& metadata = nlohmann::json::object());

/// Writes the checkpoint atomically (temporary file, then rename).
template <class T>
void save_checkpoint(const std::filesystem::path& file, Network<T>& network,
                     const nlohmann::json& metadata = nlohmann::json::object());

/// Reads a checkpoint; values stored as float or double are converted to T. DataError
/// "PATH: reason" for a missing, corrupt, truncated or wrong-version file.
template <class T>
LoadedCheckpoint<T> load_checkpoint(const std::filesystem::path& file);

/// The same from bytes already read; `name` stands for the file in messages.
template <class T>
LoadedCheckpoint<T> parse_checkpoint(const std::string& bytes, const std::string& name);

/// Just the header JSON (architecture, metadata, tensors), checked as load_checkpoint checks.
nlohmann::json read_checkpoint_header(const std::filesystem::path& file);

/// A copy of every parameter value and buffer, by name: early stopping's best weights, and
/// restoring them.
template <class T>
struct WeightSnapshot {
  std::vector<std::pair<std::string, Matrix<T>>> values;
};
template <class T>
WeightSnapshot<T> snapshot_weights(Network<T>& network);
template <class T>
void restore_weights(Network<T>& network, const WeightSnapshot<T>& snapshot);

}  // namespace augment::trainer
