#pragma once
// A pipeline: stages in sequence, with `one_of` (weighted choice), `some_of` (n of several),
// nested `sequence` and a per-node probability `p`. Built from a JSON spec and checked when
// built: every op exists, every parameter is valid, and the kinds chain from stage to stage.
//
// Spec form:
//   {"kind": "features", "stages": [
//      {"op": "standardize"},
//      {"op": "gaussian_noise", "sigma": [0.01, 0.1], "p": 0.5},
//      {"one_of": [{...}, {...}], "weights": [3, 1]},
//      {"some_of": [{...}, {...}, {...}], "n": [1, 2]},
//      {"sequence": [{...}, {...}], "p": 0.3}]}
// Stage paths in messages count from 0 and nest with dots: "stage 2.1" is the second choice of
// the third stage.
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/kind.hpp"
#include "augment/core/registry.hpp"
#include "augment/core/rng.hpp"
#include "augment/core/sample.hpp"

namespace augment {

namespace detail {
struct Node;
struct SequenceNode;
}  // namespace detail

/// Reads a dataset in blocks for fitting: fills `block` and returns true, or returns false at
/// the end. Block boundaries must not depend on thread count (fixed block size), so that the
/// fitted state is the same whatever the parallelism.
using SampleBlockReader = std::function<bool(std::vector<Sample>& block)>;
/// Opens the dataset again from its start (once per fitted stage).
using OpenSampleBlocks = std::function<SampleBlockReader()>;

class Pipeline {
 public:
  /// Builds from a spec; throws SpecError naming the stage, op and parameter. The pipeline
  /// refers to the registry's op declarations: the registry must outlive it.
  static Pipeline from_json(const nlohmann::json& spec, const Registry& registry);
  /// Reads a spec file; SpecError messages then start with the file name.
  static Pipeline load(const std::filesystem::path& file, const Registry& registry);

  Pipeline(Pipeline&&) noexcept;
  Pipeline& operator=(Pipeline&&) noexcept;
  ~Pipeline();

  /// The spec, with every parameter explicit and fitted state included: from_json(to_json())
  /// builds the same pipeline, and to_json() of that gives the same JSON.
  nlohmann::json to_json() const;
  /// Writes to_json() to `file` atomically (temporary name, then rename).
  void save(const std::filesystem::path& file) const;

  Kind input_kind() const;
  Kind output_kind() const;
  /// Top-level fields other than kind and stages ("name", "description", "columns"), kept as given.
  const nlohmann::json& metadata() const { return metadata_; }

  /// Runs every stage on `sample`. Each node draws from its own stream forked from `rng`, so a
  /// change to one stage does not shift the numbers another stage draws. Returns the record of
  /// what was chosen and drawn, for provenance and replay.
  nlohmann::json run(Sample& sample, const Rng& rng) const;
  /// Applies only the deterministic preprocessing: the stages fitting would apply (random
  /// stages, choices and anything with p < 1 are skipped). Returns a record replay() accepts.
  nlohmann::json preprocess(Sample& sample) const;
  /// preprocess() on a sample the first `first_stage` top-level stages were already applied to.
  nlohmann::json preprocess_from(Sample& sample, std::size_t first_stage) const;
  /// How many top-level stages, from the first, are deterministic (plain stages that draw
  /// nothing, with p = 1): what a trainer runs once per sample and keeps.
  std::size_t deterministic_prefix() const;
  /// Applies the first `count` top-level stages, which must be deterministic.
  void run_prefix(Sample& sample, std::size_t count) const;
  /// run() on a sample the first `first_stage` top-level stages were already applied to (by
  /// run_prefix): every later stage draws exactly what run() would draw. The record has null
  /// for the stages skipped.
  nlohmann::json run_from(Sample& sample, const Rng& rng, std::size_t first_stage) const;
  /// The kind the first `count` top-level stages give (input_kind() for 0).
  Kind kind_after(std::size_t count) const;
  /// Applies a record made by run() on this pipeline: the same output without drawing.
  void replay(Sample& sample, const nlohmann::json& record) const;

  /// Stages that must be fitted and are not, as "stage 0 (standardize)".
  std::vector<std::string> unfitted_stages() const;
  /// Fits every fittable stage in order, each on the data as the stages before it leave it
  /// (augmenting stages, i.e. random ones, those with p < 1 and choices, are skipped while
  /// fitting). Blocks are processed in parallel and merged in order. Throws SpecError when a
  /// fittable stage sits inside one_of/some_of or has p < 1, DataError on an empty dataset.
  void fit(const OpenSampleBlocks& open);

 private:
  Pipeline();
  std::unique_ptr<detail::SequenceNode> root_;
  nlohmann::json metadata_;
  Kind input_kind_ = Kind::features;
};

}  // namespace augment
