#include "augment/trainer/clip.hpp"

#include <cmath>

#include "option_checks.hpp"

namespace augment::trainer {

template <class T>
double clip_grad_norm(const std::vector<Parameter<T>*>& parameters, double max_norm) {
  checks::check_positive("clip_grad_norm", "max_norm", max_norm);
  double sum = 0;
  for (const Parameter<T>* p : parameters) {
    if (!p->frozen) sum += p->grad.template cast<double>().squaredNorm();
  }
  const double norm = std::sqrt(sum);
  const double coefficient = max_norm / (norm + 1e-6);
  if (!(coefficient >= 1)) {  // NaN scales too, as torch's clamp(max=1) passes NaN through
    const T scale = static_cast<T>(coefficient);
    for (Parameter<T>* p : parameters) {
      if (!p->frozen) p->grad.array() *= scale;
    }
  }
  return norm;
}

template <class T>
void clip_grad_value(const std::vector<Parameter<T>*>& parameters, double clip_value) {
  checks::check_positive("clip_grad_value", "clip_value", clip_value);
  const T c = static_cast<T>(clip_value);
  for (Parameter<T>* p : parameters) {
    if (!p->frozen) p->grad.array() = p->grad.array().max(-c).min(c);
  }
}

template double clip_grad_norm(const std::vector<Parameter<float>*>&, double);
template double clip_grad_norm(const std::vector<Parameter<double>*>&, double);
template void clip_grad_value(const std::vector<Parameter<float>*>&, double);
template void clip_grad_value(const std::vector<Parameter<double>*>&, double);

}  // namespace augment::trainer
