// Text augmenters, one thread, on real Spanish text: the first 1,000 entries (sorted file
// order) of Debian's fortunes-es (/usr/share/games/fortunes/es/*.fortunes, entries separated by
// '%' lines, whitespace collapsed to single spaces), or a built-in sample when the package is
// absent. Character ops (text → text) are timed as draw + apply of the op alone. Word ops take
// tokens, so they are timed as a user runs them: the pipeline tokenize → op → join, with
// tokenize → join alone as the reference for what the op adds. Default params, language "es";
// prints sentences/s per op after the table.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "augment/core/pipeline.hpp"
#include "augment/core/registry.hpp"
#include "augment/text/register_transforms.hpp"
#include "augment/text/text.hpp"
#include "augment/text/utf8.hpp"
#include "ratio_reporter.hpp"

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kSentences = 1000;
std::string corpus_source;
const char* const kCharOps[] = {"char_insert", "char_substitute", "char_delete", "char_swap", "keyboard_typo", "ocr_error"};
// "join" alone stands for the tokenize → join reference.
const char* const kWordOps[] = {"join", "word_swap", "word_delete", "word_insert", "word_crop", "synonym", "misspell"};

const augment::Registry& registry() {
  static const augment::Registry r = augment::make_registry({augment::text::register_transforms});
  return r;
}

std::string collapse(const std::string& s) {
  std::string out;
  for (const char c : s) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

const std::vector<std::string>& sentences() {
  static const std::vector<std::string> list = [] {
    std::vector<std::string> out;
    const fs::path dir = "/usr/share/games/fortunes/es";
    std::vector<fs::path> files;
    if (fs::is_directory(dir))
      for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".fortunes") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::ifstream in(f);
      std::string entry;
      for (std::string line; std::getline(in, line) && out.size() < kSentences;) {
        if (line == "%") {
          entry = collapse(entry);
          if (!entry.empty() && augment::text::is_valid_utf8(entry)) out.push_back(entry);
          entry.clear();
        } else {
          entry += line + "\n";
        }
      }
    }
    if (out.size() >= kSentences) {
      corpus_source = dir.string() + " (fortunes-es)";
      return out;
    }
    out = {"¿Dónde está el niño que jugaba en el jardín?", "La pingüina comió un ñoño pastel de manzana.",
           "Ayer compré 3 libros y 2 cuadernos en la librería del centro.",
           "El murciélago vuela sobre el campanario cuando anochece."};
    corpus_source = "built-in sample (fortunes-es not installed)";
    while (out.size() < kSentences) out.push_back(out[out.size() % 4]);
    return out;
  }();
  return list;
}

std::vector<augment::Sample> spanish_samples() {
  std::vector<augment::Sample> samples;
  for (const auto& s : sentences()) samples.push_back(augment::text::make_sample(augment::text::Text{s, "es"}));
  return samples;
}

void BM_op(benchmark::State& state, const char* name) {
  const augment::OpInfo* info = registry().find(name, augment::Kind::text);
  const auto op = info->create(*info, info->resolve(nlohmann::json::object()));
  const std::vector<augment::Sample> samples = spanish_samples();
  std::uint64_t seed = 0;
  for (auto _ : state) {
    for (const augment::Sample& source : samples) {
      augment::Sample s = source;
      augment::Rng rng(++seed);
      const nlohmann::json params = op->draw(rng, s);
      op->apply(s, params);
      benchmark::DoNotOptimize(augment::text::text_of(s).utf8.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(samples.size()));
}

void BM_word_op(benchmark::State& state, const char* name) {
  nlohmann::json stages = {{{"op", "tokenize"}}};
  if (std::string(name) != "join") stages.push_back({{"op", name}});
  stages.push_back({{"op", "join"}});
  const auto pipeline = augment::Pipeline::from_json({{"kind", "text"}, {"stages", stages}}, registry());
  const std::vector<augment::Sample> samples = spanish_samples();
  std::uint64_t seed = 0;
  for (auto _ : state) {
    for (const augment::Sample& source : samples) {
      augment::Sample s = source;
      benchmark::DoNotOptimize(pipeline.run(s, augment::Rng(++seed)));
      benchmark::DoNotOptimize(augment::text::text_of(s).utf8.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(samples.size()));
}

std::string word_benchmark_name(const char* op) {
  return std::string(op) == "join" ? "text/tokenize+join" : std::string("text/tokenize+") + op + "+join";
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  std::size_t bytes = 0;
  for (const auto& s : sentences()) bytes += s.size();
  std::printf("corpus: %s, %zu sentences, %.1f bytes each on average\n", corpus_source.c_str(), sentences().size(),
              static_cast<double>(bytes) / static_cast<double>(sentences().size()));
  for (const char* name : kCharOps)
    benchmark::RegisterBenchmark((std::string("text/") + name).c_str(), BM_op, name)->Unit(benchmark::kMillisecond);
  for (const char* name : kWordOps)
    benchmark::RegisterBenchmark(word_benchmark_name(name).c_str(), BM_word_op, name)->Unit(benchmark::kMillisecond);
  augment::bench::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  std::printf("\nthroughput (CPU time, one thread, default params; char ops: draw + apply, word ops: the pipeline):\n");
  const auto print = [&](const std::string& label, const std::string& benchmark_name) {
    const double ms = reporter.cpu(benchmark_name);  // per iteration, in the benchmark's unit
    if (ms > 0) std::printf("  %-28s %10.0f sentences/s\n", label.c_str(), static_cast<double>(sentences().size()) / (ms * 1e-3));
  };
  for (const char* name : kCharOps) print(name, std::string("text/") + name);
  for (const char* name : kWordOps) print(word_benchmark_name(name).substr(5), word_benchmark_name(name));
  benchmark::Shutdown();
  return 0;
}
