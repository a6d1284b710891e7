#pragma once
// synonym_embedding: tokens → tokens, replaces eligible words by one of their nearest
// neighbours in a word-vector space (the counterpart of text's `synonym`, with vectors instead
// of a thesaurus).
//
// Vectors: `vectors`, a word2vec text or binary file, shared and loaded as embed's
// (embed_op.hpp: read once per process and path, errors name the stage and the file).
//
// Candidates. A word's candidates are its `k` nearest neighbours by cosine (Embeddings::nearest,
// the word itself excluded) whose cosine is at least `threshold`, leaving out a neighbour that is
// the same word but for case, and one that does not start with a letter (numbers are not
// synonyms). Words are looked up lower-cased when `lowercase` (default; ICU full lower-casing,
// as embed). k counts neighbours before they are filtered. Defaults: k 10, threshold 0.5 —
// TextFooler's least cosine for a word swap (Jin et al. 2020). What a cosine means depends on
// the vectors: trained here on corpora/embed/es.txt (skip-gram, 100 dims, 50 epochs), a frequent
// word's nearest neighbour scores a median 0.61 and its 10th 0.51, so 0.5 keeps about the
// first ten; undertrained vectors score everything higher (en.txt, 10 epochs: medians 0.90 and
// 0.85). Raise it for fewer, safer swaps. Neighbours in word2vec are related words, not always
// synonyms: antonyms and co-hyponyms score high (amor ~ odio, france ~ germany).
//
// Units are words, counted as text's synonym counts them (edit_count.hpp: unit_p, min, max,
// min_word_length in grapheme clusters, skip_words); a word is eligible when it holds a letter,
// has at least one candidate and, with `skip_stopwords` (default true), is not in the bundled
// stop list of `language` (en, es; default the sample's language — neither is a UsageError,
// unless skip_stopwords is false). Each picked word gets a candidate drawn uniformly, in the
// word's case pattern (text::match_case): with vectors where "gato" is nearest "felino",
//   "El gato" → "El felino", "GATO" → "FELINO", "Gato" → "Felino".
// Vocabulary words are single tokens, so spacing and punctuation stay as they were.
//
// Params: {"edits": [[piece_index, "replacement"], ...]} by piece index, as synonym records
// them; apply only writes them, so a recorded draw replays without consulting the vectors.
// Each word's candidates are computed once per stage and kept (the search scans the whole
// vocabulary), so a stage costs memory for the distinct words it has seen.
#include <cstddef>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "augment/core/registry.hpp"
#include "augment/embed/embeddings.hpp"
#include "augment/text/text.hpp"

namespace augment::embed {

class SynonymEmbedding final : public Transform {
 public:
  SynonymEmbedding(const OpInfo& info, const nlohmann::json& settings);
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;

  /// The replacements `word` may get, as the vectors spell them, nearest first: see
  /// "Candidates" above. Thread-safe.
  std::vector<std::string> candidates(std::string_view word) const;

 private:
  const std::vector<std::string>& cached_candidates(const std::string& key) const;

  std::shared_ptr<const Embeddings> vectors_;
  std::size_t k_ = 10;
  double threshold_ = 0.5;
  bool lowercase_ = true;
  mutable std::shared_mutex mutex_;
  mutable std::unordered_map<std::string, std::vector<std::string>> cache_;  // lookup key → candidates
};

OpInfo synonym_embedding_op();

}  // namespace augment::embed
