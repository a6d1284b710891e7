#pragma once
// strip_accents: removes diacritics. The text is decomposed (NFD), its nonspacing marks
// (general category Mn: acute, grave, tilde, diaeresis, cedilla...) are dropped, and the rest is
// recomposed (NFC, so the output is NFC whatever the input was): "canción" → "cancion",
// "façade" → "facade", "Ångström" → "Angstrom".
//
// keep_spanish (default true) keeps the two marks that make separate letters or sounds in
// Spanish: the tilde of ñ/Ñ (año and ano are different words) and the diaeresis of ü/Ü
// (pingüino); other marks on those letters still go. Off, everything goes: "año" → "ano".
//
// Kept on purpose, though Mn: variation selectors (U+FE0E/U+FE0F pick text or emoji
// presentation: stripping would turn ❤️ into ❤). Letters whose stroke is no decomposable mark
// (ø, ł, đ) are not changed. Beware: in scripts where Mn marks are vowels or viramas
// (Devanagari, Hebrew points, Arabic harakat) stripping changes the words themselves.
#include <string>
#include <string_view>

#include "augment/core/registry.hpp"

namespace augment::text {

/// `utf8` without its accents, as NFC. Throws UsageError on invalid UTF-8.
std::string strip_accents(std::string_view utf8, bool keep_spanish = true);

/// Text → text, deterministic. Params: keep_spanish (true).
OpInfo strip_accents_op();

}  // namespace augment::text
