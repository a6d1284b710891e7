#include "augment/trainer/nesterov.hpp"

#include "option_checks.hpp"
#include "weight_decay.hpp"

namespace augment::trainer {

namespace {

const char* buffer_name(MomentumConvention c) {
  return c == MomentumConvention::course ? "velocity" : "momentum_buffer";
}

}  // namespace

template <class T>
Nesterov<T>::Nesterov(const NesterovOptions& options)
    : options_(options), state_("nesterov", {buffer_name(options.convention)}) {
  const std::string label = "optimizer (nesterov)";
  checks::check_positive(label, "lr", options.lr);
  checks::check_in(label, "momentum", options.momentum, 0, 1, true);
  checks::check_non_negative(label, "weight_decay", options.weight_decay);
}

template <class T>
void Nesterov<T>::step(const std::vector<Parameter<T>*>& parameters, double lr) {
  const T alpha = static_cast<T>(lr), mu = static_cast<T>(options_.momentum),
          wd = static_cast<T>(options_.weight_decay);
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
        theta += mu * buffer - alpha * g;
      } else {
        if (first) {
          buffer = g;
        } else {
          buffer = mu * buffer + g;
        }
        theta -= alpha * (g + mu * buffer);
      }
    };
    detail::with_weight_decay(p, wd, update);
    ++s.step;
  }
}

template <class T>
nlohmann::json Nesterov<T>::config() const {
  return {{"type", "nesterov"},
          {"lr", options_.lr},
          {"momentum", options_.momentum},
          {"weight_decay", options_.weight_decay},
          {"convention", to_string(options_.convention)}};
}

template class Nesterov<float>;
template class Nesterov<double>;

}  // namespace augment::trainer
