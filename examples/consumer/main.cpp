// Minimal user of an installed augment: includes public headers of two modules and draws
// one number from a derived generator.
#include <augment/core/rng.hpp>
#include <augment/features/standardize.hpp>

#include <iostream>

int main() {
  augment::Rng rng = augment::Rng::derive(42, "sample", 0, 0);
  std::cout << rng.uniform() << '\n';
  return 0;
}
