// Dataset runner throughput and memory, with J jobs, into an output folder under $TMPDIR.
// Prints samples/s, the process's peak RSS and how much of it the run added, so scripts/bench can compare 1 vs 2 jobs
// (speed-up) and a small vs a large number of sources (memory must stay flat).
//
//   runner_bench SOURCES JOBS          N small ".vec" sources (64 numbers each) through
//                                      gaussian_noise + unit_norm (features)
//   runner_bench images SOURCES JOBS   N copies of corpora/images/home.jpg (512×384 JPEG, the
//                                      file's bytes) through the image module: resize_longest
//                                      256 + rotate [-15, 15] + hflip (p 0.5) +
//                                      brightness_contrast, one copy each, written as JPEG
//
// Sources are spread over 100 subfolders (d0 … d99), so the walk recurses.
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <sstream>
#include <string>

#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/features/feature_vector.hpp"
#include "augment/features/register_transforms.hpp"
#include "augment/image/register_transforms.hpp"
#include "augment/runner/run_dataset.hpp"

namespace fs = std::filesystem;
using augment::features::FeatureVector;
using nlohmann::json;

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

// root/in/d<i % 100>/s<i><extension>, the folder created on first use.
fs::path source_path(const fs::path& root, std::size_t i, const std::string& extension) {
  const fs::path dir = root / "in" / ("d" + std::to_string(i % 100));
  if (i < 100) fs::create_directories(dir);
  return dir / ("s" + std::to_string(i) + extension);
}

void write_vec_sources(const fs::path& root, std::size_t sources) {
  for (std::size_t i = 0; i < sources; ++i) {
    std::ofstream out(source_path(root, i, ".vec"));
    for (int j = 0; j < 64; ++j) out << (i * 64 + j) % 97 << ' ';
    if (!out) throw std::runtime_error("cannot write the sources under " + root.string());
  }
}

void write_image_sources(const fs::path& root, std::size_t sources) {
  const fs::path photo = fs::path(AUGMENT_SOURCE_DIR) / "corpora" / "images" / "home.jpg";
  std::ifstream in(photo, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.empty()) throw std::runtime_error(photo.string() + ": missing or empty");
  for (std::size_t i = 0; i < sources; ++i) {
    std::ofstream out(source_path(root, i, ".jpg"), std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write the sources under " + root.string());
  }
}

// The process's resident set now, in KiB (0 when /proc is not there).
long current_rss_kib() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return resident * (::sysconf(_SC_PAGESIZE) / 1024);
}

int usage() {
  std::fprintf(stderr, "usage: runner_bench SOURCES JOBS\n       runner_bench images SOURCES JOBS\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // Linking the image module maps OpenCV and its codec libraries (~140 shared objects, ~45 MB
  // resident before main); rss_growth_kib = peak - this is what the run itself added.
  const long start_rss_kib = current_rss_kib();
  const bool images = argc == 4 && std::strcmp(argv[1], "images") == 0;
  if (!(argc == 3 || images)) return usage();
  std::size_t sources = 0, jobs = 0;
  try {
    sources = std::stoul(argv[argc - 2]);
    jobs = std::stoul(argv[argc - 1]);
  } catch (const std::exception&) {
    return usage();
  }
  const fs::path root = fs::temp_directory_path() / ("augment-runner-bench-" + std::to_string(::getpid()));
  int status = 1;
  try {
    fs::create_directories(root / "in");
    augment::Registry registry;
    json spec;
    if (images) {
      write_image_sources(root, sources);
      augment::image::register_transforms(registry);
      spec = {{"kind", "image"},
              {"stages",
               {{{"op", "resize_longest"}, {"size", 256}},
                {{"op", "rotate"}, {"degrees", {-15, 15}}},
                {{"op", "hflip"}, {"p", 0.5}},
                {{"op", "brightness_contrast"}}}}};
    } else {
      write_vec_sources(root, sources);
      augment::features::register_transforms(registry);
      registry.add_codec(std::make_shared<VecCodec>());
      spec = {{"kind", "features"}, {"stages", {{{"op", "gaussian_noise"}, {"sigma", 0.1}}, {{"op", "unit_norm"}}}}};
    }
    const auto pipeline = augment::Pipeline::from_json(spec, registry);
    augment::runner::DatasetRunOptions o;
    o.input = root / "in";
    o.output = root / "out";
    o.jobs = jobs;
    o.copies = 1;
    o.on_error = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
    const auto start = std::chrono::steady_clock::now();
    const auto s = augment::runner::run_dataset(pipeline, registry, o);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("%ssources=%zu jobs=%zu written=%zu seconds=%.3f samples_per_s=%.1f peak_rss_kib=%ld "
                "rss_growth_kib=%ld\n",
                images ? "images " : "", sources, jobs, s.written, seconds, static_cast<double>(s.processed) / seconds,
                usage.ru_maxrss, usage.ru_maxrss - start_rss_kib);
    status = s.failed == 0 && s.written == sources ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "runner_bench: %s\n", e.what());
  }
  std::error_code ignored;
  fs::remove_all(root, ignored);
  return status;
}
