#pragma once
// What train() does before and after fit(): reading the splits, fitting the pipeline, building
// the network (or loading it for transfer), and the files of the output folder.
#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

#include "augment/core/pipeline.hpp"
#include "augment/trainer/dataset.hpp"
#include "augment/trainer/trainer.hpp"

namespace augment::trainer::detail {

struct Splits {
  Dataset train;
  std::optional<Dataset> validation, test;
};

/// Reads the tables and selects each split's rows. SpecError for overlapping splits or rows
/// past the end of a file.
Splits read_splits(const TrainConfig& config);

/// The config's pipeline, its fitted stages fitted on the training rows if they are not yet.
std::optional<Pipeline> fitted_pipeline(const TrainConfig& config, const Dataset& train);

/// The network to train: the config's model (heads' target columns resolved, "inputs" and the
/// last dense layer's "units" filled in when absent) or the transfer checkpoint's, with new
/// heads and frozen layers.
Network<float> build_network(const TrainConfig& config, const Dataset& train, std::uint64_t seed);

/// SpecError when early stopping watches a metric this training does not have.
void check_monitor(const TrainConfig& config, Network<float>& network, bool has_validation);

/// Features, targets with labels, the fitted pipeline and {"seed", "member"}, plus how the
/// training went when `fit` is given.
nlohmann::json checkpoint_metadata(const TrainResult& result, std::uint64_t seed, std::size_t index, const FitResult* fit);
nlohmann::json summary_json(const TrainConfig& config, const TrainResult& result);
void write_json(const std::filesystem::path& file, const nlohmann::json& value);

}  // namespace augment::trainer::detail
