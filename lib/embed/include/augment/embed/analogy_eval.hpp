#pragma once
// Analogy accuracy on a questions file in word2vec's questions-words.txt format: ": section"
// lines start a section, other lines are four words "a b c d" meaning a : b :: c : d. A
// question counts when all four words are in the vocabulary (restricted to the `restrict_vocab`
// most frequent words when non-zero, as gensim does); it is right when the best answer
// (analogy(), the three query words excluded) is d. Words are compared lower-cased when
// `lowercase` (word2vec.c's compute-accuracy upper-cases both sides; the same effect); then a
// folded form stands for its most frequent spelling, and an answer that is another spelling of
// a question word is passed over, as gensim's evaluate_word_analogies does. Blank lines are
// ignored. Questions run in parallel (oneTBB); the result does not depend on the thread count.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "augment/embed/embeddings.hpp"

namespace augment::embed {

struct SectionScore {
  std::string name;
  std::size_t correct = 0, asked = 0, skipped = 0;  // skipped: a word outside the vocabulary
  double accuracy() const { return asked ? static_cast<double>(correct) / static_cast<double>(asked) : 0.0; }
};

struct AnalogyReport {
  std::vector<SectionScore> sections;  // in file order
  SectionScore total;                  // name "total"
};

/// DataError "PATH:LINE: reason" for a line that is not four words or a section header.
AnalogyReport evaluate_analogies(const Embeddings& vectors, const std::filesystem::path& questions,
                                 AnalogyMethod method = AnalogyMethod::add, std::size_t restrict_vocab = 0,
                                 bool lowercase = true);

}  // namespace augment::embed
