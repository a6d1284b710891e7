#pragma once
// A layer: forward on a batch (rows = samples), backward from the gradient of the loss with
// respect to its output. Outputs and input gradients live in buffers the layer owns (reused
// from batch to batch: no allocation in the steady state), valid until its next call.
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/rng.hpp"
#include "augment/trainer/parameter.hpp"
#include "augment/trainer/shape.hpp"

namespace augment::trainer {

/// train: batch statistics, dropout masks drawn. infer: population statistics, no masks.
/// sample: inference with dropout masks drawn as in training (MC dropout: average several
/// sampled passes for a prediction and its spread); batch norm still uses population statistics.
enum class Phase { train, infer, sample };

template <class T>
class Layer {
 public:
  virtual ~Layer() = default;
  /// "dense", "relu", ..., "conv2d", "max_pool2d", ... (make_layer's types).
  virtual std::string type() const = 0;
  /// The shape of a sample's output for the shape the layer was built for (shape.hpp). The
  /// default suits layers that act per element.
  virtual Shape output_shape(const Shape& input) const { return input; }
  /// Keeps what backward() needs, which may include a pointer to `input`: keep it alive and
  /// unchanged until backward(). `rng` feeds dropout masks (train and sample phases).
  virtual const Matrix<T>& forward(const Matrix<T>& input, Phase phase, Rng& rng) = 0;
  /// dL/d(input) from dL/d(output) of the last forward(); adds parameter gradients to grad
  /// (skipping frozen parameters). Empty when input_grad_needed() is false and the layer saves
  /// work by not computing it.
  virtual const Matrix<T>& backward(const Matrix<T>& output_grad) = 0;
  virtual std::vector<Parameter<T>*> parameters() { return {}; }
  /// Whether some parameter is not frozen (the network skips backward below the first such layer).
  virtual bool has_trainable_parameters() const { return false; }
  /// State that is not trained but saved (batch norm's population mean and variance).
  virtual std::vector<std::pair<std::string, Matrix<T>*>> buffers() { return {}; }
  /// The layer's settings, enough for make_layer() to build it again (without its values).
  virtual nlohmann::json config() const = 0;

  /// False when nothing before this layer is trained (a network's first layer): dL/d(input) is
  /// then not needed. The network sets it before every backward pass.
  void set_input_grad_needed(bool needed) { input_grad_needed_ = needed; }
  bool input_grad_needed() const { return input_grad_needed_; }

 protected:
  bool input_grad_needed_ = true;
};

/// Builds a layer from its config ({"type": "dense", "units": 64, "init": "he_normal", ...}),
/// initialising parameters from `init`. SpecError naming the field for a bad config
/// ("dense.units: must be an integer >= 1, got 0"), or naming the shapes when the layer cannot
/// take `input` ("layer (conv2d): expects 3 input channels, got 1 from the input [1, 20, 20]").
/// The keys of each type are in its header.
template <class T>
std::unique_ptr<Layer<T>> make_layer(const nlohmann::json& config, const Shape& input, Rng& init);
/// A flat input of `input_size` features: make_layer(config, Shape{input_size}, init).
template <class T>
std::unique_ptr<Layer<T>> make_layer(const nlohmann::json& config, std::size_t input_size, Rng& init);

}  // namespace augment::trainer
