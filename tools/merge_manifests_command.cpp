// augment merge-manifests: the shard manifests of a sharded run → the one manifest.csv an
// unsharded run writes.
#include <iostream>

#include "augment/runner/run_dataset.hpp"
#include "cli_common.hpp"

namespace augment::cli {
namespace po = boost::program_options;

int merge_manifests_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  std::string output;
  options.add_options()("output", po::value(&output)->required(), "the output folder the shards wrote into");
  po::variables_map vm;
  if (!parse("merge-manifests", "--output OUT", options, args, vm)) return ok;
  const std::size_t rows = runner::merge_manifests(output);
  std::cerr << "augment merge-manifests: " << rows << " rows -> " << output << "/manifest.csv\n";
  return ok;
}

}  // namespace augment::cli
