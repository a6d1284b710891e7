// Dataset::read_files and what a dataset of files needs: decoding through the registry's codecs,
// labels from class subfolders or manifest columns, and the pipeline's deterministic prefix
// applied once.
#include <algorithm>
#include <map>

#include <tbb/parallel_for.h>

#include "augment/core/error.hpp"
#include "augment/runner/dataset.hpp"
#include "augment/trainer/dataset.hpp"

namespace augment::trainer {

Dataset Dataset::read_files(const FileTableSpec& spec) {
  if (!spec.registry) throw UsageError("read_files: no registry to find the codecs of " + std::string(to_string(spec.kind)));
  runner::DatasetReader reader(spec.input, spec.kind, *spec.registry, spec.root);
  Dataset d;
  d.name_ = spec.input.string();
  std::error_code ec;
  const bool is_folder = std::filesystem::is_directory(spec.input, ec);
  std::vector<std::size_t> label_index;
  for (const auto& t : spec.targets) {
    if (is_folder) {
      if (t.column != kFolderLabelColumn)
        throw DataError(d.name_ + ": a folder gives one target, \"" + std::string(kFolderLabelColumn) +
                        "\" (its class subfolders), not '" + t.column + "'");
      label_index.push_back(0);
      continue;
    }
    const auto& columns = reader.label_columns();
    const auto at = std::find(columns.begin(), columns.end(), t.column);
    if (at == columns.end()) {
      std::string known;
      for (const auto& c : columns) known += (known.empty() ? "" : ", ") + c;
      throw DataError(d.name_ + ": no column '" + t.column + "' (columns besides path: " + known + ")");
    }
    label_index.push_back(static_cast<std::size_t>(at - columns.begin()));
  }

  std::vector<runner::DatasetEntry> entries;
  for (runner::DatasetEntry entry; reader.next(entry);) {
    if (!entry.error.empty()) throw DataError(entry.error);
    entries.push_back(entry);
  }
  if (entries.empty()) throw DataError(d.name_ + ": no " + std::string(to_string(spec.kind)) + " files");

  std::vector<std::vector<std::string>> texts(entries.size());
  std::vector<std::string> where(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    where[i] = e.source.string();
    if (is_folder && !spec.targets.empty()) {
      const std::string label = runner::class_subfolder(e.source, spec.input);
      if (label.empty())
        throw DataError(e.source.string() + ": not in a class subfolder (a folder dataset holds one subfolder per class)");
      texts[i].push_back(label);
    } else {
      for (const auto k : label_index) texts[i].push_back(e.labels.at(k));
    }
    d.keys_.push_back(e.key);
    d.lines_.push_back(e.index + 1);
  }
  d.targets_ = spec.targets;
  d.encode_targets(texts, where);

  // Decoding dominates: in parallel, each file into its own slot, so the result does not depend
  // on the threads. The first error (in dataset order) is the one reported.
  d.samples_.resize(entries.size());
  std::vector<std::string> errors(entries.size());
  tbb::parallel_for(std::size_t{0}, entries.size(), [&](std::size_t i) {
    const auto& e = entries[i];
    try {
      const SampleCodec* codec = spec.registry->codec_for(spec.kind, lower_extension(e.source));
      if (!codec) throw DataError(e.source.string() + ": no " + std::string(to_string(spec.kind)) + " codec reads it");
      d.samples_[i] = codec->read(e.source);
    } catch (const Error& error) {
      errors[i] = error.what();
    }
  });
  for (const auto& error : errors)
    if (!error.empty()) throw DataError(error);
  return d;
}

void Dataset::apply_prefix(const Pipeline& pipeline) {
  if (samples_.empty() || applied_stages_ != 0) return;
  const std::size_t prefix = pipeline.deterministic_prefix();
  if (prefix == 0) return;
  std::vector<std::string> errors(samples_.size());
  tbb::parallel_for(std::size_t{0}, samples_.size(), [&](std::size_t i) {
    try {
      pipeline.run_prefix(samples_[i], prefix);
    } catch (const Error& error) {
      errors[i] = keys_[i] + ": " + error.what();
    }
  });
  for (const auto& error : errors)
    if (!error.empty()) throw DataError(name_ + "/" + error);
  applied_stages_ = prefix;
}

void Dataset::set_input_shape(std::vector<std::size_t> shape) {
  input_width_ = 1;
  for (const auto n : shape) input_width_ *= n;
  input_shape_ = std::move(shape);
}

}  // namespace augment::trainer
