// read_corpus and train_word2vec: vocabulary order and sentences, planted co-occurrence groups
// recovered by skip-gram and CBOW, bit-identical single-thread runs, seeds, progress and errors.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "augment/core/error.hpp"
#include "augment/core/rng.hpp"
#include "augment/embed/word2vec.hpp"
#include "embed_test_helpers.hpp"

using augment::DataError;
using augment::UsageError;
using augment::embed::Corpus;
using augment::embed::Embeddings;
using augment::embed::read_corpus;
using augment::embed::train_word2vec;
using augment::embed::TrainingProgress;
using augment::embed::TrainingSummary;
using augment::embed::VectorFormat;
using augment::embed::Word2VecModel;
using augment::embed::Word2VecOptions;
using embed_test::read_all;
using embed_test::same_bits;
using embed_test::ScratchFolder;
using embed_test::write_all;

namespace {

const std::vector<std::string> kFruit = {"apple", "pear", "plum", "fig", "lime", "kiwi", "date", "grape"};
const std::vector<std::string> kTools = {"saw", "drill", "hammer", "wrench", "chisel", "file", "rasp", "vise"};

/// Sentences of 12 words drawn from one group only (with the group chosen per line), so words
/// co-occur only with their own group. Upper-case variants check lower-casing on the way.
std::string planted_corpus(std::size_t lines) {
  augment::Rng rng(20240607);
  std::string text;
  for (std::size_t line = 0; line < lines; ++line) {
    const auto& group = rng.bernoulli(0.5) ? kFruit : kTools;
    for (int w = 0; w < 12; ++w) {
      std::string word = group[rng.index(group.size())];
      if (rng.bernoulli(0.1)) word[0] = static_cast<char>(word[0] - 'a' + 'A');
      text += word + (w == 5 ? ", " : " ");
    }
    text += ".\n";
  }
  return text;
}

Word2VecOptions small_options(Word2VecModel model) {
  Word2VecOptions o;
  o.model = model;
  o.dims = 16;
  o.window = 3;
  o.min_count = 1;
  o.sample = 0;
  o.epochs = 3;
  o.seed = 7;
  return o;
}

bool same_group(const std::string& a, const std::string& b) {
  auto in = [](const std::vector<std::string>& g, const std::string& w) { return std::find(g.begin(), g.end(), w) != g.end(); };
  return (in(kFruit, a) && in(kFruit, b)) || (in(kTools, a) && in(kTools, b));
}

}  // namespace

TEST_CASE("read_corpus lower-cases ICU words and sorts the vocabulary by count then bytes") {
  ScratchFolder dir;
  write_all(dir / "c.txt", "\xEF\xBB\xBF" "El perro, EL gato.\n\nel perro \xC3\xB1" "and\xC3\xBA \xC3\x91" "and\xC3\xBA 3,5\r\n");
  Word2VecOptions options;
  options.min_count = 2;
  const Corpus corpus = read_corpus(dir / "c.txt", options);
  // el ×3; perro and ñandú ×2 ("perro" < "ñandú" in bytes); gato and 3,5 ×1 dropped.
  CHECK(corpus.words == std::vector<std::string>{"el", "perro", "\xC3\xB1" "and\xC3\xBA"});
  CHECK(corpus.counts == std::vector<std::uint64_t>{3, 2, 2});
  CHECK(corpus.tokens_read == 9);
  CHECK(corpus.ids == std::vector<std::uint32_t>{0, 1, 0, 0, 1, 2, 2});
  CHECK(corpus.sentence_starts == std::vector<std::size_t>{0, 3});

  options.lowercase = false;
  options.min_count = 1;
  const Corpus cased = read_corpus(dir / "c.txt", options);
  CHECK(cased.words.size() == 8);  // El EL el perro gato ñandú Ñandú 3,5
  CHECK(cased.words[0] == "perro");
}

