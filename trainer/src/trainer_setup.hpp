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

/// The registry the config's pipeline and files use.
const Registry& registry_of(const TrainConfig& config);
/// The config's pipeline, its fitted stages fitted on the training rows if they are not yet.
std::optional<Pipeline> fitted_pipeline(const TrainConfig& config, const Dataset& train);
/// Datasets of files: runs the pipeline's deterministic prefix once on every split's samples
/// and sets their input shape (what the pipeline's deterministic stages make of the first
/// training sample). SpecError when the pipeline does not end in a tensor or features.
void prepare_samples(Splits& splits, const Pipeline* pipeline);

/// The network to train: the config's model (heads' target columns resolved, "inputs" and the
/// last dense layer's "units" filled in when absent) or the transfer checkpoint's, with new
/// heads and frozen layers.
Network<float> build_network(const TrainConfig& config, const Dataset& train, std::uint64_t seed);

/// SpecError when early stopping watches a metric this training does not have.
void check_monitor(const TrainConfig& config, Network<float>& network, bool has_validation);

/// Features, targets with labels, the fitted pipeline and {"seed", "member"}, plus how the
/// training went when `fit` is given.
/// SpecError when one batch of a layer's outputs (rows × output columns, float) is over the
/// allocation_bytes limit; `rows` is the largest batch the run forwards.
void check_activation_sizes(Network<float>& network, std::size_t rows, const std::string& prefix);

/// UsageError "OUT/model.ckpt: would overwrite transfer.from ..." when a file the run writes
/// under config.output is one of its inputs: the config, its pipeline, a data file, the
/// transfer checkpoint (and the member checkpoints of an earlier run in the same folder).
void refuse_overwriting_inputs(const TrainConfig& config);

/// Makes an output folder: UsageError if it exists as a file or cannot be made (read-only,
/// no permission), DataError with the system's reason for a full disk or an I/O error.
void make_output_folder(const std::filesystem::path& folder);

/// DataError when the trained member's validation or test scores are not finite.
void refuse_non_finite_scores(const MemberResult& member, std::size_t index, std::size_t members);

nlohmann::json checkpoint_metadata(const TrainResult& result, std::uint64_t seed, std::size_t index, const FitResult* fit);
nlohmann::json summary_json(const TrainConfig& config, const TrainResult& result);
void write_json(const std::filesystem::path& file, const nlohmann::json& value);

}  // namespace augment::trainer::detail
