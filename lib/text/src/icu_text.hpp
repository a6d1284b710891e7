#pragma once
// Private: UTF-8 ↔ ICU UnicodeString, and an ICU status check that throws.
#include <string>
#include <string_view>

#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include "augment/core/error.hpp"
#include "augment/text/utf8.hpp"

namespace augment::text::detail {

/// `utf8` as UTF-16; invalid UTF-8 throws UsageError "WHAT: invalid UTF-8 at byte N" (ICU would
/// silently turn it into U+FFFD).
inline icu::UnicodeString to_unicode(std::string_view utf8, std::string_view what) {
  require_utf8(utf8, what);
  return icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size())));
}

inline std::string to_utf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

inline void check_icu(UErrorCode status, std::string_view what) {
  if (U_FAILURE(status)) throw Error(std::string(what) + ": ICU error " + u_errorName(status));
}

}  // namespace augment::text::detail
