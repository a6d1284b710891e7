#pragma once
// A network: a shared trunk of layers and one or more heads, each a stack of layers with its
// own loss, target columns and weight (multi-task learning; a plain sequential model is a trunk
// and one head). The total loss is Σ weight_h · loss_h + the parameters' penalties.
//
// Architecture JSON:
//   {"inputs": 16, "input_shape": [16],
//    "trunk": [{"type": "dense", "units": 64, "init": "he_normal"}, {"type": "relu"}, ...],
//    "heads": [{"name": "letter", "layers": [{"type": "dense", "units": 26}],
//               "loss": "softmax_cross_entropy", "weight": 1, "targets": [0, 26]}]}
// "input_shape" is a sample's shape (shape.hpp: [C, H, W] for images, [C, L] for sequences,
// 1 to 8 dims; default [inputs]); "inputs" defaults to its size and must equal it when both are given. Each
// layer's input shape is the previous layer's output shape, checked when the network is built
// ("trunk.3 (conv2d): expects 3 input channels, got 1 from trunk.2 (max_pool2d) output
// [1, 10, 10]"); heads start from the trunk's output shape. "trunk" may be empty or absent; "heads" is a non-empty list. A head's "name" defaults to its
// index, "loss" to softmax_cross_entropy, "weight" to 1, "targets" ([first column, count] of
// the target matrix; count = the head's output size) to the columns after the previous head's.
// Parameter and buffer names: "trunk.<i>.<name>" and "heads.<head>.<i>.<name>", i the layer's
// index in its stack (e.g. "trunk.0.weight", "heads.letter.0.bias", "trunk.1.running_mean").
// Initial values are drawn from Rng(seed) forked by that prefix: a layer's weights depend on
// the seed and its place only.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/trainer/layer.hpp"
#include "augment/trainer/loss.hpp"

namespace augment::trainer {

template <class T>
struct Head {
  std::string name;
  std::vector<std::unique_ptr<Layer<T>>> layers;
  LossKind loss = LossKind::softmax_cross_entropy;
  double weight = 1;
  std::size_t target_offset = 0, target_size = 0;  // the head's columns of the target matrix
};

template <class T>
class Network {
 public:
  /// From an architecture (above); parameters drawn from `seed`. SpecError for a bad one,
  /// naming the field ("trunk.2.units: must be an integer >= 1, got 0").
  static Network from_json(const nlohmann::json& architecture, std::uint64_t seed);
  /// The architecture (layer configs, no values): from_json(architecture(), s) rebuilds it.
  nlohmann::json architecture() const;

  std::size_t inputs() const { return inputs_; }
  /// A sample's shape; [inputs()] unless the architecture gave "input_shape".
  const Shape& input_shape() const { return input_shape_; }
  /// Target columns the heads read: max over heads of offset + size.
  std::size_t target_columns() const;
  std::vector<Head<T>>& heads() { return heads_; }
  std::vector<std::unique_ptr<Layer<T>>>& trunk() { return trunk_; }

  /// Every head's output for a batch (logits for cross-entropy heads). `input` must stay alive
  /// until backward(). UsageError if its column count is not inputs().
  const std::vector<const Matrix<T>*>& forward(const Matrix<T>& input, Phase phase, Rng& rng);
  /// Backward from the heads' output gradients (already weighted), into parameter grads. Stops
  /// below the first layer with a trainable (not frozen) parameter: frozen stacks cost nothing.
  void backward(const std::vector<const Matrix<T>*>& head_grads);
  /// Forward (Phase::train) + every head's loss + backward; returns Σ weight·loss (no
  /// penalties). Gradients are added to grad: the caller zeroes them between steps.
  T train_batch(const Matrix<T>& input, const Matrix<T>& target, Rng& rng);
  /// Every head's loss on a batch in Phase::infer, without gradients; returns Σ weight·loss and
  /// writes each head's (unweighted) loss into `per_head` when given.
  T evaluate_batch(const Matrix<T>& input, const Matrix<T>& target, Rng& rng, std::vector<T>* per_head = nullptr);

  std::vector<Parameter<T>*> parameters();
  std::vector<std::pair<std::string, Matrix<T>*>> buffers();

  /// Batch norm's "exact" population statistics (batch_norm.hpp): true if some layer wants a
  /// pass; begin, forward the training set in Phase::infer, finish.
  bool needs_population_pass();
  void begin_population_pass();
  void finish_population_pass();

 private:
  std::size_t inputs_ = 0;
  Shape input_shape_;
  std::vector<std::unique_ptr<Layer<T>>> trunk_;
  std::vector<Head<T>> heads_;
  // Reused from batch to batch.
  const Matrix<T>* trunk_output_ = nullptr;
  std::vector<const Matrix<T>*> outputs_, grad_pointers_;
  std::vector<Matrix<T>> head_grads_;
  Matrix<T> trunk_grad_;
};

}  // namespace augment::trainer
