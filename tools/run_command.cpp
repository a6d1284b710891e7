// augment run: a feature table (CSV) into N transformed copies of every row, records of text
// (lines, a CSV column, JSON Lines) into a file of the same format, or a dataset of files (a
// folder or a manifest) into an output folder through the dataset runner.
#include <unistd.h>

#include <cstdio>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>

#include "augment/core/error.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/runner/run_dataset.hpp"
#include "cli_common.hpp"
#include "decode_options.hpp"
#include "image_options.hpp"
#include "interrupt_signals.hpp"
#include "table_options.hpp"
#include "text_records_mode.hpp"
#include "video_options.hpp"

namespace augment::cli {
namespace po = boost::program_options;
namespace {

struct DatasetArgs {
  std::string shard, labels;
  bool resume = false, dry_run = false, original = false, keep_going = false, fsync = false;
};

// "K/N" → (K, N)
std::pair<std::size_t, std::size_t> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  try {
    if (slash != std::string::npos) {
      std::size_t used_k = 0, used_n = 0;
      const auto k = std::stoul(text.substr(0, slash), &used_k);
      const auto n = std::stoul(text.substr(slash + 1), &used_n);
      if (used_k == slash && used_n == text.size() - slash - 1 && n > 0 && k < n) return {k, n};
    }
  } catch (const std::exception&) {
  }
  throw UsageError("--shard must be K/N with 0 <= K < N (e.g. 0/4), got '" + text + "'");
}

void print_progress(const runner::Progress& p) {
  const double rate = p.seconds > 0 ? static_cast<double>(p.done) / p.seconds : 0;
  const double eta = rate > 0 ? static_cast<double>(p.total - p.done) / rate : 0;
  std::fprintf(stderr, "\r%zu/%zu  %.1f samples/s  ETA %.0f s   ", p.done, p.total, rate, eta);
  if (p.done == p.total) std::fprintf(stderr, "\n");
}

int run_table_mode(const Pipeline& pipeline, const TableArgs& args, features::RunOptions& run) {
  const features::TableSummary s = features::run_table(pipeline, args.input, args.output, run);
  if (!args.quiet)
    std::cerr << "augment run: " << s.rows_read << " rows read, " << s.rows_written << " written, " << s.rows_failed
              << " failed; " << describe_columns(s) << "; " << std::fixed << std::setprecision(2) << s.seconds
              << " s (" << std::setprecision(0) << (s.seconds > 0 ? static_cast<double>(s.rows_written) / s.seconds : 0.0)
              << " rows/s) -> " << args.output << "\n";
  return s.rows_failed > 0 ? data_failed : ok;
}

int run_dataset_mode(const Pipeline& pipeline, const Registry& registry, const TableArgs& args, const features::RunOptions& run,
                     const DatasetArgs& dataset) {
  runner::DatasetRunOptions o;
  o.input = args.input;
  o.output = args.output;
  o.root = args.root;
  if (!dataset.labels.empty() && dataset.labels != "folders")
    throw UsageError("--labels takes 'folders' (a label column from each file's class subfolder), got '" + dataset.labels + "'");
  o.labels_from_folders = dataset.labels == "folders";
  o.seed = run.seed;
  o.copies = run.copies;
  o.original = dataset.original;
  o.jobs = run.jobs;
  if (!dataset.shard.empty()) std::tie(o.shard_index, o.shard_count) = parse_shard(dataset.shard);
  o.resume = dataset.resume;
  o.fail_fast = args.fail_fast;
  o.dry_run = dataset.dry_run;
  o.fsync = dataset.fsync;
  o.on_error = [](const std::string& message) { print_error("run", message); };
  if (!args.quiet && ::isatty(STDERR_FILENO)) o.on_progress = print_progress;
  const InterruptSignals signals;
  o.stop = &InterruptSignals::received();
  const runner::DatasetRunSummary s = runner::run_dataset(pipeline, registry, o);
  if (s.interrupted) {
    if (::isatty(STDERR_FILENO) && o.on_progress) std::cerr << "\n";
    print_error("run", "interrupted: " + std::to_string(s.sources) + " of " + std::to_string(s.total) +
                           " samples written; run the same command with --resume to continue");
    return 128 + InterruptSignals::received().load();
  }
  // Not an error (a shard may be empty), but most often a wrong folder or extension.
  if (s.sources == 0 && !args.quiet) {
    std::string extensions;
    for (const SampleCodec* codec : registry.codecs(pipeline.input_kind()))
      for (const auto& ext : codec->extensions()) extensions += " " + ext;
    print_error("run", "warning: no " + std::string(to_string(pipeline.input_kind())) + " files in " + args.input +
                       (o.shard_count > 1 ? " for this shard" : "") + " (read:" + extensions + ")");
  }
  if (!args.quiet) {
    std::cerr << "augment run: " << (dataset.dry_run ? "dry run: " : "") << s.sources << " sources, " << s.processed
              << " processed, " << s.written << " written, " << s.resumed << " kept from the earlier run, " << s.failed
              << " failed, " << s.ignored << " other files ignored; " << std::fixed << std::setprecision(2) << s.seconds
              << " s (" << std::setprecision(1)
              << (s.seconds > 0 ? static_cast<double>(s.processed) / s.seconds : 0.0) << " samples/s)";
    if (!dataset.dry_run) std::cerr << " -> " << s.manifest.string();
    std::cerr << "\n";
  }
  return s.failed > 0 ? data_failed : ok;
}

}  // namespace

