#pragma once
// A features sample holds one row of numbers: the feature columns of a table row.
#include <vector>

#include "augment/core/sample.hpp"

namespace augment::features {

using FeatureVector = std::vector<double>;

inline Sample make_sample(FeatureVector values) { return Sample(Kind::features, std::move(values)); }
inline FeatureVector& values_of(Sample& sample) { return sample.as<FeatureVector>(); }
inline const FeatureVector& values_of(const Sample& sample) { return sample.as<FeatureVector>(); }

}  // namespace augment::features
