#pragma once
// stem: Snowball stemming through libstemmer (Debian libstemmer 2.2.0-2), every language it has
// (sb_stemmer_list: arabic ... yiddish, plus "porter", the original English algorithm). The
// language is a libstemmer name ("spanish") or an ISO 639-1 code ("es"), in any case; by default
// it is the sample's Tokens.language.
//
// Only word pieces (Token::is_word) are stemmed; spacing and punctuation pieces are kept, so
// `join` still rebuilds a text with the same separators. Each word is lower-cased first (ICU
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

/// Stems every word piece of `tokens` in place; other pieces are untouched. An empty
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
