#pragma once
// Extended grapheme clusters (UAX #29, by ICU's character BreakIterator): what a reader sees as
// one character. "á" precomposed (U+00E1) and "a" + U+0301 are each one cluster, as are an emoji
// ZWJ sequence (👨‍👩‍👧), a flag (two regional indicators, 🇪🇸), an emoji with a skin-tone
// modifier, and CR LF. Character-level edits work on clusters so they never split one.
#include <string_view>
#include <vector>

namespace augment::text {

/// The clusters of `utf8`, in order, as views into it: they cover it with no gap or overlap, so
/// their concatenation is `utf8` byte for byte. Empty input gives no clusters. Throws
/// UsageError "graphemes: invalid UTF-8 at byte N" on invalid input. Thread-safe.
std::vector<std::string_view> grapheme_clusters(std::string_view utf8);

/// The number of clusters in `utf8` (what grapheme_clusters(utf8).size() gives, without the vector).
std::size_t grapheme_count(std::string_view utf8);

}  // namespace augment::text
