// Mini-batches: what each batch holds (the seeded order, augment run's draws) and how a failure
// surfaces, with one producer thread or several.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "augment/core/error.hpp"
#include "augment/features/feature_vector.hpp"
#include "augment/trainer/batches.hpp"
#include "fixture_table.hpp"
#include "trainer_blobs.hpp"

namespace tr = augment::trainer;
using augment_test::TempDir;
using augment_test::write_blobs;

TEST_CASE("batches: epoch e draws what augment run writes as copy e-1, in the seeded order") {
  TempDir dir("train_batches");
  write_blobs(dir / "blobs.csv");
  const auto data = tr::Dataset::read_csv({dir / "blobs.csv", {"x1", "x2"}, {{"label"}}, "id"});
  const auto pipeline = augment_test::make_pipeline({{{"op", "gaussian_noise"}, {"sigma", 0.3}}});
  tr::BatchOptions o;
  o.batch_size = 64;
  o.seed = 9;
  o.last_epoch = 2;
  o.prefetch = 2;
  tr::BatchStream<double> stream(data, &pipeline, o);
  std::size_t batches = 0;
  while (auto b = stream.next()) {
    const auto order = tr::epoch_order(data.rows(), 9, b->epoch);
    for (Eigen::Index i = 0; i < b->inputs.rows(); ++i) {
      const std::size_t row = order[b->index * 64 + static_cast<std::size_t>(i)];
      augment::Sample s = augment::features::make_sample(data.features(row));
      pipeline.run(s, augment::Rng::derive(9, data.key(row), b->epoch - 1, 0));
      CHECK(b->inputs(i, 0) == augment::features::values_of(s)[0]);
      CHECK(b->targets.row(i) == data.target_row(row));
    }
    ++batches;
  }
  CHECK(batches == 10);  // 5 per epoch: 4 of 64 and one of 44
  CHECK(data.key(0) == "r0");
}

TEST_CASE("batches: with several producers, a failing batch fails the run where one producer would") {
  TempDir dir("train_batch_error");
  write_blobs(dir / "blobs.csv");
  const auto data = tr::Dataset::read_csv({dir / "blobs.csv", {"x1", "x2"}, {{"label"}}, "id"});
  for (const std::size_t producers : {std::size_t{1}, std::size_t{4}}) {
    CAPTURE(producers);
    tr::BatchOptions o;
    o.batch_size = 64;
    o.last_epoch = 3;
    o.prefetch = 6;
    o.producers = producers;
    // Batches 2 and 3 of epoch 2 fail; with four producers the later one may fail first.
    o.before_batch = [](std::size_t epoch, std::size_t index) {
      if (epoch == 2 && index >= 2) {
        if (index == 2) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        throw augment::DataError("batch " + std::to_string(index) + " failed");
      }
    };
    tr::BatchStream<double> stream(data, nullptr, o);
    std::vector<std::pair<std::size_t, std::size_t>> seen;
    std::string error;
    try {
      while (auto b = stream.next()) seen.emplace_back(b->epoch, b->index);
    } catch (const augment::DataError& e) {
      error = e.what();
    }
    CHECK(error == "batch 2 failed");
    REQUIRE(seen.size() == 7);  // epoch 1's five batches, then epoch 2's first two
    CHECK(seen.back() == std::pair<std::size_t, std::size_t>{2, 1});
  }
}
