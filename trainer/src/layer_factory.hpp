#pragma once
// make_layer with the path its messages name ("trunk.2") and what feeds it ("trunk.1 (relu)
// output [16, 8, 8]"), for the network's builder.
#include <string>

#include "augment/trainer/layer.hpp"

namespace augment::trainer::detail {

class Fields;

template <class T>
std::unique_ptr<Layer<T>> make_layer_at(const nlohmann::json& config, const Shape& input, Rng& init,
                                        const std::string& path, const std::string& source);

/// The layers of feature maps and sequences (conv2d, conv1d, pools, flatten, batch_norm2d,
/// dropout2d; make_tensor_layer.cpp); null for another type.
template <class T>
std::unique_ptr<Layer<T>> build_tensor_layer(Fields& c, const std::string& type, const Shape& input, Rng& init);

}  // namespace augment::trainer::detail
