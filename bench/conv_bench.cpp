// Training samples/s of a LeNet-style CNN, one thread: forward, backward (softmax cross-entropy)
// and an Adam step per batch, on a fixed batch, as bench/conv_torch.py does with PyTorch:
// 1×20×20 → conv 5×5×16 → relu → max pool 2 → conv 5×5×32 → relu → max pool 2 → flatten →
// dense 128 → relu → dense 10, batch 64. Prints "lenet batch B: S samples/s, fwd+bwd U us",
// then the time of each layer's forward and backward (us per batch). Best of 5 repeats, in
// process CPU time (one thread), so that other work on a shared machine inflates it less than
// wall time; conv_torch.py measures the same way.
#include <algorithm>
#include <ctime>
#include <cstdio>
#include <string>
#include <vector>

#include "augment/core/rng.hpp"
#include "augment/trainer/network.hpp"
#include "augment/trainer/optimizer.hpp"

namespace {

using augment::trainer::Matrix;
struct Clock {
  static std::clock_t now() { return std::clock(); }
};

double seconds(std::clock_t a, std::clock_t b) { return static_cast<double>(b - a) / CLOCKS_PER_SEC; }

}  // namespace

int main() {
  const int batch = 64, steps = 100;
  const nlohmann::json architecture = {
      {"input_shape", {1, 20, 20}},
      {"trunk",
       {{{"type", "conv2d"}, {"out_channels", 16}, {"kernel", 5}, {"init", "he_normal"}},
        {{"type", "relu"}},
        {{"type", "max_pool2d"}, {"kernel", 2}},
        {{"type", "conv2d"}, {"out_channels", 32}, {"kernel", 5}, {"init", "he_normal"}},
        {{"type", "relu"}},
        {{"type", "max_pool2d"}, {"kernel", 2}},
        {{"type", "flatten"}},
        {{"type", "dense"}, {"units", 128}, {"init", "he_normal"}},
        {{"type", "relu"}}}},
      {"heads", {{{"name", "out"}, {"layers", {{{"type", "dense"}, {"units", 10}}}}}}}};
  auto network = augment::trainer::Network<float>::from_json(architecture, 1);
  auto adam = augment::trainer::make_optimizer<float>({{"type", "adam"}});
  augment::Rng rng(7);
  Matrix<float> x(batch, 400);
  Matrix<float> y = Matrix<float>::Zero(batch, 10);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = static_cast<float>(rng.normal());
  for (int r = 0; r < batch; ++r) y(r, r % 10) = 1;
  const auto parameters = network.parameters();
  const auto zero = [&] {
    for (auto* p : parameters) p->grad.setZero();
  };
  for (int i = 0; i < 20; ++i) {  // warm-up: buffers, optimizer state, caches
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
    best_backprop = std::min(best_backprop, seconds(t0, t1) / steps);
    best_step = std::min(best_step, seconds(t1, t2) / steps);
  }
  std::printf("lenet batch %d: %.0f samples/s, fwd+bwd %.1f us\n", batch, batch / best_step, best_backprop * 1e6);

  // Where the time goes: each trunk layer's forward and backward alone, best of 5 × steps.
  auto& trunk = network.trunk();
  std::vector<const Matrix<float>*> inputs;
  const Matrix<float>* h = &x;
  for (auto& l : trunk) {
    inputs.push_back(h);
    h = &l->forward(*h, augment::trainer::Phase::train, rng);
  }
  for (std::size_t i = 0; i < trunk.size(); ++i) {
    auto& l = *trunk[i];
    const Matrix<float> out = l.forward(*inputs[i], augment::trainer::Phase::train, rng);
    const Matrix<float> grad = Matrix<float>::Ones(out.rows(), out.cols());
    l.set_input_grad_needed(i > 0);
    double fwd = 1e9, bwd = 1e9;
    for (int repeat = 0; repeat < 5; ++repeat) {
      const auto t0 = Clock::now();
      for (int s = 0; s < steps; ++s) l.forward(*inputs[i], augment::trainer::Phase::train, rng);
      const auto t1 = Clock::now();
      for (int s = 0; s < steps; ++s) l.backward(grad);
      const auto t2 = Clock::now();
      fwd = std::min(fwd, seconds(t0, t1) / steps);
      bwd = std::min(bwd, seconds(t1, t2) / steps);
    }
    std::printf("  trunk.%zu %-11s forward %8.1f us, backward %8.1f us\n", i, l.type().c_str(), fwd * 1e6, bwd * 1e6);
  }
  return 0;
}
