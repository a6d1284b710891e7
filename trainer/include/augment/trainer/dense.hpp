#pragma once
// Fully connected layer: y = x·W + b, W inputs × units, b 1 × units (a unit's incoming weights
// are a column of W). Config: {"type": "dense", "units": N, "init": "glorot_uniform" (see
// initializers.hpp), "variance": 0.01 (with "normal"), "l1": 0, "l2": 0, "max_norm": 0}; the
// penalties apply to W only. The products run through OpenBLAS (gemm.hpp).
#include <cstddef>

#include "augment/trainer/initializers.hpp"
#include "augment/trainer/layer.hpp"

namespace augment::trainer {

struct DenseOptions {
  std::size_t units = 0;
  Initializer init;
  Penalties penalties;
};

template <class T>
class Dense final : public Layer<T> {
 public:
  Dense(std::size_t inputs, const DenseOptions& options, Rng& init);

  std::string type() const override { return "dense"; }
  Shape output_shape(const Shape&) const override { return {options_.units}; }
  const Matrix<T>& forward(const Matrix<T>& input, Phase phase, Rng& rng) override;
  const Matrix<T>& backward(const Matrix<T>& output_grad) override;
  std::vector<Parameter<T>*> parameters() override { return {&weight_, &bias_}; }
  bool has_trainable_parameters() const override { return !weight_.frozen || !bias_.frozen; }
  nlohmann::json config() const override;

  Parameter<T>& weight() { return weight_; }
  Parameter<T>& bias() { return bias_; }

 private:
  DenseOptions options_;
  Parameter<T> weight_, bias_;
  const Matrix<T>* input_ = nullptr;
  Matrix<T> output_, input_grad_;
};

}  // namespace augment::trainer
