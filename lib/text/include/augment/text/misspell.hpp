#pragma once
// misspell: tokens → tokens. Replaces eligible words with a plausible misspelling of them, the way
// people (not keyboards or OCR) get them wrong:
//
//   en  a list of real common misspellings, correct → wrong forms (corpora/text/misspellings/
//       en.tsv, compiled in): "I receive it" → "I recieve it", "Definitely" → "Definately".
//       Only words in the list can be edited.
//   es  one orthographic confusion of the RAE's spelling rules per edited word:
//         b ↔ v                          "vaca" → "baca", "beber" → "bever"
//         ll ↔ y (y before a vowel)      "llave" → "yave", "mayo" → "mallo"
//         c(e,i) → s, z; s → z, c(e,i); z → s, c(e,i)
//                                        "hacer" → "haser", "cocina" → "cozina", "zapato" → "sapato"
//         g(e,i) ↔ j(e,i)                "gente" → "jente", "jefe" → "gefe"
//         silent h dropped or added at the start: "hola" → "ola", "árbol" → "hárbol"
//         accents dropped: á é í ó ú ü → a e i o u   "canción" → "cancion"
//         qu(e,i) ↔ k(e,i)               "queso" → "keso", "kilo" → "quilo"
//       Words no rule applies to ("perro", "come") are left alone.
//
// The case pattern of the word is kept: "Hola" → "Ola", "RECEIVE" → "RECIEVE"; words in mixed
// case ("iPhone", "McDonald") are left alone. Words are compared and rewritten in NFC.
// Language: the `language` param, else the sample's (ISO 639-1, "es-MX" counts as "es").
// Eligibility and how many words: word_edits.hpp (unit_p, min, max, min_word_length, skip_words,
// skip_stopwords), over the words that have a misspelling.
//
// Params: {"edits": [[piece, "replacement"], ...]}, word pieces ascending; apply() sets those
// pieces' text (offset becomes Token::no_offset), so a recorded draw replays.
#include <string>
#include <string_view>
#include <vector>

#include "augment/core/registry.hpp"

namespace augment::text {

/// The languages misspell knows: {"en", "es"}.
std::vector<std::string> misspell_languages();

/// Every misspelling misspell may write for `word` in `language` (ISO code), in the word's case
/// pattern, without duplicates and without the word itself; empty when there is none (not in
/// the en list, mixed case, no letter). UsageError for a language it does not know.
std::vector<std::string> misspellings(std::string_view word, std::string_view language);

/// Parses a misspelling list: lines "correct<TAB>wrong[<TAB>wrong...]", '#' comments, blank lines
/// skipped; DataError naming `where` and the line on a bad line. Keys are lower case.
std::vector<std::pair<std::string, std::vector<std::string>>> parse_misspelling_list(std::string_view text,
                                                                                     const std::string& where);

class Misspell final : public Transform {
 public:
  Misspell(const OpInfo& info, const nlohmann::json& settings) : Transform(info, settings) {}
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;
};

OpInfo misspell_op();

}  // namespace augment::text
