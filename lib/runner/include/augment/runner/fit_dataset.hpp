#pragma once
// `augment fit` over a dataset of files: the fitted stages of a pipeline learn their state from
// the samples of a folder or a manifest (an image folder's channel statistics, a text
// collection's vocabulary), read through the codecs of the pipeline's input kind.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>

#include "augment/core/pipeline.hpp"
#include "augment/core/registry.hpp"

namespace augment::runner {

struct DatasetFitOptions {
  /// Samples per block handed to Pipeline::fit (blocks are fitted in parallel, merged in order).
  std::size_t block_size = 64;
  /// Stop at the first unusable file (DataError) instead of reporting it and going on.
  bool fail_fast = false;
  /// The dataset root (empty: the folder, or the manifest's folder); a manifest's paths must
  /// stay inside it.
  std::filesystem::path root;
  /// Receives "PATH: reason" once per unusable file.
  std::function<void(const std::string&)> report;
};

struct DatasetFitSummary {
  std::size_t sources = 0;  // files (or manifest rows) in the dataset
  std::size_t failed = 0;   // reported and left out
  std::size_t passes = 0;   // reads of the dataset: one per fitted stage (0: nothing to fit)
  double seconds = 0;
};

/// Fits `pipeline` on the dataset at `input` (a folder or a .csv manifest), in dataset order.
/// Throws DataError when no sample could be read, UsageError when the dataset's kind has no codec.
DatasetFitSummary fit_dataset(Pipeline& pipeline, const std::filesystem::path& input, const Registry& registry,
                              const DatasetFitOptions& options = {});

}  // namespace augment::runner
