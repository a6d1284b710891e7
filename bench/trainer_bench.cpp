// Training samples/s of MLPs, one thread: forward, backward (softmax cross-entropy) and an Adam
// step per batch, on a fixed batch, as bench/trainer_torch.py does with PyTorch. Prints one line
// per network: "NAME batch B: S samples/s, fwd+bwd U us (G GFLOP/s)". Best of 5 repeats.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "augment/core/rng.hpp"
#include "augment/trainer/network.hpp"
#include "augment/trainer/optimizer.hpp"

namespace {

using augment::trainer::Matrix;
using Clock = std::chrono::steady_clock;

void run(const std::vector<int>& sizes, int batch, int steps) {
  nlohmann::json trunk = nlohmann::json::array();
  for (std::size_t i = 1; i + 1 < sizes.size(); ++i) {
    trunk.push_back({{"type", "dense"}, {"units", sizes[i]}, {"init", "he_normal"}});
    trunk.push_back({{"type", "relu"}});
  }
  const nlohmann::json architecture = {
      {"inputs", sizes[0]},
      {"trunk", trunk},
      {"heads", {{{"name", "out"}, {"loss", "softmax_cross_entropy"}, {"layers", {{{"type", "dense"}, {"units", sizes.back()}}}}}}}};
  auto network = augment::trainer::Network<float>::from_json(architecture, 1);
  auto adam = augment::trainer::make_optimizer<float>({{"type", "adam"}});
  augment::Rng rng(7);
  Matrix<float> x(batch, sizes[0]);
  Matrix<float> y = Matrix<float>::Zero(batch, sizes.back());
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = static_cast<float>(rng.normal());
  for (int r = 0; r < batch; ++r) y(r, r % sizes.back()) = 1;
  const auto parameters = network.parameters();
  const auto zero = [&] {
    for (auto* p : parameters) p->grad.setZero();
  };
  for (int i = 0; i < 50; ++i) {  // warm-up: buffers, optimizer state, caches
    zero();
    network.train_batch(x, y, rng);
    adam->step(parameters, 1e-3);
  }
  double best_backprop = 1e9, best_step = 1e9;
  for (int repeat = 0; repeat < 5; ++repeat) {
    const auto t0 = Clock::now();
    for (int i = 0; i < steps; ++i) {
      zero();
      network.train_batch(x, y, rng);
    }
    const auto t1 = Clock::now();
    for (int i = 0; i < steps; ++i) {
      zero();
      network.train_batch(x, y, rng);
      adam->step(parameters, 1e-3);
    }
    const auto t2 = Clock::now();
    best_backprop = std::min(best_backprop, std::chrono::duration<double>(t1 - t0).count() / steps);
    best_step = std::min(best_step, std::chrono::duration<double>(t2 - t1).count() / steps);
  }
  // FLOPs of the products: forward 2·b·in·out per layer; backward dW the same, dx for all but
  // the first layer (its input gradient is not needed).
  double forward = 0, input_grads = 0;
  for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
    const double layer = 2.0 * batch * sizes[i] * sizes[i + 1];
    forward += layer;
    if (i > 0) input_grads += layer;
  }
  std::string name = std::to_string(sizes[0]);
  for (std::size_t i = 1; i < sizes.size(); ++i) name += "-" + std::to_string(sizes[i]);
  std::printf("%s batch %d: %.0f samples/s, fwd+bwd %.1f us (%.1f GFLOP/s)\n", name.c_str(), batch, batch / best_step,
              best_backprop * 1e6, (2 * forward + input_grads) / best_backprop * 1e-9);
}

}  // namespace

int main() {
  run({16, 256, 256, 26}, 128, 300);
  run({16, 64, 64, 26}, 32, 2000);
  return 0;
}
