#include "model_data_options.hpp"

namespace augment::cli {
namespace po = boost::program_options;

void add_model_data_options(po::options_description& options, ModelDataArgs& args) {
  options.add_options()
      ("checkpoint", po::value(&args.checkpoint)->required(), "a model.ckpt of augment train (its metadata holds the "
                                                              "fitted pipeline, features and labels)")
      ("input", po::value(&args.input)->required(), "the data, as the model was trained on: a feature table (CSV), a folder "
                                                    "or manifest .csv of files, or records of text (.jsonl, .csv)")
      ("root", po::value(&args.root), "files: the folder sample keys are relative to (as augment run --root)")
      ("key-column", po::value(&args.key_column), "tables and text records: the column that keys each row "
                                                  "(default: the row number)")
      ("text-column", po::value(&args.text_column)->default_value("text"), "text records: the text's column or field")
      ("language", po::value(&args.language), "text records without a language field: their language")
      ("quiet,q", po::bool_switch(&args.quiet), "no summary line");
}

trainer::DataSource data_source(const ModelDataArgs& args) {
  return {args.input, args.root, args.key_column, args.text_column, args.language};
}

}  // namespace augment::cli
