#pragma once
// Predictions and scores. A head's prediction is what its loss models: class probabilities
// (softmax of the logits) for softmax_cross_entropy, probabilities (sigmoid) for
// binary_cross_entropy, the outputs themselves for mse.
//
// Scores of a split, with `prefix` ("", "val_", "test_") before each name:
//   loss            Σ over heads of weight · the head's mean loss (the training loss, without
//                   penalties)
//   accuracy        a softmax head: the share of rows whose largest output is the target's
//                   largest column; a binary head: the share with (p > 0.5) = (t > 0.5) over
//                   every column. With one head "loss" and "accuracy"; with several, also
//                   "<head>_loss" and "<head>_accuracy" for each.
// For an ensemble the same names are computed from the averaged predictions; its loss is then
// the cross-entropy (or MSE) of the averaged probabilities (probabilities clamped to ≥ 1e-12).
#include <cstddef>
#include <string>
#include <vector>

#include "augment/trainer/metrics_log.hpp"
#include "augment/trainer/network.hpp"

namespace augment::trainer {

/// Every head's predictions for `inputs` (Phase::infer), computed in chunks of `chunk` rows.
template <class T>
std::vector<Matrix<T>> predict(Network<T>& network, const Matrix<T>& inputs, std::size_t chunk = 1024);

/// Scores the network on a split (Phase::infer, one forward pass per chunk).
template <class T>
Metrics evaluate(Network<T>& network, const Matrix<T>& inputs, const Matrix<T>& targets, const std::string& prefix = "",
                 std::size_t chunk = 1024);

/// Scores predictions (from predict(), or averaged over an ensemble) against targets; the heads'
/// losses, weights, columns and names are `network`'s.
template <class T>
Metrics score_predictions(Network<T>& network, const std::vector<Matrix<T>>& predictions, const Matrix<T>& targets,
                          const std::string& prefix = "");

/// Adds one batch's accuracy counts for each head to `correct` (sized to the heads) from the
/// heads' raw outputs: what fit() reports as training accuracy.
template <class T>
void count_correct(Network<T>& network, const std::vector<const Matrix<T>*>& outputs, const Matrix<T>& targets,
                   std::vector<double>& correct);

/// Whether a head has an accuracy (softmax or binary cross-entropy).
template <class T>
bool has_accuracy(const Head<T>& head) {
  return head.loss != LossKind::mse;
}

}  // namespace augment::trainer
