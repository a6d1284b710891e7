#include "augment/runner/fit_dataset.hpp"

#include <chrono>
#include <memory>

#include "augment/core/error.hpp"
#include "augment/runner/dataset.hpp"

namespace augment::runner {

DatasetFitSummary fit_dataset(Pipeline& pipeline, const std::filesystem::path& input, const Registry& registry,
                              const DatasetFitOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const Kind kind = pipeline.input_kind();
  DatasetFitSummary summary;
  // Pipeline::fit opens the dataset once per fitted stage; unusable files are counted and
  // reported on the first pass only.
  auto passes = std::make_shared<int>(0);
  OpenSampleBlocks open = [&, passes] {
    const bool first_pass = (*passes)++ == 0;
    auto reader = std::make_shared<DatasetReader>(input, kind, registry, options.root);
    return SampleBlockReader([&, reader, first_pass](std::vector<Sample>& block) {
      block.clear();
      DatasetEntry entry;
      while (block.size() < options.block_size && reader->next(entry)) {
        if (first_pass) ++summary.sources;
        try {
          if (!entry.error.empty()) throw DataError(entry.error);
          const SampleCodec* codec = registry.codec_for(kind, lower_extension(entry.source));
          if (!codec) throw DataError(entry.source.string() + ": no " + std::string(to_string(kind)) + " reader");
          Columns columns;
          const auto& names = reader->label_columns();
          for (std::size_t j = 0; j < entry.labels.size() && j < names.size(); ++j)
            columns.emplace_back(names[j], entry.labels[j]);
          block.push_back(codec->read_with_columns(entry.source, columns));
        } catch (const DataError& e) {
          if (options.fail_fast) throw;
          if (!first_pass) continue;
          ++summary.failed;
          if (options.report) options.report(e.what());
        } catch (const std::filesystem::filesystem_error& e) {  // a file that vanished or is unreadable
          const std::string message = entry.source.string() + ": " + e.code().message();
          if (options.fail_fast) throw DataError(message);
          if (!first_pass) continue;
          ++summary.failed;
          if (options.report) options.report(message);
        }
      }
      return !block.empty();
    });
  };
  pipeline.fit(open);
  summary.passes = static_cast<std::size_t>(*passes);
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace augment::runner
