// A minimal user of an installed augment, as another trainer would link it: build a pipeline
// from a spec, fit it on a few rows, and run one row through it.
#include <augment/core/pipeline.hpp>
#include <augment/features/feature_vector.hpp>
#include <augment/features/register_transforms.hpp>

#include <cmath>
#include <iostream>
#include <memory>

int main() {
  augment::Registry registry;
  augment::features::register_transforms(registry);
  auto pipeline = augment::Pipeline::from_json(
      {{"kind", "features"}, {"stages", {{{"op", "standardize"}}, {{"op", "gaussian_noise"}, {"sigma", 0.0}}}}},
      registry);

  pipeline.fit([] {
    auto done = std::make_shared<bool>(false);
    return augment::SampleBlockReader([done](std::vector<augment::Sample>& block) {
      block.clear();
      if (*done) return false;
      for (double x : {1.0, 2.0, 3.0, 4.0}) block.push_back(augment::features::make_sample({x, 10 * x}));
      *done = true;
      return true;
    });
  });

  augment::Sample row = augment::features::make_sample({4.0, 40.0});
  pipeline.run(row, augment::Rng::derive(42, "row-1", 0, 0));
  // mean 2.5, population sd sqrt(1.25): (4 - 2.5) / 1.118... = 1.3416...
  const auto& values = augment::features::values_of(row);
  std::cout << values[0] << ' ' << values[1] << '\n';
  const bool as_expected = values[0] > 1.3416 && values[0] < 1.3417 && std::abs(values[1] - values[0]) < 1e-12;
  return as_expected ? 0 : 1;
}
