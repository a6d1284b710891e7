#include "augment/trainer/evaluate.hpp"

#include <algorithm>
#include <cmath>

#include "augment/core/error.hpp"
#include "augment/trainer/dataset.hpp"

namespace augment::trainer {
namespace {

template <class T>
Matrix<T> to_prediction(LossKind kind, const Matrix<T>& output) {
  if (kind == LossKind::mse) return output;
  if (kind == LossKind::binary_cross_entropy)
    return output.unaryExpr([](T x) { return static_cast<T>(1 / (1 + std::exp(-static_cast<double>(x)))); });
  Matrix<T> p(output.rows(), output.cols());
  for (Eigen::Index i = 0; i < output.rows(); ++i) {
    const T top = output.row(i).maxCoeff();
    double sum = 0;
    for (Eigen::Index j = 0; j < output.cols(); ++j) sum += std::exp(static_cast<double>(output(i, j) - top));
    for (Eigen::Index j = 0; j < output.cols(); ++j)
      p(i, j) = static_cast<T>(std::exp(static_cast<double>(output(i, j) - top)) / sum);
  }
  return p;
}

// Correct rows (softmax) or row-equivalents (binary: matching elements / columns) of a head,
// from outputs where "positive" means > threshold (0 for logits, 0.5 for probabilities).
template <class T>
double correct_of(LossKind kind, const Matrix<T>& out, const Eigen::Ref<const Matrix<T>>& target, T threshold) {
  double correct = 0;
  for (Eigen::Index i = 0; i < out.rows(); ++i) {
    if (kind == LossKind::softmax_cross_entropy) {
      correct += argmax(out.row(i)) == argmax(target.row(i)) ? 1 : 0;
    } else {
      double match = 0;
      for (Eigen::Index j = 0; j < out.cols(); ++j) match += (out(i, j) > threshold) == (target(i, j) > T(0.5)) ? 1 : 0;
      correct += match / static_cast<double>(out.cols());
    }
  }
  return correct;
}

template <class T>
Eigen::Ref<const Matrix<T>> head_columns(const Head<T>& head, const Matrix<T>& targets) {
  if (targets.cols() < static_cast<Eigen::Index>(head.target_offset + head.target_size))
    throw UsageError("head '" + head.name + "' reads target columns up to " +
                     std::to_string(head.target_offset + head.target_size) + ", the targets have " +
                     std::to_string(targets.cols()));
  return targets.middleCols(static_cast<Eigen::Index>(head.target_offset), static_cast<Eigen::Index>(head.target_size));
}

void put_scores(Metrics& m, const std::string& prefix, const std::vector<std::string>& names,
                const std::vector<double>& losses, const std::vector<double>& weights,
                const std::vector<std::optional<double>>& accuracies) {
  double total = 0;
  for (std::size_t h = 0; h < losses.size(); ++h) total += weights[h] * losses[h];
  m.set(prefix + "loss", total);
  if (names.size() == 1) {
    if (accuracies[0]) m.set(prefix + "accuracy", *accuracies[0]);
    return;
  }
  for (std::size_t h = 0; h < names.size(); ++h) {
    m.set(prefix + names[h] + "_loss", losses[h]);
    if (accuracies[h]) m.set(prefix + names[h] + "_accuracy", *accuracies[h]);
  }
}

}  // namespace

template <class T>
std::vector<Matrix<T>> predict(Network<T>& network, const Matrix<T>& inputs, std::size_t chunk) {
  auto& heads = network.heads();
  std::vector<Matrix<T>> out(heads.size());
  Rng unused(0);
  for (Eigen::Index begin = 0; begin < inputs.rows(); begin += static_cast<Eigen::Index>(chunk)) {
    const Eigen::Index n = std::min<Eigen::Index>(static_cast<Eigen::Index>(chunk), inputs.rows() - begin);
    const Matrix<T> part = inputs.middleRows(begin, n);
    const auto& outputs = network.forward(part, Phase::infer, unused);
    for (std::size_t h = 0; h < heads.size(); ++h) {
      if (begin == 0) out[h].resize(inputs.rows(), outputs[h]->cols());
      out[h].middleRows(begin, n) = to_prediction(heads[h].loss, *outputs[h]);
    }
  }
  return out;
}

template <class T>
Metrics evaluate(Network<T>& network, const Matrix<T>& inputs, const Matrix<T>& targets, const std::string& prefix,
                 std::size_t chunk) {
  auto& heads = network.heads();
  std::vector<double> loss_sum(heads.size(), 0), correct(heads.size(), 0);
  Rng unused(0);
  for (Eigen::Index begin = 0; begin < inputs.rows(); begin += static_cast<Eigen::Index>(chunk)) {
    const Eigen::Index n = std::min<Eigen::Index>(static_cast<Eigen::Index>(chunk), inputs.rows() - begin);
    const Matrix<T> part = inputs.middleRows(begin, n), part_targets = targets.middleRows(begin, n);
    const auto& outputs = network.forward(part, Phase::infer, unused);
    for (std::size_t h = 0; h < heads.size(); ++h) {
      const auto cols = head_columns(heads[h], part_targets);
      loss_sum[h] += static_cast<double>(n) * static_cast<double>(loss<T>(heads[h].loss, *outputs[h], cols, nullptr));
      if (has_accuracy(heads[h])) correct[h] += correct_of(heads[h].loss, *outputs[h], cols, T(0));
    }
  }
  const double rows = static_cast<double>(std::max<Eigen::Index>(1, inputs.rows()));
  std::vector<std::string> names;
  std::vector<double> losses, weights;
  std::vector<std::optional<double>> accuracies;
  for (std::size_t h = 0; h < heads.size(); ++h) {
    names.push_back(heads[h].name);
    losses.push_back(loss_sum[h] / rows);
    weights.push_back(heads[h].weight);
    accuracies.push_back(has_accuracy(heads[h]) ? std::optional<double>(correct[h] / rows) : std::nullopt);
  }
  Metrics m;
  put_scores(m, prefix, names, losses, weights, accuracies);
  return m;
}

template <class T>
Metrics score_predictions(Network<T>& network, const std::vector<Matrix<T>>& predictions, const Matrix<T>& targets,
                          const std::string& prefix) {
  auto& heads = network.heads();
  if (predictions.size() != heads.size()) throw UsageError("score_predictions: one prediction per head needed");
  std::vector<std::string> names;
  std::vector<double> losses, weights;
  std::vector<std::optional<double>> accuracies;
  const double rows = static_cast<double>(std::max<Eigen::Index>(1, targets.rows()));
  for (std::size_t h = 0; h < heads.size(); ++h) {
    const auto t = head_columns(heads[h], targets);
    const Matrix<T>& p = predictions[h];
    double l = 0;
    for (Eigen::Index i = 0; i < p.rows(); ++i)
      for (Eigen::Index j = 0; j < p.cols(); ++j) {
        const double pij = static_cast<double>(p(i, j)), tij = static_cast<double>(t(i, j));
        const double q = std::clamp(pij, 1e-12, 1.0), q1 = std::clamp(1 - pij, 1e-12, 1.0);
        if (heads[h].loss == LossKind::softmax_cross_entropy) l -= tij * std::log(q);
        else if (heads[h].loss == LossKind::binary_cross_entropy) l -= tij * std::log(q) + (1 - tij) * std::log(q1);
        else l += (pij - tij) * (pij - tij);
      }
    // Each loss's own mean: rows for softmax, every element for the others (PyTorch's means).
    const double denominator =
        heads[h].loss == LossKind::softmax_cross_entropy ? rows : rows * static_cast<double>(std::max<Eigen::Index>(1, p.cols()));
    names.push_back(heads[h].name);
    losses.push_back(l / denominator);
    weights.push_back(heads[h].weight);
    accuracies.push_back(has_accuracy(heads[h]) ? std::optional<double>(correct_of(heads[h].loss, p, t, T(0.5)) / rows)
                                                : std::nullopt);
  }
  Metrics m;
  put_scores(m, prefix, names, losses, weights, accuracies);
  return m;
}

template <class T>
void count_correct(Network<T>& network, const std::vector<const Matrix<T>*>& outputs, const Matrix<T>& targets,
                   std::vector<double>& correct) {
  auto& heads = network.heads();
  correct.resize(heads.size(), 0);
  for (std::size_t h = 0; h < heads.size(); ++h)
    if (has_accuracy(heads[h])) correct[h] += correct_of(heads[h].loss, *outputs[h], head_columns(heads[h], targets), T(0));
}

#define AUGMENT_INSTANTIATE(T)                                                                                \
  template std::vector<Matrix<T>> predict<T>(Network<T>&, const Matrix<T>&, std::size_t);                   \
  template Metrics evaluate<T>(Network<T>&, const Matrix<T>&, const Matrix<T>&, const std::string&, std::size_t); \
  template Metrics score_predictions<T>(Network<T>&, const std::vector<Matrix<T>>&, const Matrix<T>&,      \
                                        const std::string&);                                                 \
  template void count_correct<T>(Network<T>&, const std::vector<const Matrix<T>*>&, const Matrix<T>&,       \
                                 std::vector<double>&);
AUGMENT_INSTANTIATE(float)
AUGMENT_INSTANTIATE(double)
#undef AUGMENT_INSTANTIATE

}  // namespace augment::trainer
