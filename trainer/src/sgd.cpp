#include "augment/trainer/sgd.hpp"

#include "option_checks.hpp"

namespace augment::trainer {

template <class T>
Sgd<T>::Sgd(const SgdOptions& options) : options_(options), state_("sgd", {}) {
  checks::check_positive("optimizer (sgd)", "lr", options.lr);
  checks::check_non_negative("optimizer (sgd)", "weight_decay", options.weight_decay);
}

template <class T>
void Sgd<T>::step(const std::vector<Parameter<T>*>& parameters, double lr) {
  const T alpha = static_cast<T>(lr), wd = static_cast<T>(options_.weight_decay);
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    Parameter<T>& p = *parameters[i];
    if (p.frozen) continue;
    ++state_.slot(i, p).step;
    auto theta = p.value.array();
    if (wd != 0) {
      theta -= alpha * (p.grad.array() + wd * theta);
    } else {
      theta -= alpha * p.grad.array();
    }
  }
}

template <class T>
nlohmann::json Sgd<T>::config() const {
  return {{"type", "sgd"}, {"lr", options_.lr}, {"weight_decay", options_.weight_decay}};
}

template class Sgd<float>;
template class Sgd<double>;

}  // namespace augment::trainer
