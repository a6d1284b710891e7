// augment train: train a network as a JSON config describes (data, pipeline, model, optimizer,
// regularizers, epochs, output folder); the format is in trainer/README.md.
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "augment/core/error.hpp"
#include "augment/trainer/trainer.hpp"
#include "cli_common.hpp"

namespace augment::cli {
namespace po = boost::program_options;
namespace {

std::string short_number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", v);
  return buffer;
}

std::string metrics_line(const trainer::Metrics& m) {
  std::ostringstream out;
  for (const auto& [name, value] : m.values) out << "  " << name << " " << short_number(value);
  return out.str();
}

}  // namespace

int train_command(const std::vector<std::string>& args) {
  std::vector<std::string> rest = args;
  std::string config_file, output;
  if (!rest.empty() && !rest.front().empty() && rest.front().front() != '-') {
    config_file = rest.front();
    rest.erase(rest.begin());
  }
  int epochs = 0, prefetch = -1, producers = 0;
  std::uint64_t seed = 0;
  bool quiet = false;
  po::options_description options("options");
  options.add_options()
      ("config", po::value(&config_file), "the training config (JSON); may also come first, without --config")
      ("output", po::value(&output), "output folder (default: the config's \"output\", relative to the config)")
      ("epochs", po::value(&epochs), "override the config's epochs")
      ("seed", po::value(&seed), "override the config's seed")
      ("prefetch", po::value(&prefetch), "batches the augmentation threads prepare ahead (0: no thread)")
      ("producers", po::value(&producers), "threads that augment and batch the data (same results for any number)")
      ("quiet,q", po::bool_switch(&quiet), "no progress or summary");
  po::variables_map vm;
  if (!parse("train", "CONFIG.json [--output DIR] [--epochs N] [--seed S] [--prefetch N] [--producers N] [--quiet]", options, rest, vm))
    return ok;
  if (config_file.empty()) throw UsageError("give the training config: augment train CONFIG.json (see `augment train --help`)");
  if (vm.count("epochs") && epochs < 1) throw UsageError("--epochs must be >= 1, got " + std::to_string(epochs));
  if (vm.count("prefetch") && prefetch < 0) throw UsageError("--prefetch must be >= 0, got " + std::to_string(prefetch));
  if (vm.count("producers") && producers < 1) throw UsageError("--producers must be >= 1, got " + std::to_string(producers));

  trainer::TrainConfig config = trainer::TrainConfig::load(config_file, &registry());
  if (!output.empty()) config.output = output;
  if (vm.count("epochs")) config.fit.epochs = static_cast<std::size_t>(epochs);
  if (vm.count("seed")) config.fit.seed = seed;
  if (vm.count("prefetch")) config.fit.prefetch = static_cast<std::size_t>(prefetch);
  if (vm.count("producers")) config.fit.producers = static_cast<std::size_t>(producers);
  if (config.output.empty())
    throw UsageError(config_file + ": no output folder: give \"output\" in the config or --output");

  trainer::TrainCallbacks callbacks;
  if (!quiet) {
    callbacks.on_epoch = [](const trainer::EpochReport& r) {
      std::cerr << "augment train: ";
      if (r.members > 1) std::cerr << "member " << r.member + 1 << "/" << r.members << " ";
      std::cerr << "epoch " << r.epoch << "/" << r.epochs << metrics_line(r.metrics) << "  (" << std::fixed
                << std::setprecision(2) << r.seconds << " s)\n"
                << std::defaultfloat;
    };
    callbacks.on_message = [](const std::string& message) { std::cerr << "augment train: " << message << "\n"; };
  }
  // A config error found while training starts (a model too large, heads that do not fit the
  // data) names the config like one found while reading it.
  const trainer::TrainResult result = [&] {
    try {
      return trainer::train(config, callbacks);
    } catch (const SpecError& e) {
      throw SpecError(config_file + ": " + e.what());
    }
  }();
  if (!quiet) {
    std::cerr << "augment train: " << result.train_rows << " training rows, " << result.validation_rows
              << " validation, " << result.test_rows << " test\n";
    for (std::size_t m = 0; m < result.members.size(); ++m) {
      const auto& member = result.members[m];
      std::cerr << "augment train: " << (result.members.size() > 1 ? "member " + std::to_string(m + 1) + ": " : "")
                << member.fit.epochs_run << " epochs"
                << (member.fit.skipped_batches > 0
                        ? ", " + std::to_string(member.fit.skipped_batches) + " batches skipped (not finite)"
                        : "")
                << metrics_line(member.validation) << metrics_line(member.test) << "\n";
    }
    if (result.members.size() > 1)
      std::cerr << "augment train: ensemble of " << result.members.size() << ":" << metrics_line(result.ensemble_validation)
                << metrics_line(result.ensemble_test) << "\n";
    std::cerr << "augment train: wrote " << config.output.string() << " in " << std::fixed << std::setprecision(1)
              << result.seconds << " s\n";
  }
  return ok;
}

}  // namespace augment::cli
