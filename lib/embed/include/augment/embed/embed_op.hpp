#pragma once
// embed: tokens → features, a document's word vectors pooled into one features vector.
//
// Vectors. `vectors` names a word2vec file, text or binary (embeddings.hpp; a path relative to
// the working directory). It is read once per process and path: every stage naming the same
// file shares one copy (shared_vectors), loaded when the pipeline is built, so a missing or
// malformed file is an error then, naming the stage and the file:
//   stage 1 (embed): vectors: no such file 'vec/es.vec'
//
// Words. The word pieces of the sample (Token::is_word; spaces and punctuation are not looked
// up), lower-cased first when `lowercase` (the default: ICU full lower-casing in the root locale,
// as bag_of_words does, so it matches vectors trained on lower-cased text: "Gato", "GATO" →
// "gato"). A word absent from the vectors (out of vocabulary) is skipped, as if it were not in
// the text; the others count with their repeats.
//
// Pools, for a document whose in-vocabulary words are w_1 … w_n (in order, repeats kept) with
// vectors v(w_i) of `dims` values:
//   mean        (1/n) Σ v(w_i)                                         dims values
//   max         element-wise max_i v(w_i)                              dims values
//   tfidf_mean  Σ idf(w_i) v(w_i) / Σ idf(w_i): each distinct word weighted by its count in the
//               document (tf) times idf = ln((1 + N) / (1 + df)) + 1 (scikit-learn's smooth idf),
//               N the documents fitted on, df those holding the word (lower-cased when
//               `lowercase`); a word of the vectors that no fitted document held has df 0.
//               dims values. Fitted with `augment fit` (the only pool that needs fitting).
//   sequence    v(w_1), v(w_2), …, v(w_n) one after another: n × dims values, row-major (word
//               i's vector at [i·dims, (i+1)·dims)). With `max_words` m: exactly m × dims values,
//               the first m words, then zeros when there are fewer, so every sample has the same
//               size (reshape to (m, dims); a zero row is padding or a zero vector).
// A document without any in-vocabulary word gives a vector of zeros (dims of them; for sequence
// none, or m × dims with max_words). Examples with vectors gato (1, 0), perro (0.5, 0.5):
//   "El gato y el perro."  mean (0.75, 0.25), max (1, 0.5), sequence (1, 0, 0.5, 0.5)
//   "¡Hola!"               mean (0, 0), sequence () — with max_words 2: (0, 0, 0, 0)
//
// State (tfidf_mean): {"vocabulary": [words], "idf": [numbers], "documents": N}, the words the
// fitted documents held with their idf, in the vectors' order; merged fitters sum their counts,
// so fitting in blocks or threads gives the same state. Output values are doubles computed
// from the file's float32 values.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "augment/core/registry.hpp"
#include "augment/embed/embeddings.hpp"
#include "augment/text/text.hpp"

namespace augment::embed {

/// The vectors of `file`, loaded on first use and shared while any holder keeps them (one load
/// per path at a time, thread-safe; the key is the absolute, lexically normal path). Throws
/// std::invalid_argument "vectors: no such file 'PATH'" when it does not exist (or "is not a
/// file"), and
/// "vectors: " + the loader's DataError ("PATH: reason") when it cannot be read.
std::shared_ptr<const Embeddings> shared_vectors(const std::filesystem::path& file);

enum class Pool { mean, max, tfidf_mean, sequence };

class Embed final : public Transform {
 public:
  Embed(const OpInfo& info, const nlohmann::json& settings);
  void apply(Sample& sample, const nlohmann::json& params) const override;
  bool needs_fit() const override { return pool_ == Pool::tfidf_mean; }
  bool is_fitted() const override { return pool_ != Pool::tfidf_mean || documents_ > 0; }
  std::unique_ptr<Fitter> make_fitter() const override;
  nlohmann::json state() const override;
  void set_state(const nlohmann::json& state) override;

  /// The pooled vector of `tokens` (UsageError for tfidf_mean when not fitted).
  std::vector<double> vectorize(const text::Tokens& tokens) const;
  /// The vocabulary indexes of the document's in-vocabulary words, in order, repeats kept.
  std::vector<std::size_t> word_indexes(const text::Tokens& tokens) const;
  const Embeddings& vectors() const { return *vectors_; }

 private:
  std::shared_ptr<const Embeddings> vectors_;
  Pool pool_ = Pool::mean;
  bool lowercase_ = true;
  std::size_t max_words_ = 0;  // 0: no limit
  // tfidf_mean: the idf of every vocabulary index (words no document held: ln(1 + N) + 1).
  std::vector<double> idf_;
  std::vector<std::string> fitted_words_;  // the state's vocabulary, for state()
  std::vector<double> fitted_idf_;
  std::uint64_t documents_ = 0;
};

OpInfo embed_op();

}  // namespace augment::embed
