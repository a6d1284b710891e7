#pragma once
// The options predict and evaluate share: a checkpoint of `augment train`, and the data to read
// as training read its own (a feature table, a folder or manifest of files, records of text).
#include <boost/program_options.hpp>

#include <string>

#include "augment/trainer/saved_model.hpp"

namespace augment::cli {

struct ModelDataArgs {
  std::string checkpoint, input, root, key_column, text_column = "text", language;
  bool quiet = false;
};

/// Adds --checkpoint, --input, --root, --key-column, --text-column, --language, --quiet.
void add_model_data_options(boost::program_options::options_description& options, ModelDataArgs& args);
/// The data source the options name.
trainer::DataSource data_source(const ModelDataArgs& args);

}  // namespace augment::cli
