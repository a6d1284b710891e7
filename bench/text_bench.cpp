// Word-op cost, one thread, on Snowball's Spanish vocabulary (Debian snowball-data:
// /usr/share/snowball/data/spanish/voc.txt, 28,390 words, each followed by a space piece as the
// tokenizer would cut them):
//   - stem through augment's `stem` op (Transform::apply on a Tokens sample: lower-case check,
//     thread-local stemmer lookup, stem written back into the piece) vs raw libstemmer
//     sb_stemmer_stem calls on the same words in this binary: goal within 1.2x (measured
//     interleaved, pass by pass, and as separate runs);
//   - remove_stopwords (bundled Spanish list) words/s.
// Prints those figures after Google Benchmark's table.
#include <benchmark/benchmark.h>

#include <libstemmer.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "augment/core/registry.hpp"
#include "augment/text/register_transforms.hpp"
#include "augment/text/text.hpp"
#include "ratio_reporter.hpp"

namespace {

using nlohmann::json;
constexpr const char* kVocabulary = "/usr/share/snowball/data/spanish/voc.txt";

const augment::Registry& registry() {
  static const augment::Registry r = augment::make_registry({augment::text::register_transforms});
  return r;
}

const std::vector<std::string>& words() {
  static const std::vector<std::string> w = [] {
    std::vector<std::string> out;
    std::ifstream in(kVocabulary);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }();
  return w;
}

const augment::text::Tokens& tokens() {
  static const augment::text::Tokens t = [] {
    augment::text::Tokens out;
    out.language = "es";
    std::size_t offset = 0;
    for (const std::string& w : words()) {
      out.pieces.push_back({w, true, offset});
      out.pieces.push_back({" ", false, offset + w.size()});
      offset += w.size() + 1;
    }
    return out;
  }();
  return t;
}

std::unique_ptr<augment::Transform> make_op(const std::string& name, const json& params) {
  const augment::OpInfo* info = registry().find(name, augment::Kind::tokens);
  return info->create(*info, info->resolve(params));
}

// The op on a fresh copy of the sample each iteration; the copy is not timed.
void run_op(benchmark::State& state, const std::string& name, const json& params) {
  const auto op = make_op(name, params);
  const json no_params = json::object();
  for (auto _ : state) {
    state.PauseTiming();
    augment::Sample sample = augment::text::make_sample(tokens());
    state.ResumeTiming();
    op->apply(sample, no_params);
    benchmark::DoNotOptimize(augment::text::tokens_of(sample).pieces.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(words().size()));
}

void BM_stem_op(benchmark::State& state) { run_op(state, "stem", {{"language", "es"}}); }
void BM_remove_stopwords(benchmark::State& state) { run_op(state, "remove_stopwords", {{"language", "es"}}); }

// The floor: libstemmer alone on the same words, nothing copied back.
void BM_raw_libstemmer(benchmark::State& state) {
  sb_stemmer* stemmer = sb_stemmer_new("spanish", "UTF_8");
  for (auto _ : state)
    for (const std::string& w : words()) {
      const sb_symbol* s =
          sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(w.data()), static_cast<int>(w.size()));
      benchmark::DoNotOptimize(s);
      benchmark::DoNotOptimize(sb_stemmer_length(stemmer));
    }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(words().size()));
  sb_stemmer_delete(stemmer);
}

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// The op and raw libstemmer alternately, each pass timed on the thread's CPU clock, so load from
// other processes falls on both alike: the ratio the goal is about.
double interleaved_ratio = 0;
void BM_stem_vs_raw_interleaved(benchmark::State& state) {
  const auto op = make_op("stem", {{"language", "es"}});
  const json no_params = json::object();
  sb_stemmer* stemmer = sb_stemmer_new("spanish", "UTF_8");
  double ours = 0, theirs = 0;
  for (auto _ : state) {
    augment::Sample sample = augment::text::make_sample(tokens());
    const double t0 = thread_cpu_seconds();
    op->apply(sample, no_params);
    benchmark::DoNotOptimize(augment::text::tokens_of(sample).pieces.data());
    const double t1 = thread_cpu_seconds();
    for (const std::string& w : words()) {
      const sb_symbol* s =
          sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(w.data()), static_cast<int>(w.size()));
      benchmark::DoNotOptimize(s);
      benchmark::DoNotOptimize(sb_stemmer_length(stemmer));
    }
    theirs += thread_cpu_seconds() - t1;
    ours += t1 - t0;
  }
  sb_stemmer_delete(stemmer);
  interleaved_ratio = theirs > 0 ? ours / theirs : 0;
  state.counters["ratio"] = interleaved_ratio;
}

}  // namespace

int main(int argc, char** argv) {
  if (words().empty()) {
    std::fprintf(stderr, "text_bench: %s is missing (Debian package snowball-data)\n", kVocabulary);
    return 1;
  }
  benchmark::RegisterBenchmark("BM_stem_op", BM_stem_op)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_raw_libstemmer", BM_raw_libstemmer)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_stem_vs_raw_interleaved", BM_stem_vs_raw_interleaved)
      ->Unit(benchmark::kMillisecond)
      ->MinTime(2.0);
  benchmark::RegisterBenchmark("BM_remove_stopwords", BM_remove_stopwords)->Unit(benchmark::kMillisecond);

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::printf("vocabulary: %s, %zu words; libstemmer (Debian 2.2.0-2)\n", kVocabulary, words().size());
  std::fflush(stdout);
  augment::bench::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  const double n = static_cast<double>(words().size());
  const double op = reporter.cpu("BM_stem_op"), raw = reporter.cpu("BM_raw_libstemmer");
  std::printf("\nratios (CPU time):\n");
  if (interleaved_ratio > 0)
    std::printf("%-44s %.2fx   (goal <= 1.2x)\n", "stem op / raw libstemmer, interleaved:", interleaved_ratio);
  if (op > 0 && raw > 0) std::printf("%-44s %.2fx   (separate runs)\n", "stem op / raw libstemmer:", op / raw);
  auto per_second = [n](double cpu_ms) { return n / (cpu_ms * 1e-3); };
  std::printf("\nthroughput (CPU time, one thread):\n");
  if (op > 0) std::printf("  %-28s %12.0f words/s\n", "stem op", per_second(op));
  if (raw > 0) std::printf("  %-28s %12.0f words/s\n", "raw sb_stemmer_stem", per_second(raw));
  if (const double stop = reporter.cpu("BM_remove_stopwords"); stop > 0)
    std::printf("  %-28s %12.0f words/s\n", "remove_stopwords (es)", per_second(stop));
  return 0;
}
