// augment predict: a trained checkpoint's predictions for new data, as a CSV: the key of each
// row (its row number or key column, or a file's path under the root), then for each class
// target one probability column per label and the most probable label, for a value target the
// predicted value.
#include <charconv>
#include <cmath>
#include <iostream>

#include "augment/core/atomic_file.hpp"
#include "augment/core/csv.hpp"
#include "augment/core/error.hpp"
#include "augment/core/paths.hpp"
#include "augment/trainer/dataset.hpp"
#include "cli_common.hpp"
#include "model_data_options.hpp"

namespace augment::cli {
namespace po = boost::program_options;
namespace {

// The shortest text that reads back as the same float: probabilities written exactly.
std::string float_text(float v) {
  char buffer[32];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return error == std::errc() ? std::string(buffer, end) : std::string("nan");
}

// "p_cat" with one target; "species.p_cat" when several share the table.
std::vector<std::string> header_of(const std::vector<trainer::TargetColumn>& targets) {
  std::vector<std::string> header{"key"};
  for (const auto& t : targets) {
    const std::string prefix = targets.size() > 1 ? t.column + "." : "";
    if (t.type == trainer::TargetType::class_label)
      for (const auto& label : t.labels) header.push_back(prefix + "p_" + label);
    header.push_back(t.column);
  }
  return header;
}

}  // namespace

int predict_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  ModelDataArgs data;
  std::string output;
  add_model_data_options(options, data);
  options.add_options()("output", po::value(&output)->required(), "the predictions (CSV): key, probabilities, predicted label");
  po::variables_map vm;
  if (!parse("predict", "--checkpoint M.ckpt --input DATA --output PRED.csv [options]", options, args, vm)) return ok;
  refuse_folder_output(output);
  refuse_same_file(data.input, output, "the output would overwrite the input");
  refuse_same_file(data.checkpoint, output, "the output would overwrite the checkpoint");

  trainer::SavedModel model = trainer::SavedModel::load(data.checkpoint, registry());
  const trainer::Dataset rows = model.read(data_source(data), false);
  const trainer::Matrix<float> p = model.predict(model.inputs(rows));

  AtomicOutputFile out(output);
  CsvWriter writer(out.stream());
  const auto& targets = model.targets();
  writer.write_row(header_of(targets));
  for (std::size_t i = 0; i < rows.rows(); ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    std::vector<std::string> fields{rows.key(i)};
    for (const auto& t : targets) {
      const auto first = static_cast<Eigen::Index>(t.offset), width = static_cast<Eigen::Index>(t.width());
      if (t.type == trainer::TargetType::value) {
        fields.push_back(float_text(p(r, first)));
        continue;
      }
      for (Eigen::Index j = 0; j < width; ++j) fields.push_back(float_text(p(r, first + j)));
      fields.push_back(t.labels[trainer::argmax(p.row(r).segment(first, width))]);
    }
    writer.write_row(fields);
  }
  out.commit();
  if (!data.quiet)
    std::cerr << "augment predict: " << rows.rows() << " rows of " << data.input << " -> " << output << "\n";
  return ok;
}

}  // namespace augment::cli
