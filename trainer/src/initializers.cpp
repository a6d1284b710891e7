#include "augment/trainer/initializers.hpp"

#include <algorithm>
#include <cmath>

#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"

namespace augment::trainer {

const std::vector<std::string>& initializer_names() {
  static const std::vector<std::string> names = {"normal", "standard_normal", "glorot_uniform",
                                                 "glorot_normal", "he_normal"};
  return names;
}

void check_initializer(const Initializer& init, const std::string& where) {
  const auto& names = initializer_names();
  if (std::find(names.begin(), names.end(), init.name) == names.end()) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    throw SpecError(where + ".init: unknown initializer '" + init.name + "' (known: " + list + ")");
  }
  if (!(std::isfinite(init.variance) && init.variance > 0))
    throw SpecError(where + ".variance: must be a finite number > 0, got " + format_number(init.variance));
}

template <class T>
void initialize(Matrix<T>& weight, const Initializer& init, Rng& rng) {
  initialize(weight, init, rng, static_cast<double>(weight.rows()), static_cast<double>(weight.cols()));
}

template <class T>
void initialize(Matrix<T>& weight, const Initializer& init, Rng& rng, double fan_in, double fan_out) {
  T* w = weight.data();
  const auto n = weight.size();
  if (init.name == "glorot_uniform") {
    const double limit = std::sqrt(6.0 / (fan_in + fan_out));
    for (Eigen::Index i = 0; i < n; ++i) w[i] = static_cast<T>(rng.uniform(-limit, limit));
    return;
  }
  double stddev = 1;
  if (init.name == "normal") stddev = std::sqrt(init.variance);
  else if (init.name == "glorot_normal") stddev = std::sqrt(2.0 / (fan_in + fan_out));
  else if (init.name == "he_normal") stddev = std::sqrt(2.0 / fan_in);
  else if (init.name != "standard_normal") check_initializer(init, "initializer");  // throws
  for (Eigen::Index i = 0; i < n; ++i) w[i] = static_cast<T>(rng.normal(0.0, stddev));
}

template void initialize<float>(Matrix<float>&, const Initializer&, Rng&);
template void initialize<double>(Matrix<double>&, const Initializer&, Rng&);
template void initialize<float>(Matrix<float>&, const Initializer&, Rng&, double, double);
template void initialize<double>(Matrix<double>&, const Initializer&, Rng&, double, double);

}  // namespace augment::trainer
