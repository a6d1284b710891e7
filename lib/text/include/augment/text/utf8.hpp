#pragma once
// UTF-8 validation and repair, by ICU's U8_NEXT: well-formed means what the Unicode standard
// (table 3-7) says — no overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF,
// no stray continuation bytes, no truncated sequences. NUL bytes are valid (U+0000).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace augment::text {

/// Byte offset of the first byte of the first ill-formed sequence, or nullopt when `bytes` is
/// valid UTF-8. A truncated sequence is reported at its lead byte.
std::optional<std::size_t> first_invalid_utf8(std::string_view bytes);

/// Whether `bytes` is valid UTF-8.
inline bool is_valid_utf8(std::string_view bytes) { return !first_invalid_utf8(bytes).has_value(); }

/// `bytes` with each maximal ill-formed subpart replaced by U+FFFD (EF BF BD), the Unicode
/// "best practice" ICU and the WHATWG decoder follow: "a\xE2\x82z" becomes "a\uFFFDz" (one
/// U+FFFD for the truncated sequence), "\xC0\xAF" two (C0 can never start a sequence).
/// Valid input comes back unchanged.
std::string repair_utf8(std::string_view bytes);

/// Throws UsageError "WHAT: invalid UTF-8 at byte N" when `text` is not valid UTF-8; for ops
/// handed a sample that did not come through the codec.
void require_utf8(std::string_view text, std::string_view what);

}  // namespace augment::text
