#include "augment/trainer/weight_noise.hpp"

#include "augment/core/error.hpp"
#include "augment/core/rng.hpp"

namespace augment::trainer {

template <class T>
void WeightNoise<T>::add(const std::vector<Parameter<T>*>& parameters, std::uint64_t step) {
  if (!noisy_.empty()) throw UsageError("weight noise: add() twice without remove()");
  if (!active()) return;
  const Rng step_rng = Rng::derive(seed_, "augment.trainer.weight_noise", step, 0);
  clean_.resize(parameters.size());
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    Parameter<T>* p = parameters[i];
    if (p->frozen || p->is_bias) continue;
    clean_[noisy_.size()] = p->value;
    noisy_.push_back(p);
    Rng rng = step_rng.fork(i);
    for (Eigen::Index k = 0; k < p->value.size(); ++k)
      p->value.data()[k] = static_cast<T>(p->value.data()[k] + rng.normal(0, sigma_));
  }
}

template <class T>
void WeightNoise<T>::remove(const std::vector<Parameter<T>*>&) {
  for (std::size_t i = 0; i < noisy_.size(); ++i) noisy_[i]->value = clean_[i];
  noisy_.clear();
}

template class WeightNoise<float>;
template class WeightNoise<double>;

}  // namespace augment::trainer
