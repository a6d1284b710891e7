#pragma once
// bag_of_words: tokens → features, a document-term vector over a vocabulary fitted with
// `augment fit`, with scikit-learn's CountVectorizer / TfidfVectorizer conventions (checked
// against them in tests/fixtures/text/bag_of_words).
//
// Terms. Only word pieces (Token::is_word) count, lower-cased (ICU full lower-casing, root
// locale: the same as Python's str.lower on Spanish and English; "ß" stays "ß" in both, where
// case folding would give "ss") unless `lowercase` is false, and words shorter than
// `min_token_length` code points are dropped: 2 matches sklearn's token_pattern
// r"(?u)\b\w\w+\b". The n-grams of `ngram_range` [lo, hi] are runs of consecutive kept words
// joined by one space, across punctuation, as sklearn's "word" analyzer does. Where ICU and the
// regex cut differently ("don't" and "3,5" are one ICU word, two regex matches) we follow ICU.
//
// Vocabulary (fit). Every term seen, sorted by code point (UTF-8 byte order, as Python sorts
// str); terms in fewer documents than min_df or more than max_df are dropped; then, when more
// than max_features remain, the most frequent by total count are kept, ties to the earlier term.
// scikit-learn does not specify its tie order: _limit_features keeps (-counts).argsort()[:limit]
// over the code-point-sorted terms, numpy's default argsort (introsort, not stable; SIMD sorts on
// AVX-512 machines since numpy 1.25), so which of the tied terms it keeps depends on numpy's
// version and the CPU; we keep a rule that does not. Away from ties at the cut the two agree
// (our fixtures avoid such ties). min_df and
// max_df are a document count when a whole number ≥ 1, a proportion of the documents when in
// [0, 1) (sklearn tells them by int vs float, which JSON does not keep; so a proportion of
// exactly 1.0 cannot be written: for max_df it is the default, no limit). The idf is computed
// over the kept terms with smooth_idf: ln((1 + n) / (1 + df)) + 1.
//
// Values (transform), per vocabulary term: `counts` its count in the document, `binary` 1 if
// present, `tfidf` count × idf (1 + ln(count) when sublinear_tf) then the row scaled to unit l2
// norm unless norm is "none" (an all-zero row stays zero). norm and sublinear_tf only apply to
// tfidf. Terms not in the vocabulary are ignored. The output is a dense row of the vocabulary's
// size; sparse storage is future work (a features sample is a dense vector today).
//
// State: {"vocabulary": [terms], "idf": [numbers], "documents": n}. The fitter keeps document
// frequencies and total counts per term and the document count; merging sums them, so fitting
// in blocks or threads gives the same state as one pass.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "augment/core/registry.hpp"
#include "augment/text/text.hpp"

namespace augment::text {

enum class BagMode { counts, binary, tfidf };

struct BagOfWordsOptions {
  bool lowercase = true;
  std::size_t min_token_length = 2;
  std::size_t ngram_min = 1, ngram_max = 1;
  /// Terms are character n-grams inside each word padded with a space on each side
  /// (scikit-learn's analyzer="char_wb"): "cat" with n = 3 gives " ca", "cat", "at ". A word no
  /// longer than n (with its spaces) counts once, whole, and no longer n is tried for it.
  /// min_token_length does not apply. The words are the tokenizer's word pieces (scikit-learn
  /// splits on white space, so punctuation stays on its word there).
  bool char_wb = false;
};

/// The terms of a document, in order, with repeats: the word pieces' n-grams as above.
std::vector<std::string> bag_terms(const Tokens& tokens, const BagOfWordsOptions& options);

class BagOfWords final : public Transform {
 public:
  BagOfWords(const OpInfo& info, const nlohmann::json& settings);
  void apply(Sample& sample, const nlohmann::json& params) const override;
  bool needs_fit() const override { return true; }
  bool is_fitted() const override { return !vocabulary_.empty(); }
  std::unique_ptr<Fitter> make_fitter() const override;
  nlohmann::json state() const override;
  void set_state(const nlohmann::json& state) override;

  /// The document-term row of `tokens` (UsageError when not fitted).
  std::vector<double> vectorize(const Tokens& tokens) const;

 private:
  BagOfWordsOptions options_;
  BagMode mode_ = BagMode::counts;
  bool sublinear_tf_ = false;
  bool l2_norm_ = true;
  std::vector<std::string> vocabulary_;
  std::vector<double> idf_;
  std::uint64_t documents_ = 0;  // documents fitted on (0 when the state was given without it)
  std::unordered_map<std::string, std::size_t> index_;
};

OpInfo bag_of_words_op();

}  // namespace augment::text
