#pragma once
// Ensembles (the course's "ensamblés"): k networks trained apart — with different seeds (initial
// weights, shuffling, augmentation, dropout masks: member m uses seed + m), on different
// bootstrap samples of the training rows (n draws with replacement), or both — whose predicted
// probabilities (or values, for mse heads) are averaged. The trainer reports each member's
// scores beside the ensemble's.
//
// On disk: each member's checkpoint, and an index OUT/ensemble.json
//   {"format": "augment.trainer.ensemble", "version": 1, "members": ["member-1/model.ckpt", ...]}
// with paths relative to the index's folder.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/trainer/network.hpp"

namespace augment::trainer {

/// Member m's seed: seed + m when seeds vary, else seed.
inline std::uint64_t member_seed(std::uint64_t seed, std::size_t member, bool vary_seed) {
  return vary_seed ? seed + member : seed;
}

/// n row positions drawn uniformly with replacement, from
/// Rng::derive(seed, "augment.trainer.bootstrap", member, 0), in the order drawn.
std::vector<std::size_t> bootstrap_rows(std::size_t n, std::uint64_t seed, std::size_t member);

/// The element-wise mean of the members' predictions, head by head (summed in member order).
template <class T>
std::vector<Matrix<T>> average_predictions(const std::vector<std::vector<Matrix<T>>>& members);

/// predict() of every member, averaged.
template <class T>
std::vector<Matrix<T>> ensemble_predict(const std::vector<Network<T>*>& members, const Matrix<T>& inputs);

/// Writes the index (atomically); `checkpoints` relative to its folder.
void save_ensemble_index(const std::filesystem::path& file, const std::vector<std::string>& checkpoints);
/// The members' checkpoint paths, resolved against the index's folder. DataError "PATH: ..."
/// for a file that is not an ensemble index.
std::vector<std::filesystem::path> load_ensemble_index(const std::filesystem::path& file);

}  // namespace augment::trainer
