#pragma once
// Losses over a batch with their gradient with respect to the network's output (logits for the
// two cross-entropies, fused with the sigmoid / softmax for numerical stability). Targets have
// the output's shape: one-hot or soft labels (label smoothing) for softmax, probabilities in
// [0, 1] for binary, values for MSE. Reductions are PyTorch's defaults (reduction='mean'):
//   mse                    mean over every element of (y − t)²            (MSELoss)
//   binary_cross_entropy   mean over every element of
//                          max(x, 0) − x·t + log(1 + e^−|x|)              (BCEWithLogitsLoss)
//   softmax_cross_entropy  mean over rows of −Σⱼ tⱼ·log softmax(x)ⱼ
//                          = logsumexp(x)·Σⱼtⱼ − Σⱼ tⱼ·xⱼ                  (CrossEntropyLoss)
// Gradients: 2(y − t)/N;  (σ(x) − t)/N;  (softmax(x)·Σⱼtⱼ − t)/rows.
#include <string>
#include <type_traits>

#include "augment/trainer/parameter.hpp"

namespace augment::trainer {

enum class LossKind { mse, binary_cross_entropy, softmax_cross_entropy };

/// "mse" | "binary_cross_entropy" | "softmax_cross_entropy"; SpecError otherwise.
LossKind parse_loss(const std::string& name);
std::string to_string(LossKind kind);

/// The mean loss of the batch; writes dL/d(output) into `grad` (resized) when not null.
/// `target` may be a block of columns of a wider matrix (a head's columns) without a copy.
template <class T>
T loss(LossKind kind, const Matrix<T>& output, const std::type_identity_t<Eigen::Ref<const Matrix<T>>>& target,
       Matrix<T>* grad);

}  // namespace augment::trainer
