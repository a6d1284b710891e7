#pragma once
#include "augment/core/registry.hpp"

namespace augment::audio {

/// Adds every audio and spectrogram op and the audio and spectrogram file codecs to `registry`.
void register_transforms(Registry& registry);

}  // namespace augment::audio
