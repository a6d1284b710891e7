#pragma once
// synonym: tokens → tokens, replaces eligible words by a synonym from a bundled table.
//
// Tables (corpora/text/synonyms/{en,es}.tsv, compiled in; scripts/make-synonym-lists builds
// them): en from WordNet 3.0 (the other lemmas of a word's synsets, in sense order), es from the
// LibreOffice Spanish thesaurus (mythes-es). Single words only, at most 8 per headword.
//
// Units are words (edit_count.hpp: unit_p, min, max, min_word_length in grapheme clusters,
// skip_words); a word is eligible only when its case-folded form (NFC + ICU full case folding)
// has synonyms, and, with `skip_stopwords`, is not in the language's bundled stop list. Each
// picked word gets a synonym drawn uniformly from its list, in the word's case pattern:
//   "car" → "automobile", "Car" → "Automobile", "CAR" → "AUTOMOBILE";
//   "La canción" → "La melodía" (accents matter: "cancion" has no entry).
// Synonyms are single words, so spacing and punctuation stay as they were.
//
// The language is the op's `language` (en, es; "es-MX" means es), else the sample's; neither
// is a UsageError. Params: {"edits": [[piece_index, "replacement"], ...]}, by piece index;
// apply only writes them (replay needs no table).
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "augment/core/registry.hpp"
#include "augment/text/text.hpp"

namespace augment::text {

/// A parsed table: folded headword → synonyms, viewing the text it was parsed from.
class SynonymTable {
 public:
  /// Parses `word<TAB>syn1|syn2|...` lines; the text must outlive the table. `where` names the
  /// source in errors (DataError: a line without a tab, an empty word or synonym).
  static SynonymTable parse(std::string_view tsv, const std::string& where);
  /// The bundled table of `language` (en, es, or a region variant), parsed on first use
  /// (thread-safe). UsageError for another language.
  static const SynonymTable& bundled(std::string_view language);

  /// The synonyms of `word` (folded here), or null when it has none.
  const std::vector<std::string_view>* find(std::string_view word) const;
  std::size_t size() const { return map_.size(); }

 private:
  std::unordered_map<std::string_view, std::vector<std::string_view>> map_;
};

/// The languages with a bundled table: {"en", "es"}.
std::vector<std::string> synonym_languages();

/// `replacement` in the case pattern of `original`: all upper (two letters or more) → upper,
/// first letter upper → first letter upper, else as given.
std::string match_case(std::string_view original, std::string_view replacement);

class Synonym final : public Transform {
 public:
  Synonym(const OpInfo& info, const nlohmann::json& settings);
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;

 private:
  std::string language_;  // the op's language code, or empty: the sample's
};

OpInfo synonym_op();

}  // namespace augment::text
