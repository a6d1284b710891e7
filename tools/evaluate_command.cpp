// augment evaluate: a trained checkpoint's scores on labelled data — the loss and accuracy
// training reports for its test rows (per head when there are several), printed one per line
// and, with --output, written as JSON.
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "augment/core/atomic_file.hpp"
#include "augment/core/error.hpp"
#include "augment/core/paths.hpp"
#include "cli_common.hpp"
#include "model_data_options.hpp"

namespace augment::cli {
namespace po = boost::program_options;

int evaluate_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  ModelDataArgs data;
  std::string output;
  add_model_data_options(options, data);
  options.add_options()("output", po::value(&output), "also write the metrics as JSON ({\"rows\": N, \"loss\": ..., ...})");
  po::variables_map vm;
  if (!parse("evaluate", "--checkpoint M.ckpt --input DATA [--output metrics.json] [options]", options, args, vm)) return ok;
  if (!output.empty()) {
    refuse_folder_output(output);
    refuse_same_file(data.input, output, "the output would overwrite the input");
    refuse_same_file(data.checkpoint, output, "the output would overwrite the checkpoint");
  }

  trainer::SavedModel model = trainer::SavedModel::load(data.checkpoint, registry());
  const trainer::Dataset rows = model.read(data_source(data), true);
  const trainer::Metrics metrics = model.evaluate(model.inputs(rows), rows);

  nlohmann::json j = {{"rows", rows.rows()}};
  for (const auto& [name, value] : metrics.values) {
    j[name] = value;
    std::cout << name << " " << std::setprecision(6) << value << "\n";
  }
  if (!output.empty()) {
    AtomicOutputFile out(output);
    out.stream() << j.dump(2) << "\n";
    out.commit();
  }
  if (!data.quiet) std::cerr << "augment evaluate: " << rows.rows() << " rows of " << data.input << "\n";
  return ok;
}

}  // namespace augment::cli
