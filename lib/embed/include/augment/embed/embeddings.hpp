#pragma once
// Word vectors: a vocabulary (most frequent first, as word2vec.c writes it) and one row of
// `dims` floats per word, in the two word2vec file formats gensim and word2vec.c read:
//   text:   "<count> <dims>\n" then per word "<word> <v1> <v2> ... <vdims>\n"
//   binary: "<count> <dims>\n" then per word "<word> " + dims little-endian float32 + "\n"
// (gensim 4.0-4.2 write binary rows without the "\n"; both are read, the first row tells which.)
// Text values are written as gensim writes them (numpy's repr of a float32: "0.1", "1.0",
// "1e-05"), so a file saved here is byte for byte gensim's text file.
// Loading tells the two apart by content, checks the header against what follows, and throws
// DataError "PATH: reason" for a missing or malformed header, a row with too few or too many
// values, a non-finite value, a repeated word or a file cut short.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace augment::embed {

enum class VectorFormat { text, binary };

struct Neighbour {
  std::string word;
  double similarity = 0;  // cosine, or 3CosMul's score for analogies
};

enum class AnalogyMethod { add, mul };  // 3CosAdd, 3CosMul (Levy & Goldberg 2014)

class Embeddings {
 public:
  Embeddings() = default;
  /// `vectors` holds words.size() × dims floats, row-major. UsageError when sizes disagree, a
  /// word is empty, repeats or contains ASCII whitespace, or a value is not finite.
  Embeddings(std::vector<std::string> words, std::size_t dims, std::vector<float> vectors);

  static Embeddings load(const std::filesystem::path& file);  // either format
  /// Writes atomically (a temporary renamed into place). Text values use the shortest decimal
  /// text that reads back to the same float.
  void save(const std::filesystem::path& file, VectorFormat format) const;

  std::size_t size() const { return words_.size(); }
  std::size_t dims() const { return dims_; }
  const std::vector<std::string>& words() const { return words_; }
  /// Row of a word's index; nullptr-free: index must be < size().
  std::span<const float> vector(std::size_t index) const;
  /// Index of `word`, or -1 (npos) when absent.
  std::size_t find(std::string_view word) const;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  /// The k words most similar to `word` by cosine, itself excluded, most similar first (ties
  /// to the more frequent word). UsageError when the word is unknown.
  std::vector<Neighbour> nearest(std::string_view word, std::size_t k) const;
  /// Nearest to an arbitrary vector (no exclusions unless listed).
  std::vector<Neighbour> nearest(std::span<const float> vector, std::size_t k,
                                 const std::vector<std::size_t>& exclude = {}) const;
  /// a : b :: c : ?  — the best k answers, the three query words excluded.
  std::vector<Neighbour> analogy(std::string_view a, std::string_view b, std::string_view c, std::size_t k,
                                 AnalogyMethod method = AnalogyMethod::add) const;
  /// The same by word indices, the answers drawn from the `candidates` most frequent words only
  /// (0: all), as gensim's restrict_vocab. add ranks by cosine to unit(b̂ − â + ĉ) (gensim's
  /// most_similar, the same order as cos(d,b) − cos(d,a) + cos(d,c)) and reports that cosine;
  /// mul scores (1+cos(d,b))/2 · (1+cos(d,c))/2 / ((1+cos(d,a))/2 + 1e-3), Levy & Goldberg's
  /// ε (gensim 4.2's most_similar_cosmul uses 1e-6).
  std::vector<Neighbour> analogy(std::size_t a, std::size_t b, std::size_t c, std::size_t k, AnalogyMethod method,
                                 std::size_t candidates = 0) const;

 private:
  std::vector<std::string> words_;
  std::size_t dims_ = 0;
  std::vector<float> vectors_;       // as given/loaded
  std::vector<float> unit_vectors_;  // rows scaled to unit length (zero rows stay zero)
  struct WordHash {  // lets find() look up a string_view without building a std::string
    using is_transparent = void;
    std::size_t operator()(std::string_view word) const { return std::hash<std::string_view>{}(word); }
  };
  std::unordered_map<std::string, std::size_t, WordHash, std::equal_to<>> index_;
};

}  // namespace augment::embed
