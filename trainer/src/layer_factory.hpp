#pragma once
// make_layer with the path its messages name ("trunk.2"), for the network's builder.
#include <string>

#include "augment/trainer/layer.hpp"

namespace augment::trainer::detail {

template <class T>
std::unique_ptr<Layer<T>> make_layer_at(const nlohmann::json& config, std::size_t input_size, Rng& init,
                                        const std::string& path);

}  // namespace augment::trainer::detail
