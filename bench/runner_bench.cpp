// Dataset runner throughput and memory: N small ".vec" sources (64 numbers each) through
// gaussian_noise + unit_norm into an output folder, with J jobs. Prints samples/s and the
// process's peak RSS, so scripts/bench can compare 1 vs 2 jobs (speed-up) and 1,000 vs 10,000
// sources (memory must stay flat). Usage: runner_bench SOURCES JOBS
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/features/feature_vector.hpp"
#include "augment/features/register_transforms.hpp"
#include "augment/runner/run_dataset.hpp"

namespace fs = std::filesystem;
using augment::features::FeatureVector;

namespace {

struct VecCodec final : augment::SampleCodec {
  augment::Kind kind() const override { return augment::Kind::features; }
  std::vector<std::string> extensions() const override { return {".vec"}; }
  augment::Sample read(const fs::path& file) const override {
    std::ifstream in(file);
    FeatureVector values;
    for (std::string word; in >> word;) values.push_back(augment::parse_number(word).value_or(0.0));
    if (values.empty()) throw augment::DataError(file.string() + ": empty file");
    return augment::features::make_sample(std::move(values));
  }
  void write(const augment::Sample& sample, const std::string&, std::ostream& out) const override {
    for (double v : augment::features::values_of(sample)) out << augment::format_number(v) << ' ';
    out << '\n';
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: runner_bench SOURCES JOBS\n");
    return 2;
  }
  const std::size_t sources = std::stoul(argv[1]), jobs = std::stoul(argv[2]);
  const fs::path root = fs::temp_directory_path() / ("augment-runner-bench-" + std::to_string(::getpid()));
  fs::create_directories(root / "in");
  for (std::size_t i = 0; i < sources; ++i) {
    std::ofstream out(root / "in" / ("d" + std::to_string(i % 100)) / ("s" + std::to_string(i) + ".vec"));
    if (!out) {
      fs::create_directories(root / "in" / ("d" + std::to_string(i % 100)));
      out.open(root / "in" / ("d" + std::to_string(i % 100)) / ("s" + std::to_string(i) + ".vec"));
    }
    for (int j = 0; j < 64; ++j) out << (i * 64 + j) % 97 << ' ';
  }
  augment::Registry registry;
  augment::features::register_transforms(registry);
  registry.add_codec(std::make_shared<VecCodec>());
  const auto pipeline = augment::Pipeline::from_json(
      {{"kind", "features"}, {"stages", {{{"op", "gaussian_noise"}, {"sigma", 0.1}}, {{"op", "unit_norm"}}}}}, registry);
  augment::runner::DatasetRunOptions o;
  o.input = root / "in";
  o.output = root / "out";
  o.jobs = jobs;
  const auto start = std::chrono::steady_clock::now();
  const auto s = augment::runner::run_dataset(pipeline, registry, o);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("sources=%zu jobs=%zu written=%zu seconds=%.3f samples_per_s=%.1f peak_rss_kib=%ld\n", sources, jobs,
              s.written, seconds, static_cast<double>(s.processed) / seconds, usage.ru_maxrss);
  fs::remove_all(root);
  return s.failed == 0 ? 0 : 1;
}
