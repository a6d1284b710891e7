#include "augment/trainer/momentum.hpp"

#include "option_checks.hpp"
#include "weight_decay.hpp"

namespace augment::trainer {

namespace {

const char* buffer_name(MomentumConvention c) {
  return c == MomentumConvention::course ? "velocity" : "momentum_buffer";
}

}  // namespace

template <class T>
Momentum<T>::Momentum(const MomentumOptions& options)
    : options_(options), state_("momentum", {buffer_name(options.convention)}) {
  const std::string label = "optimizer (momentum)";
  checks::check_positive(label, "lr", options.lr);
  checks::check_in(label, "momentum", options.momentum, 0, 1, true);
  checks::check_in(label, "dampening", options.dampening, 0, 1, false);
  checks::check_non_negative(label, "weight_decay", options.weight_decay);
  if (options.convention == MomentumConvention::course && options.dampening != 0) {
    throw SpecError(label + ": dampening is a \"pytorch\" convention option, got " +
                    checks::shown(options.dampening) + " with \"course\"");
  }
}

template <class T>
void Momentum<T>::step(const std::vector<Parameter<T>*>& parameters, double lr) {
  const T alpha = static_cast<T>(lr), mu = static_cast<T>(options_.momentum),
          keep = static_cast<T>(1 - options_.dampening), wd = static_cast<T>(options_.weight_decay);
  const bool course = options_.convention == MomentumConvention::course;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    Parameter<T>& p = *parameters[i];
    if (p.frozen) continue;
    OptimizerSlot<T>& s = state_.slot(i, p);
    auto theta = p.value.array();
    auto buffer = s.buffers[0].array();
    const bool first = s.step == 0;
    auto update = [&](const auto& g) {
      if (course) {
        buffer = mu * buffer - alpha * g;
        theta += buffer;
      } else {
        if (first) {
          buffer = g;
        } else {
          buffer = mu * buffer + keep * g;
        }
        theta -= alpha * buffer;
      }
    };
    detail::with_weight_decay(p, wd, update);
    ++s.step;
  }
}

template <class T>
nlohmann::json Momentum<T>::config() const {
  return {{"type", "momentum"},
          {"lr", options_.lr},
          {"momentum", options_.momentum},
          {"dampening", options_.dampening},
          {"weight_decay", options_.weight_decay},
          {"convention", to_string(options_.convention)}};
}

template class Momentum<float>;
template class Momentum<double>;

}  // namespace augment::trainer