int run_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  TableArgs table_args;
  features::RunOptions run;
  DatasetArgs dataset;
  TextArgs text;
  int copies = 1;
  std::string params;
  add_table_options(options, table_args, run);
  options.add_options()
      ("copies,n", po::value(&copies)->default_value(1), "outputs per source row or file (tables add a 'copy' column "
                                                         "when > 1; files get _<copy> before the extension)")
      ("seed,s", po::value(&run.seed)->default_value(0), "seed; with the sample key and copy index it fixes every draw")
      ("params", po::value(&params), "tables and text records: also write each output's drawn params as JSON lines")
      ("original", po::bool_switch(&dataset.original), "datasets: copy 0 is the preprocessed original (no augmentation)")
      ("labels", po::value(&dataset.labels), "datasets: 'folders' adds a label column to the manifest, each file's "
                                             "class subfolder (as torchvision's ImageFolder)")
      ("shard", po::value(&dataset.shard), "datasets: process shard K of N (K/N, 0-based); see merge-manifests")
      ("resume", po::bool_switch(&dataset.resume), "datasets: keep outputs an interrupted run with the same settings finished")
      ("keep-going", po::bool_switch(&dataset.keep_going), "report bad inputs and go on (the default)")
      ("dry-run", po::bool_switch(&dataset.dry_run), "datasets: check the options and pipeline, list and count the sources; read and write nothing")
      ("fsync", po::bool_switch(&dataset.fsync), "datasets: flush every output to disk before renaming it "
                                                 "(survives a power loss; slower)");
  add_text_options(options, text, true);
  ImageArgs image;
  add_image_options(options, image);
  VideoArgs video;
  add_video_options(options, video);
  DecodeArgs decode;
  add_decode_options(options, decode);
  po::variables_map vm;
  if (!parse("run", "--pipeline P.json --input DATA --output OUT [options]", options, args, vm)) return ok;
  finish_table_options("run", table_args, run);
  if (copies < 1) throw UsageError("--copies must be >= 1, got " + std::to_string(copies));
  if (dataset.keep_going && table_args.fail_fast) throw UsageError("--keep-going and --fail-fast contradict each other");
  run.copies = static_cast<std::size_t>(copies);
  run.params_output = params;

  // Image and video write options swap those codecs, in a registry of this run's own; it must
  // outlive the pipeline, which refers to its op declarations.
  std::optional<Registry> own_registry;
  if (video.any() || image.any()) {
    own_registry = make_cli_registry(text.repair_utf8);
    if (video.any()) own_registry->replace_codec(make_video_codec(video));
    if (image.any()) own_registry->replace_codec(make_image_codec(image));
  }
  const Registry& reg = own_registry ? *own_registry : registry_for(text);
  const Pipeline pipeline = Pipeline::load(table_args.pipeline, reg);
  if (video.any() && pipeline.output_kind() != Kind::video)
    throw UsageError("--video-output, --video-format, --fourcc, --frame-format and --jpeg-quality are for pipelines "
                     "that give videos; this one gives " + std::string(to_string(pipeline.output_kind())));
  if (image.any() && !(pipeline.input_kind() == Kind::image && pipeline.output_kind() == Kind::image))
    throw UsageError("--image-format and --image-quality are for pipelines from images to images; this one gives " +
                     std::string(to_string(pipeline.output_kind())) +
                     (pipeline.output_kind() == Kind::video ? " (frames: --frame-format)" : ""));
  // Refuses --full-decode for pipelines that do not read images.
  const Registry& data_registry = registry_for_decoding(pipeline, decode, reg, own_registry, text.repair_utf8);
  const bool records = is_text_records(pipeline, table_args.input, text);  // refuses text options elsewhere
  if (pipeline.input_kind() == Kind::features) {
    for (const char* option : {"shard", "labels", "resume", "dry-run", "original", "fsync"})
      if (!vm[option].defaulted() && vm.count(option) && (std::string(option) == "shard" || std::string(option) == "labels" || vm[option].as<bool>()))
        throw UsageError(std::string("--") + option + " is for datasets of files; this pipeline takes a feature table");
    refuse_root(table_args, "this pipeline takes a feature table");
    refuse_folder_output(table_args.output);
    refuse_folder_output(run.params_output, "--params");
    return run_table_mode(pipeline, table_args, run);
  }
  for (const char* option : {"shard", "labels", "resume", "dry-run", "original", "fsync"})
    if (records && vm.count(option) && (std::string(option) == "shard" || std::string(option) == "labels" || vm[option].as<bool>()))
      throw UsageError(std::string("--") + option + " is for datasets of files; " + table_args.input +
                       " holds records of text");
  if (records) {
    if (vm.count("columns")) throw UsageError("--columns is for feature tables; text records take --text-column");
    refuse_root(table_args, table_args.input + " holds records of text");
    refuse_folder_output(table_args.output);
    refuse_folder_output(run.params_output, "--params");
    return run_text_records_mode(pipeline, table_args, run, text);
  }
  for (const char* option : {"columns", "key-column", "params"})
    if (vm.count(option)) throw UsageError(std::string("--") + option + " is for feature tables; this pipeline takes " +
                                           std::string(to_string(pipeline.input_kind())) + " files");
  return run_dataset_mode(pipeline, data_registry, table_args, run, dataset);
}

}  // namespace augment::cli
