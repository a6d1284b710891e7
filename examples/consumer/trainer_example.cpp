// The trainer from C++ (link augment::trainer): a config as JSON, its fields changed in code,
// trained on a small table, scored on held-out rows.
#include <augment/features/register_transforms.hpp>
#include <augment/trainer/trainer.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "examples.hpp"

bool trainer_example() {
  // 400 rows of two features; the class is whether x + y > 0 (a line a dense layer learns).
  const auto folder = std::filesystem::temp_directory_path() / "augment-consumer";
  std::filesystem::create_directories(folder);
  {
    std::ofstream table(folder / "points.csv");
    table << "x,y,label\n";
    unsigned state = 12345;
    const auto next = [&state] { return (state = state * 1103515245u + 12345u) / 65536u % 2001u / 1000.0 - 1.0; };
    for (int i = 0; i < 400; ++i) {
      const double x = next(), y = next();
      table << x << ',' << y << ',' << (x + y > 0 ? "above" : "below") << '\n';
    }
  }
  const augment::Registry registry = augment::make_registry({augment::features::register_transforms});
  auto config = augment::trainer::TrainConfig::from_json(
      {{"data",
        {{"file", "points.csv"}, {"targets", {"label"}}, {"train", {{"rows", {1, 300}}}}, {"test", {{"rows", {301, 400}}}}}},
       {"pipeline", {{"kind", "features"}, {"stages", {{{"op", "standardize"}}, {{"op", "gaussian_noise"}, {"sigma", 0.05}}}}}},
       {"model", {{"trunk", {{{"type", "dense"}, {"units", 16}}, {{"type", "relu"}}}},
                  {"heads", {{{"name", "side"}, {"targets", {"label"}}, {"layers", {{{"type", "dense"}}}}}}}}},
       {"optimizer", {{"type", "adam"}, {"lr", 0.01}}}},
      folder, &registry);
  config.fit.epochs = 40;      // every training option lives in config.fit
  config.fit.batch_size = 32;
  config.fit.seed = 3;
  const augment::trainer::TrainResult result = augment::trainer::train(config);
  const double accuracy = result.members[0].test.get("test_accuracy").value_or(0.0);
  std::cout << "trainer: test accuracy " << accuracy << " after " << result.members[0].fit.epochs_run << " epochs\n";
  std::filesystem::remove_all(folder);
  return accuracy >= 0.95;
}
