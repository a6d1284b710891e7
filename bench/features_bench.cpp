// Feature preprocessing cost: the augment pipeline (standardize + gaussian_noise, with the
// per-row record of drawn params) against a raw loop doing the same arithmetic with the same
// random numbers, and Pipeline::fit against a raw two-pass mean/std. The ratio is the price of
// the pipeline machinery (type-erased samples, JSON params, per-stage RNG streams).
#include <benchmark/benchmark.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "augment/core/csv.hpp"
#include "augment/core/number_text.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/features/feature_vector.hpp"
#include "augment/features/register_transforms.hpp"

namespace {

using augment::features::FeatureVector;

const std::vector<FeatureVector>& letters() {
  static const std::vector<FeatureVector> rows = [] {
    augment::CsvReader reader(std::string(AUGMENT_SOURCE_DIR) + "/corpora/letter-recognition/letter-recognition.csv");
    std::vector<FeatureVector> out;
    augment::CsvRow row;
    while (reader.next(row)) {
      FeatureVector v;
      for (std::size_t j = 1; j < row.fields.size(); ++j) v.push_back(*augment::parse_number(row.fields[j]));
      out.push_back(std::move(v));
    }
    return out;
  }();
  return rows;
}

const augment::Registry& registry() {
  static const augment::Registry r = augment::make_registry({augment::features::register_transforms});
  return r;
}

augment::OpenSampleBlocks open_letters() {
  return [] {
    auto next = std::make_shared<std::size_t>(0);
    return augment::SampleBlockReader([next](std::vector<augment::Sample>& block) {
      block.clear();
      const auto& rows = letters();
      while (block.size() < 1024 && *next < rows.size()) block.push_back(augment::features::make_sample(rows[(*next)++]));
      return !block.empty();
    });
  };
}

augment::Pipeline fitted_pipeline() {
  auto p = augment::Pipeline::from_json(
      {{"kind", "features"},
       {"stages", {{{"op", "standardize"}}, {{"op", "gaussian_noise"}, {"sigma", 0.1}}}}},
      registry());
  p.fit(open_letters());
  return p;
}

void BM_pipeline_run(benchmark::State& state) {
  const auto p = fitted_pipeline();
  const auto& rows = letters();
  for (auto _ : state) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
      augment::Sample s = augment::features::make_sample(rows[i]);
      benchmark::DoNotOptimize(p.run(s, augment::Rng::derive(1, std::to_string(i + 1), 0, 0)));
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows.size()));
}

void BM_raw_loop(benchmark::State& state) {
  const auto& rows = letters();
  const std::size_t d = rows[0].size();
  std::vector<double> mean(d, 0), sd(d, 0);
  for (const auto& r : rows)
    for (std::size_t j = 0; j < d; ++j) mean[j] += r[j] / static_cast<double>(rows.size());
  for (const auto& r : rows)
    for (std::size_t j = 0; j < d; ++j) sd[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / static_cast<double>(rows.size());
  for (double& s : sd) s = std::sqrt(s);
  for (auto _ : state) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
      FeatureVector v = rows[i];
      augment::Rng rng = augment::Rng::derive(1, std::to_string(i + 1), 0, 0);
      augment::Rng noise(rng.next_u64() >> 11);
      for (std::size_t j = 0; j < d; ++j) v[j] = (v[j] - mean[j]) / sd[j] + noise.normal(0.0, 0.1);
      benchmark::DoNotOptimize(v.data());
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows.size()));
}

void BM_pipeline_fit(benchmark::State& state) {
  for (auto _ : state) {
    auto p = augment::Pipeline::from_json({{"kind", "features"}, {"stages", {{{"op", "standardize"}}}}}, registry());
    p.fit(open_letters());
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * letters().size()));
}

void BM_raw_two_pass_fit(benchmark::State& state) {
  const auto& rows = letters();
  const std::size_t d = rows[0].size();
  for (auto _ : state) {
    std::vector<double> mean(d, 0), var(d, 0);
    for (const auto& r : rows)
      for (std::size_t j = 0; j < d; ++j) mean[j] += r[j];
    for (double& m : mean) m /= static_cast<double>(rows.size());
    for (const auto& r : rows)
      for (std::size_t j = 0; j < d; ++j) var[j] += (r[j] - mean[j]) * (r[j] - mean[j]);
    benchmark::DoNotOptimize(var.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows.size()));
}

}  // namespace

BENCHMARK(BM_raw_loop)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_pipeline_run)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_raw_two_pass_fit)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_pipeline_fit)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