TEST_CASE("read_corpus cuts lines longer than 10000 words") {
  ScratchFolder dir;
  std::string line;
  for (int i = 0; i < 25'000; ++i) line += i % 2 ? "b " : "a ";
  write_all(dir / "long.txt", line + "\na b\n");
  Word2VecOptions options;
  const Corpus corpus = read_corpus(dir / "long.txt", options);
  CHECK(corpus.sentence_starts == std::vector<std::size_t>{0, 10'000, 20'000, 25'000});
  CHECK(corpus.ids.size() == 25'002);
}

TEST_CASE("read_corpus errors name the file") {
  ScratchFolder dir;
  Word2VecOptions options;
  write_all(dir / "bad.txt", "ok\nbad \xC3( here\n");
  CHECK_THROWS_WITH_AS(read_corpus(dir / "bad.txt", options), ((dir / "bad.txt").string() + ": invalid UTF-8 at byte 7").c_str(),
                       DataError);
  write_all(dir / "empty.txt", " \n.,\n");
  CHECK_THROWS_WITH_AS(read_corpus(dir / "empty.txt", options), ((dir / "empty.txt").string() + ": the corpus holds no words").c_str(),
                       DataError);
  write_all(dir / "rare.txt", "a b c\n");
  CHECK_THROWS_AS(read_corpus(dir / "rare.txt", options), DataError);  // min_count 5
  CHECK_THROWS_AS(read_corpus(dir / "missing.txt", options), DataError);
}

TEST_CASE("skip-gram and CBOW recover planted co-occurrence groups") {
  ScratchFolder dir;
  write_all(dir / "planted.txt", planted_corpus(1500));
  for (const Word2VecModel model : {Word2VecModel::skipgram, Word2VecModel::cbow}) {
    CAPTURE(model == Word2VecModel::cbow);
    const Word2VecOptions options = small_options(model);
    const Corpus corpus = read_corpus(dir / "planted.txt", options);
    REQUIRE(corpus.words.size() == 16);
    TrainingSummary summary;
    const Embeddings vectors = train_word2vec(corpus, options, &summary);
    CHECK(vectors.size() == 16);
    CHECK(vectors.dims() == 16);
    for (const std::string& word : corpus.words) {
      CAPTURE(word);
      for (const auto& neighbour : vectors.nearest(word, 5)) CHECK(same_group(word, neighbour.word));
    }
    CHECK(summary.corpus_words == 1500 * 12);
    CHECK(summary.vocabulary == 16);
    CHECK(summary.trained_words == 3 * 1500 * 12);  // no subsampling
    // Untrained, every example costs (1 + negative)·ln 2 ≈ 4.16 (the output rows start at 0).
    CHECK(summary.final_loss > 0);
    CHECK(summary.final_loss < 3.0);
    CHECK(summary.words_per_second_per_thread > 0);
  }
}

TEST_CASE("one thread and a seed give the same bytes, another seed other vectors") {
  ScratchFolder dir;
  write_all(dir / "planted.txt", planted_corpus(300));
  Word2VecOptions options = small_options(Word2VecModel::skipgram);
  options.sample = 1e-3;  // subsampling draws too
  const Corpus corpus = read_corpus(dir / "planted.txt", options);
  train_word2vec(corpus, options).save(dir / "a.bin", VectorFormat::binary);
  train_word2vec(corpus, options).save(dir / "b.bin", VectorFormat::binary);
  CHECK(read_all(dir / "a.bin") == read_all(dir / "b.bin"));
  options.model = Word2VecModel::cbow;
  CHECK(same_bits(train_word2vec(corpus, options), train_word2vec(corpus, options)));
  options.negative = 70;  // more negatives than one prefetch batch of 64
  CHECK(same_bits(train_word2vec(corpus, options), train_word2vec(corpus, options)));
  options.negative = 5;
  options.model = Word2VecModel::skipgram;
  options.seed = 8;
  CHECK_FALSE(same_bits(Embeddings::load(dir / "a.bin"), train_word2vec(corpus, options)));
}

TEST_CASE("two threads train and report progress") {
  ScratchFolder dir;
  write_all(dir / "planted.txt", planted_corpus(5000));  // 60k words: a report per 100k per thread
  Word2VecOptions options = small_options(Word2VecModel::skipgram);
  options.threads = 2;
  options.epochs = 8;
  const Corpus corpus = read_corpus(dir / "planted.txt", options);
  std::vector<TrainingProgress> reports;
  const Embeddings vectors =
      train_word2vec(corpus, options, nullptr, [&](const TrainingProgress& p) { reports.push_back(p); });
  REQUIRE(reports.size() >= 2);
  for (std::size_t i = 1; i < reports.size(); ++i) CHECK(reports[i].fraction >= reports[i - 1].fraction);
  CHECK(reports.back().alpha < reports.front().alpha);
  CHECK(reports.back().alpha >= 0.025 * 1e-4);
  // The planted task is learnt within the first 100k words: every report is well under the
  // untrained (1 + negative)·ln 2.
  for (const TrainingProgress& p : reports) CHECK(p.loss < 0.75 * 6 * std::log(2.0));
  for (const auto& neighbour : vectors.nearest("apple", 3)) CHECK(same_group("apple", neighbour.word));
}

TEST_CASE("train_word2vec rejects options it cannot train with") {
  ScratchFolder dir;
  write_all(dir / "planted.txt", planted_corpus(20));
  Word2VecOptions options = small_options(Word2VecModel::skipgram);
  const Corpus corpus = read_corpus(dir / "planted.txt", options);
  auto rejects = [&](auto change) {
    Word2VecOptions bad = options;
    change(bad);
    CHECK_THROWS_AS(train_word2vec(corpus, bad), UsageError);
  };
  rejects([](Word2VecOptions& o) { o.negative = 0; });
  rejects([](Word2VecOptions& o) { o.dims = 0; });
  rejects([](Word2VecOptions& o) { o.window = 0; });
  rejects([](Word2VecOptions& o) { o.epochs = 0; });
  rejects([](Word2VecOptions& o) { o.alpha = 0; });
  rejects([](Word2VecOptions& o) { o.sample = -1; });
  CHECK_THROWS_AS(train_word2vec(Corpus{}, options), UsageError);
}

TEST_CASE("an exception thrown by the progress callback stops training and reaches the caller") {
  ScratchFolder dir;
  write_all(dir / "planted.txt", planted_corpus(5000));
  Word2VecOptions options = small_options(Word2VecModel::cbow);
  options.epochs = 2;
  const Corpus corpus = read_corpus(dir / "planted.txt", options);
  CHECK_THROWS_WITH_AS(train_word2vec(corpus, options, nullptr, [](const TrainingProgress&) { throw DataError("stop"); }),
                       "stop", DataError);
}
