#include "augment/trainer/adam.hpp"

#include <cmath>

#include "option_checks.hpp"
#include "weight_decay.hpp"

namespace augment::trainer {

namespace {

std::vector<std::string> buffer_names(const AdamOptions& o) {
  std::vector<std::string> names = {"exp_avg", "exp_avg_sq"};
  if (o.amsgrad) names.push_back("max_exp_avg_sq");
  return names;
}

}  // namespace

template <class T>
Adam<T>::Adam(const AdamOptions& options) : options_(options), state_("adam", buffer_names(options)) {
  const std::string label = "optimizer (adam)";
  checks::check_positive(label, "lr", options.lr);
  checks::check_in(label, "beta1", options.beta1, 0, 1, true);
  checks::check_in(label, "beta2", options.beta2, 0, 1, true);
  checks::check_positive(label, "eps", options.eps);
  checks::check_non_negative(label, "weight_decay", options.weight_decay);
}

template <class T>
void Adam<T>::step(const std::vector<Parameter<T>*>& parameters, double lr) {
  const AdamOptions& o = options_;
  const T b1 = static_cast<T>(o.beta1), b2 = static_cast<T>(o.beta2),
          rest1 = static_cast<T>(1 - o.beta1), rest2 = static_cast<T>(1 - o.beta2),
          eps = static_cast<T>(o.eps), wd = static_cast<T>(o.weight_decay);
  const bool inside = o.epsilon == EpsilonPlacement::inside;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    Parameter<T>& p = *parameters[i];
    if (p.frozen) continue;
    OptimizerSlot<T>& s = state_.slot(i, p);
    ++s.step;
    const double t = static_cast<double>(s.step);
    const double correction1 = 1 - std::pow(o.beta1, t), correction2 = 1 - std::pow(o.beta2, t);
    auto theta = p.value.array();
    auto m = s.buffers[0].array();
    auto v = s.buffers[1].array();
    if (o.decoupled && wd != 0) theta *= static_cast<T>(1 - lr * o.weight_decay);
    auto moments = [&](const auto& g) {
      m = b1 * m + rest1 * g;
      v = b2 * v + rest2 * g.square();
    };
    detail::with_weight_decay(p, o.decoupled ? T(0) : wd, moments);
    if (o.amsgrad) {
      auto v_max = s.buffers[2].array();
      v_max = v_max.max(v);
    }
    const auto v_used = s.buffers[o.amsgrad ? 2 : 1].array();
    if (inside) {
      // θ ← θ − α·m̂ / √(v̂ + ε)
      const T c1 = static_cast<T>(correction1), c2 = static_cast<T>(correction2);
      theta -= static_cast<T>(lr) * (m / c1) / (v_used / c2 + eps).sqrt();
    } else {
      // As torch: step size α/(1 − β₁ᵗ), denominator √v/√(1 − β₂ᵗ) + ε.
      const T step_size = static_cast<T>(lr / correction1),
              root2 = static_cast<T>(std::sqrt(correction2));
      theta -= step_size * m / (v_used.sqrt() / root2 + eps);
    }
  }
}

template <class T>
nlohmann::json Adam<T>::config() const {
  return {{"type", "adam"},
          {"lr", options_.lr},
          {"beta1", options_.beta1},
          {"beta2", options_.beta2},
          {"eps", options_.eps},
          {"epsilon", to_string(options_.epsilon)},
          {"weight_decay", options_.weight_decay},
          {"decoupled", options_.decoupled},
          {"amsgrad", options_.amsgrad}};
}

template class Adam<float>;
template class Adam<double>;

}  // namespace augment::trainer
