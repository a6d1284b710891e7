#pragma once
// normalize: Unicode normalization (UAX #15, ICU Normalizer2) and optional full case folding
// (Unicode CaseFolding.txt, default folding as ICU's UnicodeString::foldCase).
//   nfc   canonical composition: "n" + U+0303 → "ñ"; what most text already is
//   nfd   canonical decomposition: "ñ" → "n" + U+0303
//   nfkc  compatibility composition: also folds presentation forms: "ﬁ" → "fi", "²" → "2",
//         full-width "Ａ" → "A", NBSP → space
//   nfkd  compatibility decomposition
// case_fold folds case for caseless matching, which is more than lower-casing: "Straße" →
// "strasse", "ΣΑΣ" → "σασ". With case_fold the steps are those of the Unicode standard's
// caseless matching (D145/D146): NFD, fold, then for nfkc/nfkd NFKD and fold again, then the
// chosen form — folding alone can leave text unnormalized, and folding before a compatibility
// form misses what the form turns into capitals: "ℌ" (no case of its own) becomes "H" under
// NFKC, so fold-then-NFKC gives "H" where compatibility caseless matching gives "h".
#include <string>
#include <string_view>

#include "augment/core/registry.hpp"

namespace augment::text {

enum class NormalForm { nfc, nfd, nfkc, nfkd };

/// "nfc" | "nfd" | "nfkc" | "nfkd"; throws UsageError otherwise.
NormalForm parse_normal_form(std::string_view name);

/// `utf8` in `form`; with `case_fold`, Unicode's caseless-matching sequence above (D145 for
/// nfc/nfd, D146 for nfkc/nfkd) ending in `form`. Throws UsageError on invalid UTF-8.
std::string normalize_text(std::string_view utf8, NormalForm form, bool case_fold = false);

/// Full default case folding alone (no normalization).
std::string fold_case(std::string_view utf8);

/// ICU's full lower-casing in the root locale: what Python's str.lower does (both apply
/// Unicode's SpecialCasing without language rules, final sigma included). For matching words
/// against vocabularies built the same way (bag_of_words, word vectors); case folding is for
/// caseless comparison ("ß" folds to "ss", lower-cases to "ß").
std::string lower_case(std::string_view utf8);

/// Text → text, deterministic. Params: form (nfc), case_fold (false).
OpInfo normalize_op();

}  // namespace augment::text
