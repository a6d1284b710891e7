#include "augment/core/kind.hpp"

#include <array>

namespace augment {
namespace {
constexpr std::array kKinds{Kind::features, Kind::image,  Kind::audio, Kind::spectrogram,
                            Kind::text,     Kind::tokens, Kind::video, Kind::tensor};
constexpr std::array<std::string_view, kKinds.size()> kNames{
    "features", "image", "audio", "spectrogram", "text", "tokens", "video", "tensor"};
}  // namespace

std::string_view to_string(Kind kind) { return kNames[static_cast<std::size_t>(kind)]; }

std::optional<Kind> parse_kind(std::string_view name) {
  for (std::size_t i = 0; i < kKinds.size(); ++i)
    if (kNames[i] == name) return kKinds[i];
  return std::nullopt;
}

std::span<const Kind> all_kinds() { return kKinds; }

}  // namespace augment
