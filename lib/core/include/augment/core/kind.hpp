#pragma once
// The kinds of sample a pipeline stage takes and gives. A pipeline is type-checked on these
// when it is built, so a stage that cannot take what the previous one gives is rejected early.
#include <optional>
#include <span>
#include <string_view>

namespace augment {

/// tensor: float values with a shape (C×H×W images, C×F×T spectrograms, T×C×H×W clips), what
/// a network takes; see tensor.hpp.
enum class Kind { features, image, audio, spectrogram, text, tokens, video, tensor };

std::string_view to_string(Kind kind);
std::optional<Kind> parse_kind(std::string_view name);
std::span<const Kind> all_kinds();

}  // namespace augment
