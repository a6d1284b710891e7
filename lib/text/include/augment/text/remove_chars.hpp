#pragma once
// remove_chars: deletes characters by Unicode general category and/or an explicit set, then
// optionally tidies whitespace. It works on extended grapheme clusters (graphemes.hpp), judged by
// their first code point, so a removal never leaves a stray combining mark or half an emoji:
// a keycap "1️⃣" is a digit, a ZWJ family or a flag is a symbol, "¿" is punctuation.
//   punctuation  general category P* (.,;:!?¿¡ quotes dashes brackets…)
//   digits       Nd, decimal digits in any script (0-9, ٣, ४…); not ² or Ⅻ (No, Nl)
//   symbols      S* (math, currency, modifier and other symbols: + € ^ © and emoji)
//   chars        clusters removed wherever they stand whole: "#@" removes # and @; "e" removes
//                "e" but not "é" (in NFC or NFD — normalize first to control what matches)
// Each removed cluster is replaced by `replacement` (default nothing; " " keeps "a,b" two words).
// Then whitespace (White_Space: spaces, tabs, NBSP, line breaks):
//   keep      (default) untouched
//   collapse  each run of whitespace becomes one ASCII space, none at the ends (line breaks too)
//   remove    all whitespace goes
#include <string>
#include <string_view>

#include "augment/core/registry.hpp"

namespace augment::text {

enum class WhitespaceMode { keep, collapse, remove };

struct RemoveCharsOptions {
  bool punctuation = false;
  bool digits = false;
  bool symbols = false;
  std::string chars;  // UTF-8; its grapheme clusters
  std::string replacement;
  WhitespaceMode whitespace = WhitespaceMode::keep;
};

/// `utf8` with the selected clusters removed as above. Throws UsageError on invalid UTF-8.
std::string remove_chars(std::string_view utf8, const RemoveCharsOptions& options);

/// Text → text, deterministic. Params: punctuation, digits, symbols (false), chars (""),
/// replacement (""), whitespace (keep); at least one must remove something.
OpInfo remove_chars_op();

}  // namespace augment::text
