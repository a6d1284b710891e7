#pragma once
// Test helper: the audio module's registry, its ops built from JSON settings, and audio made
// from literal channels.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "augment/audio/audio.hpp"
#include "augment/audio/register_transforms.hpp"
#include "augment/core/registry.hpp"

namespace audio_test {

inline const augment::Registry& registry() {
  static const augment::Registry r = augment::make_registry({augment::audio::register_transforms});
  return r;
}

/// The audio op `name` with `params` validated and defaults filled, as a pipeline stage gets it.
inline std::unique_ptr<augment::Transform> make_op(const std::string& name, const nlohmann::json& params) {
  const augment::OpInfo* info = registry().find(name, augment::Kind::audio);
  REQUIRE(info != nullptr);
  return info->create(*info, info->resolve(params));
}

inline augment::audio::Audio make_audio(std::vector<std::vector<float>> channels, int rate) {
  augment::audio::Audio a;
  a.sample_rate = rate;
  a.channels = std::move(channels);
  return a;
}

}  // namespace audio_test
