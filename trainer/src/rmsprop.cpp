#include "augment/trainer/rmsprop.hpp"

#include "option_checks.hpp"
#include "weight_decay.hpp"

namespace augment::trainer {

namespace {

std::vector<std::string> buffer_names(const RmspropOptions& o) {
  std::vector<std::string> names = {"square_avg"};
  if (o.centered) names.push_back("grad_avg");
  if (o.momentum > 0) names.push_back("momentum_buffer");
  return names;
}

}  // namespace

template <class T>
Rmsprop<T>::Rmsprop(const RmspropOptions& options)
    : options_(options), state_("rmsprop", buffer_names(options)) {
  const std::string label = "optimizer (rmsprop)";
  checks::check_positive(label, "lr", options.lr);
  checks::check_in(label, "rho", options.rho, 0, 1, true);
  checks::check_positive(label, "eps", options.eps);
  checks::check_in(label, "momentum", options.momentum, 0, 1, true);
  checks::check_non_negative(label, "weight_decay", options.weight_decay);
  grad_avg_ = options.centered ? 1 : 0;
  momentum_buffer_ = options.centered ? 2 : 1;
}

template <class T>
void Rmsprop<T>::step(const std::vector<Parameter<T>*>& parameters, double lr) {
  const T alpha = static_cast<T>(lr), rho = static_cast<T>(options_.rho),
          eps = static_cast<T>(options_.eps), mu = static_cast<T>(options_.momentum),
          wd = static_cast<T>(options_.weight_decay), rest = static_cast<T>(1 - options_.rho);
  const bool inside = options_.epsilon == EpsilonPlacement::inside;
  const bool centered = options_.centered, with_momentum = options_.momentum > 0;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    Parameter<T>& p = *parameters[i];
    if (p.frozen) continue;
    OptimizerSlot<T>& s = state_.slot(i, p);
    auto theta = p.value.array();
    auto r = s.buffers[0].array();
    // Every branch is one fused Eigen loop; the denominator D is an expression, never stored.
    auto descend = [&](const auto& g, const auto& denominator) {
      if (with_momentum) {
        auto b = s.buffers[momentum_buffer_].array();
        b = mu * b + g / denominator;
        theta -= alpha * b;
      } else {
        theta -= alpha * g / denominator;
      }
    };
    auto update = [&](const auto& g) {
      r = rho * r + rest * g.square();
      if (centered) {
        auto m = s.buffers[grad_avg_].array();
        m = rho * m + rest * g;
        if (inside) {
          descend(g, (r - m.square() + eps).sqrt());
        } else {
          descend(g, (r - m.square()).sqrt() + eps);
        }
      } else if (inside) {
        descend(g, (r + eps).sqrt());
      } else {
        descend(g, r.sqrt() + eps);
      }
    };
    detail::with_weight_decay(p, wd, update);
    ++s.step;
  }
}

template <class T>
nlohmann::json Rmsprop<T>::config() const {
  return {{"type", "rmsprop"},
          {"lr", options_.lr},
          {"rho", options_.rho},
          {"eps", options_.eps},
          {"epsilon", to_string(options_.epsilon)},
          {"momentum", options_.momentum},
          {"centered", options_.centered},
          {"weight_decay", options_.weight_decay}};
}

template class Rmsprop<float>;
template class Rmsprop<double>;

}  // namespace augment::trainer
