#pragma once
// stem: Snowball stemming through libstemmer (Debian libstemmer 2.2.0-2), every language it has
// (sb_stemmer_list: arabic ... yiddish, plus "porter", the original English algorithm). The
// language is a libstemmer name ("spanish") or an ISO 639-1 code ("es"), in any case; by default
// it is the sample's Tokens.language.
//
// Snowball stems whole words, and its published vocabularies hold words with apostrophes,
// hyphens and script marks in them or at their ends (Turkish "acı'", Hungarian "adok-kapok",
// English "'aa", Yiddish "אַדל־לײַט", Armenian "ափին՝", Hindi "एम॰ए"), which UAX #29 cuts into
// several pieces. So the unit stemmed is a whole word: a run of pieces with no whitespace
// between them, from its first word piece or word mark to its last, the punctuation and symbols
// at its ends (quotes, brackets, commas, full stops, emoji) set aside: "(cats)," → "(cat),".
// Word marks stay with the word: the apostrophe ', hyphens - ‐ ‑ ֊ ־, Armenian ՚ ՛ ՜ ՝ ՞, Hebrew
// ׳ ״, Greek ΄ and Devanagari ॰. A word cut into several pieces comes out as one piece (a word
// piece, at the first one's offset); every other piece is kept as it was, so `join` still
// rebuilds a text with the same separators. tokenize itself stays UAX #29's, which the other
// word ops and bag_of_words (scikit-learn's token pattern also splits at apostrophes and
// hyphens) rely on. Each word is lower-cased first (ICU
// full lower-casing with the language's locale, so Turkish "I" becomes "ı"): libstemmer's
// algorithms are written for lower-case input ("Corriendo" → "corr", like "corriendo"). Stems
// are therefore lower case. `lowercase: false` passes words as they are, which is how Snowball
// made its published vocabularies (voc.txt → output.txt): they are lower case except Irish's,
// whose capitals after a mutation prefix ("nÉireann") the Irish stemmer reads.
//
// Thread safety: an sb_stemmer keeps per-call state and must not be shared between threads, so
// each thread keeps its own stemmer per language (created on first use, freed at thread exit).
// The functions and the op may be called from any number of threads at once.
#include <string>
#include <string_view>
#include <vector>

#include "augment/core/registry.hpp"
#include "augment/text/text.hpp"

namespace augment::text {

/// libstemmer's algorithm names in its order (sb_stemmer_list), e.g. "arabic", "english", "porter".
const std::vector<std::string>& stemmer_languages();

/// The ISO 639-1 code of a libstemmer language ("spanish" → "es"); empty for "porter".
std::string_view iso_code_of(std::string_view stemmer_language);

/// The libstemmer name for `language`: a libstemmer name or an ISO 639-1 code, any case.
/// Throws UsageError naming the language and listing every one libstemmer has.
std::string stemmer_language(std::string_view language);

/// The stem of one UTF-8 word, lower-cased first unless `lowercase` is false. `language` as
/// for stemmer_language.
std::string stem_word(std::string_view word, std::string_view language, bool lowercase = true);

/// Stems every whole word of `tokens` in place (see above); other pieces are untouched. An empty
/// `language` means tokens.language; UsageError when both are empty or unknown.
void stem_tokens(Tokens& tokens, std::string_view language = {}, bool lowercase = true);

class Stem final : public Transform {
 public:
  Stem(const OpInfo& info, const nlohmann::json& settings);
  void apply(Sample& sample, const nlohmann::json& params) const override;

 private:
  std::string language_;  // libstemmer name, or empty: the sample's
  bool lowercase_;
};

OpInfo stem_op();

}  // namespace augment::text
