#include "augment/trainer/penalties.hpp"

#include <cmath>

namespace augment::trainer {

template <class T>
double penalty_loss(const std::vector<Parameter<T>*>& parameters) {
  double total = 0;
  for (const auto* p : parameters) {
    if (p->is_bias) continue;
    const auto v = p->value.array().template cast<double>();
    if (p->penalties.l1 != 0) total += p->penalties.l1 * v.abs().sum();
    if (p->penalties.l2 != 0) total += 0.5 * p->penalties.l2 * v.square().sum();
  }
  return total;
}

template <class T>
void add_penalty_gradients(const std::vector<Parameter<T>*>& parameters) {
  for (auto* p : parameters) {
    if (p->is_bias || p->frozen) continue;
    const auto l1 = static_cast<T>(p->penalties.l1), l2 = static_cast<T>(p->penalties.l2);
    if (l1 != 0) p->grad.array() += l1 * p->value.array().sign();
    if (l2 != 0) p->grad.array() += l2 * p->value.array();
  }
}

template <class T>
void apply_max_norm(const std::vector<Parameter<T>*>& parameters) {
  for (auto* p : parameters) {
    if (p->is_bias || p->frozen || !(p->penalties.max_norm > 0)) continue;
    // Column norms summed row by row: the weight is row-major, so rows are the contiguous runs.
    Eigen::Array<double, 1, Eigen::Dynamic> norms = Eigen::Array<double, 1, Eigen::Dynamic>::Zero(p->value.cols());
    for (Eigen::Index r = 0; r < p->value.rows(); ++r)
      norms += p->value.row(r).array().template cast<double>().square();
    const double c = p->penalties.max_norm;
    bool any = false;
    Eigen::Array<T, 1, Eigen::Dynamic> scale(p->value.cols());
    for (Eigen::Index j = 0; j < scale.size(); ++j) {
      const double norm = std::sqrt(norms[j]);
      any = any || norm > c;
      scale[j] = static_cast<T>(norm > c ? c / norm : 1.0);
    }
    if (any) p->value.array().rowwise() *= scale;
  }
}

template double penalty_loss<float>(const std::vector<Parameter<float>*>&);
template double penalty_loss<double>(const std::vector<Parameter<double>*>&);
template void add_penalty_gradients<float>(const std::vector<Parameter<float>*>&);
template void add_penalty_gradients<double>(const std::vector<Parameter<double>*>&);
template void apply_max_norm<float>(const std::vector<Parameter<float>*>&);
template void apply_max_norm<double>(const std::vector<Parameter<double>*>&);

}  // namespace augment::trainer
