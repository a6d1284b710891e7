#include "augment/trainer/network.hpp"

#include <algorithm>

#include "augment/core/error.hpp"
#include "augment/trainer/batch_norm.hpp"
#include "augment/trainer/batch_norm2d.hpp"

namespace augment::trainer {
namespace {

template <class T>
const Matrix<T>* forward_stack(std::vector<std::unique_ptr<Layer<T>>>& layers, const Matrix<T>* x, Phase phase,
                               Rng& rng) {
  for (auto& l : layers) x = &l->forward(*x, phase, rng);
  return x;
}

/// Backward through `layers`, top to bottom, as far as a trainable parameter lies at or below
/// the layer (`trainable_below`: whether something under the stack is trained). Returns the
/// gradient of the stack's input, or null when nothing below needs it.
template <class T>
const Matrix<T>* backward_stack(std::vector<std::unique_ptr<Layer<T>>>& layers, const Matrix<T>* g,
                                bool trainable_below) {
  // The lowest layer that must run backward: the first trainable one (or all, if below is).
  std::size_t lowest = layers.size();
  if (trainable_below) lowest = 0;
  else
    for (std::size_t i = 0; i < layers.size(); ++i)
      if (layers[i]->has_trainable_parameters()) {
        lowest = i;
        break;
      }
  for (std::size_t i = layers.size(); i-- > lowest;) {
    layers[i]->set_input_grad_needed(trainable_below || i > lowest);
    g = &layers[i]->backward(*g);
  }
  return trainable_below ? g : nullptr;
}

template <class T>
bool any_trainable(const std::vector<std::unique_ptr<Layer<T>>>& layers) {
  return std::any_of(layers.begin(), layers.end(), [](const auto& l) { return l->has_trainable_parameters(); });
}

/// Every batch normalization, batch_norm2d's included (it holds a BatchNorm over channels).
template <class T>
void each_batch_norm(Network<T>& net, const auto& f) {
  const auto visit = [&](Layer<T>* l) {
    if (auto* bn = dynamic_cast<BatchNorm<T>*>(l)) f(*bn);
    else if (auto* bn2 = dynamic_cast<BatchNorm2d<T>*>(l)) f(bn2->norm());
  };
  for (auto& l : net.trunk()) visit(l.get());
  for (auto& h : net.heads())
    for (auto& l : h.layers) visit(l.get());
}

}  // namespace

template <class T>
std::size_t Network<T>::target_columns() const {
  std::size_t n = 0;
  for (const auto& h : heads_) n = std::max(n, h.target_offset + h.target_size);
  return n;
}

template <class T>
const std::vector<const Matrix<T>*>& Network<T>::forward(const Matrix<T>& input, Phase phase, Rng& rng) {
  if (input.cols() != static_cast<Eigen::Index>(inputs_))
    throw UsageError("network: expected " + std::to_string(inputs_) + " input columns, got " +
                     std::to_string(input.cols()));
  trunk_output_ = forward_stack(trunk_, &input, phase, rng);
  outputs_.resize(heads_.size());
  for (std::size_t h = 0; h < heads_.size(); ++h) outputs_[h] = forward_stack(heads_[h].layers, trunk_output_, phase, rng);
  return outputs_;
}

template <class T>
void Network<T>::backward(const std::vector<const Matrix<T>*>& head_grads) {
  if (head_grads.size() != heads_.size())
    throw UsageError("network: backward needs " + std::to_string(heads_.size()) + " head gradients, got " +
                     std::to_string(head_grads.size()));
  const bool trunk_trainable = any_trainable(trunk_);
  const Matrix<T>* trunk_grad = nullptr;
  for (std::size_t h = 0; h < heads_.size(); ++h) {
    const Matrix<T>* g = backward_stack(heads_[h].layers, head_grads[h], trunk_trainable);
    if (!g) continue;
    if (!trunk_grad) {
      trunk_grad = g;  // one head: no copy
    } else {
      if (trunk_grad != &trunk_grad_) trunk_grad_ = *trunk_grad;
      trunk_grad_ += *g;
      trunk_grad = &trunk_grad_;
    }
  }
  if (trunk_grad) backward_stack(trunk_, trunk_grad, false);
}

template <class T>
T Network<T>::train_batch(const Matrix<T>& input, const Matrix<T>& target, Rng& rng) {
  if (target.rows() != input.rows() || target.cols() < static_cast<Eigen::Index>(target_columns()))
    throw UsageError("network: target is " + std::to_string(target.rows()) + "×" + std::to_string(target.cols()) +
                     ", expected " + std::to_string(input.rows()) + " rows and at least " +
                     std::to_string(target_columns()) + " columns");
  const auto& outputs = forward(input, Phase::train, rng);
  head_grads_.resize(heads_.size());
  grad_pointers_.resize(heads_.size());
  double total = 0;
  for (std::size_t h = 0; h < heads_.size(); ++h) {
    const auto& head = heads_[h];
    const auto cols = target.middleCols(static_cast<Eigen::Index>(head.target_offset),
                                        static_cast<Eigen::Index>(head.target_size));
    total += head.weight * static_cast<double>(loss<T>(head.loss, *outputs[h], cols, &head_grads_[h]));
    if (head.weight != 1) head_grads_[h] *= static_cast<T>(head.weight);
    grad_pointers_[h] = &head_grads_[h];
  }
  backward(grad_pointers_);
  return static_cast<T>(total);
}

template <class T>
T Network<T>::evaluate_batch(const Matrix<T>& input, const Matrix<T>& target, Rng& rng, std::vector<T>* per_head) {
  if (target.rows() != input.rows() || target.cols() < static_cast<Eigen::Index>(target_columns()))
    throw UsageError("network: target is " + std::to_string(target.rows()) + "×" + std::to_string(target.cols()) +
                     ", expected " + std::to_string(input.rows()) + " rows and at least " +
                     std::to_string(target_columns()) + " columns");
  const auto& outputs = forward(input, Phase::infer, rng);
  if (per_head) per_head->resize(heads_.size());
  double total = 0;
  for (std::size_t h = 0; h < heads_.size(); ++h) {
    const auto& head = heads_[h];
    const auto cols = target.middleCols(static_cast<Eigen::Index>(head.target_offset),
                                        static_cast<Eigen::Index>(head.target_size));
    const T l = loss<T>(head.loss, *outputs[h], cols, nullptr);
    if (per_head) (*per_head)[h] = l;
    total += head.weight * static_cast<double>(l);
  }
  return static_cast<T>(total);
}

template <class T>
std::vector<Parameter<T>*> Network<T>::parameters() {
  std::vector<Parameter<T>*> all;
  for (auto& l : trunk_)
    for (auto* p : l->parameters()) all.push_back(p);
  for (auto& h : heads_)
    for (auto& l : h.layers)
      for (auto* p : l->parameters()) all.push_back(p);
  return all;
}

template <class T>
std::vector<std::pair<std::string, Matrix<T>*>> Network<T>::buffers() {
  std::vector<std::pair<std::string, Matrix<T>*>> all;
  const auto add = [&](const std::string& prefix, std::vector<std::unique_ptr<Layer<T>>>& layers) {
    for (std::size_t i = 0; i < layers.size(); ++i)
      for (auto& [name, m] : layers[i]->buffers()) all.emplace_back(prefix + std::to_string(i) + "." + name, m);
  };
  add("trunk.", trunk_);
  for (auto& h : heads_) add("heads." + h.name + ".", h.layers);
  return all;
}

template <class T>
bool Network<T>::needs_population_pass() {
  bool any = false;
  each_batch_norm(*this, [&](BatchNorm<T>& bn) { any = any || bn.options().population == PopulationStatistics::exact; });
  return any;
}

template <class T>
void Network<T>::begin_population_pass() {
  each_batch_norm(*this, [](BatchNorm<T>& bn) {
    if (bn.options().population == PopulationStatistics::exact) bn.begin_population_pass();
  });
}

template <class T>
void Network<T>::finish_population_pass() {
  each_batch_norm(*this, [](BatchNorm<T>& bn) {
    if (bn.in_population_pass()) bn.finish_population_pass();
  });
}

template class Network<float>;
template class Network<double>;

}  // namespace augment::trainer
