#pragma once
// to_tensor on spectrograms: float32 C×F×T (channels, bins, frames), the layout the values
// already have; a 1-D convolution over frames takes F×T of a mono spectrogram as C×L.
// Complex STFTs are refused: take a magnitude or power spectrogram first.
#include "augment/core/registry.hpp"

namespace augment::audio {

OpInfo spectrogram_to_tensor_op();

}  // namespace augment::audio
