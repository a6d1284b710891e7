#pragma once
// Noise on targets, one of the course's regularizers ("adición de ruido a ... salidas"), applied
// to each training sample as its batch is made (validation and test targets are left as read):
//   label_smoothing ε, on class targets: y' = (1 − ε)·y + ε/K over the K labels of the column
//     (Szegedy et al. 2016; what Keras's and PyTorch's label_smoothing do for softmax);
//   sigma σ, on value targets: y' = y + N(0, σ²), drawn again for every epoch from the sample's
//     stream (Rng::derive(seed, key, epoch − 1, 0).fork(kTargetNoiseStream)), so it does not
//     shift what the input pipeline draws and does not depend on batch order or timing.
#include <cstdint>

#include <nlohmann/json.hpp>

#include "augment/core/rng.hpp"
#include "augment/trainer/dataset.hpp"

namespace augment::trainer {

/// The fork of a sample's stream that target noise draws from (pipeline stages use 0, 1, 2, ...).
inline constexpr std::uint64_t kTargetNoiseStream = 0x7461726765746e7aULL;  // "targetnz"

struct TargetNoise {
  double label_smoothing = 0;  // in [0, 1)
  double sigma = 0;            // >= 0

  bool active() const { return label_smoothing > 0 || sigma > 0; }
  /// From {"label_smoothing": ε, "sigma": σ}; SpecError "regularizers.target_noise.FIELD: ...".
  static TargetNoise from_json(const nlohmann::json& config);
  nlohmann::json to_json() const;
};

/// Applies the noise to one row of the target matrix (laid out as `columns` say).
/// `rng` is used only when some value column has sigma > 0.
template <class Row>
void apply_target_noise(const TargetNoise& noise, const std::vector<TargetColumn>& columns, Row&& row, Rng& rng) {
  for (const auto& c : columns) {
    const auto at = static_cast<Eigen::Index>(c.offset);
    if (c.type == TargetType::class_label && noise.label_smoothing > 0) {
      const double k = static_cast<double>(c.labels.size());
      for (Eigen::Index j = at; j < at + static_cast<Eigen::Index>(c.width()); ++j)
        row(j) = static_cast<std::decay_t<decltype(row(j))>>((1 - noise.label_smoothing) * row(j) +
                                                               noise.label_smoothing / k);
    } else if (c.type == TargetType::value && noise.sigma > 0) {
      row(at) = static_cast<std::decay_t<decltype(row(at))>>(row(at) + rng.normal(0, noise.sigma));
    }
  }
}

}  // namespace augment::trainer
