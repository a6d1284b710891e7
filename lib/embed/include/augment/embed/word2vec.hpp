#pragma once
// Word2Vec training (Mikolov et al. 2013) as word2vec.c does it: skip-gram or CBOW, negative
// sampling from the unigram^0.75 table, subsampling of frequent words with threshold `sample`,
// learning rate decaying linearly from alpha to alpha·1e-4 over all epochs, a window shrunk by a
// random amount per word. Threads update shared weights without locks (Hogwild), so results
// vary with more than one thread; with one thread and a seed they are the same bytes on every
// run. How this follows word2vec.c, and where it differs (alias-method negatives, σ table
// sampled mid-bin, SplitMix64 random numbers), is written at the top of src/word2vec.cpp.
//
// The corpus is text, one sentence per line (a line longer than 10,000 words is cut into
// 10,000-word sentences); words are ICU word-boundary tokens (augment::text::tokenize's word
// pieces), lower-cased unless `lowercase` is false. Words seen fewer than min_count times are
// dropped before windows are formed.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "augment/embed/embeddings.hpp"

namespace augment::embed {

enum class Word2VecModel { skipgram, cbow };

struct Word2VecOptions {
  Word2VecModel model = Word2VecModel::skipgram;
  std::size_t dims = 100;
  std::size_t window = 5;
  std::size_t negative = 5;
  std::size_t min_count = 5;
  double sample = 1e-3;
  double alpha = -1;  // -1: 0.025 for skip-gram, 0.05 for CBOW (word2vec.c's defaults)
  std::size_t epochs = 5;
  std::size_t threads = 1;  // 0: every core
  std::uint64_t seed = 1;
  bool lowercase = true;
};

struct TrainingProgress {
  double fraction = 0;          // of all epochs' words
  std::size_t epoch = 0;        // 0-based
  double words_per_second = 0;  // per thread
  double alpha = 0;             // current learning rate
  /// Mean loss per training example since the last report; an example is one positive word and
  /// its negatives (a context word in skip-gram, a window in CBOW): −log σ(pos) − Σ log σ(−neg).
  double loss = 0;
};

struct TrainingSummary {
  std::size_t corpus_words = 0;   // tokens read
  std::size_t vocabulary = 0;     // words kept (count >= min_count)
  std::size_t trained_words = 0;  // tokens trained on, all epochs, after subsampling
  double seconds = 0;
  /// Kept tokens read (before subsampling, all epochs) per second per thread, as fastText counts.
  double words_per_second_per_thread = 0;
  double final_loss = 0;  // mean loss per example over the last epoch
};

/// A corpus read into word ids (vocabulary sorted by count, descending; ties by byte order).
struct Corpus {
  std::vector<std::string> words;
  std::vector<std::uint64_t> counts;
  std::vector<std::uint32_t> ids;              // every kept token, in order
  std::vector<std::size_t> sentence_starts;    // offsets into ids; ends at ids.size()
  std::size_t tokens_read = 0;
};

/// Reads and tokenizes a UTF-8 corpus file (DataError "PATH: reason" for invalid UTF-8 with its
/// byte offset, an unreadable or empty file, or no word reaching min_count).
Corpus read_corpus(const std::filesystem::path& file, const Word2VecOptions& options);

/// Trains on `corpus`; `on_progress` (optional) about every 100k words per thread, called from
/// the training threads one at a time (an exception it throws stops training and is rethrown).
/// UsageError for options it cannot train with (dims, window, negative or epochs of 0, ...).
Embeddings train_word2vec(const Corpus& corpus, const Word2VecOptions& options, TrainingSummary* summary = nullptr,
                          const std::function<void(const TrainingProgress&)>& on_progress = {});

}  // namespace augment::embed
