// train_word2vec: skip-gram and CBOW with negative sampling, following word2vec.c
// (Mikolov et al. 2013) step by step. Where this differs from word2vec.c, on purpose:
// - Negatives are drawn with Walker's alias method from the exact unigram^0.75 distribution
//   (8 bytes per word, in cache for vocabularies up to ~100k) instead of a 10^8-entry table
//   (400 MB, a cache miss per draw); the distribution is the same to within 2^-32.
// - σ comes from a 1000-entry table over [-6, 6] like word2vec.c's, sampled at the middle of
//   each bin and indexed with the exact scale (word2vec.c's integer 1000/6/2 = 83 shifts its
//   bins). Beyond ±6 the gradient is saturated as in word2vec.c.
// - Random numbers are SplitMix64 (augment::Rng's generator, inlined here) seeded by (seed,
//   thread), not an LCG whose low bits pick the window.
// - No "</s>" word: a line is a sentence, and negatives are never the line break.
// Weights live in two shared float arrays (rows padded to a multiple of 8 floats so the
// kernels need no scalar tail); threads update them without locks (Hogwild). Training is bound
// by cache misses on the negatives' output rows, so an example's negatives are drawn first and
// their rows prefetched: on WordNet glosses that took skip-gram from 290k to 620k words/s.
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <mutex>
#include <string>
#include <thread>

#include "augment/core/error.hpp"
#include "augment/core/rng.hpp"
#include "augment/embed/word2vec.hpp"
#include "vector_math.hpp"

namespace augment::embed {
namespace {

using detail::kLanes;

constexpr std::size_t kAlphaEvery = 10'000;      // words between learning-rate updates (word2vec.c)
constexpr std::size_t kProgressEvery = 100'000;  // words between progress reports, per thread

/// SplitMix64 counter stream: the i-th output is mix64(key + i·φ), as augment::Rng::next_u64.
class Stream {
 public:
  explicit Stream(std::uint64_t key) : key_(key) {}
  std::uint64_t next() {
    std::uint64_t x = key_ + (++counter_) * 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
  }
  /// Uniform in [0, 1), 53 bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t key_;
  std::uint64_t counter_ = 0;
};

/// Walker/Vose alias table over the unigram^0.75 distribution: one draw, two lookups.
class NegativeSampler {
 public:
  explicit NegativeSampler(const std::vector<std::uint64_t>& counts) : cells_(counts.size()) {
    const std::size_t n = counts.size();
    std::vector<double> scaled(n);
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) total += scaled[i] = std::pow(static_cast<double>(counts[i]), 0.75);
    for (double& p : scaled) p *= static_cast<double>(n) / total;
    std::vector<std::uint32_t> small, large;
    for (std::size_t i = n; i-- > 0;) (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
    while (!small.empty() && !large.empty()) {
      const std::uint32_t s = small.back(), l = large.back();
      small.pop_back();
      cells_[s] = {threshold_of(scaled[s]), l};
      scaled[l] -= 1.0 - scaled[s];
      if (scaled[l] < 1.0) {
        large.pop_back();
        small.push_back(l);
      }
    }
    // What is left holds probability 1 (up to rounding): its alias is itself.
    for (std::uint32_t i : small) cells_[i] = {0, i};
    for (std::uint32_t i : large) cells_[i] = {0, i};
  }

  std::uint32_t draw(std::uint64_t random) const {
    const auto cell = static_cast<std::size_t>((random >> 32) * cells_.size() >> 32);
    const Cell& c = cells_[cell];
    return (random & 0xFFFFFFFFu) < c.threshold ? static_cast<std::uint32_t>(cell) : c.alias;
  }

 private:
  static std::uint32_t threshold_of(double p) {  // p < 1
    return static_cast<std::uint32_t>(std::min(std::ldexp(p, 32), 4294967295.0));
  }
  struct Cell {
    std::uint32_t threshold;  // keep the cell's own word when the low 32 random bits are below
    std::uint32_t alias;
  };
  std::vector<Cell> cells_;
};

/// σ(x) and the two losses −log σ(x), −log σ(−x) on 1000 bins over [-6, 6].
class SigmoidTable {
 public:
  static constexpr int kSize = 1000;
  static constexpr float kMaxExp = 6;
  SigmoidTable() {
    for (int i = 0; i < kSize; ++i) {
      const double x = (i + 0.5) / kSize * 2 * kMaxExp - kMaxExp;
      sigmoid_[i] = static_cast<float>(1 / (1 + std::exp(-x)));
      loss_positive_[i] = static_cast<float>(softplus(-x));
      loss_negative_[i] = static_cast<float>(softplus(x));
    }
  }
  /// −log σ(x) = log(1 + e^−x), stable for any x.
  static double softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }
  static int bin(float x) { return std::min(kSize - 1, static_cast<int>((x + kMaxExp) * (kSize / (2 * kMaxExp)))); }
  float sigmoid(int bin) const { return sigmoid_[bin]; }
  float loss(int bin, bool positive) const { return positive ? loss_positive_[bin] : loss_negative_[bin]; }

 private:
  std::array<float, kSize> sigmoid_{}, loss_positive_{}, loss_negative_{};
};

struct Model {
  std::size_t dims = 0, stride = 0;  // stride: dims rounded up to kLanes
  std::vector<float> input, output;  // vocabulary × stride each
  float* in_row(std::uint32_t word) { return input.data() + std::size_t{word} * stride; }
  float* out_row(std::uint32_t word) { return output.data() + std::size_t{word} * stride; }
};

struct LossSum {
  double sum = 0;
  std::uint64_t examples = 0;
};

/// What every thread reads; `words_done` and the reporting state are shared.
struct Shared {
  const Corpus& corpus;
  const Word2VecOptions& options;
  Model& model;
  const NegativeSampler& sampler;
  const SigmoidTable& sigmoid;
  std::vector<double> keep_probability;  // per word, word2vec.c's subsampling
  double start_alpha = 0;
  std::uint64_t total_words = 0;  // epochs × corpus
  std::size_t threads = 1;
  std::atomic<std::uint64_t> words_done{0};
  std::atomic<bool> stop{false};
  const std::function<void(const TrainingProgress&)>& on_progress;
  std::chrono::steady_clock::time_point started;
  std::mutex report_mutex;
  LossSum since_report;  // guarded by report_mutex
  std::exception_ptr failure;

  double alpha_now() const {
    const double done = static_cast<double>(words_done.load(std::memory_order_relaxed));
    return std::max(start_alpha * (1 - done / static_cast<double>(total_words + 1)), start_alpha * 1e-4);
  }
};

/// One positive target and its negatives against the hidden vector `hidden` (an input row for
/// skip-gram, the context mean for CBOW): updates the output rows, accumulates the hidden
/// vector's gradient in `gradient`, returns the example's loss.
inline double train_example(Shared& s, Stream& random, std::uint32_t positive, const float* __restrict hidden,
                            float* __restrict gradient, float alpha) {
  Model& m = s.model;
  const std::size_t n = m.stride;
  // Draw the negatives first (the same numbers, in the same order, as drawing each in turn) so
  // their rows, scattered over the output matrix, are fetched while the positive is trained.
  constexpr std::size_t kMaxBatch = 64;
  std::uint32_t targets[kMaxBatch];
  std::size_t count = 0;
  double loss = 0;
  for (std::size_t d = 0; d <= s.options.negative;) {
    const bool first_batch = d == 0;
    count = 0;
    for (; d <= s.options.negative && count < kMaxBatch; ++d) {
      const std::uint32_t target = d == 0 ? positive : s.sampler.draw(random.next());
      if (d > 0 && target == positive) continue;  // word2vec.c skips it
      targets[count++] = target;
      const char* row = reinterpret_cast<const char*>(m.out_row(target));
      for (std::size_t byte = 0; byte < n * sizeof(float); byte += 64) __builtin_prefetch(row + byte, 1);
    }
    for (std::size_t t = 0; t < count; ++t) {
      const std::uint32_t target = targets[t];
      const bool label = first_batch && t == 0;  // the positive leads the first batch
      float* __restrict out = m.out_row(target);
      const float f = detail::dot(hidden, out, n);
      float g;
      if (f > SigmoidTable::kMaxExp) {
        g = label ? 0.0f : -alpha;
        loss += label ? SigmoidTable::softplus(-f) : SigmoidTable::softplus(f);
      } else if (f < -SigmoidTable::kMaxExp) {
        g = label ? alpha : 0.0f;
        loss += label ? SigmoidTable::softplus(-f) : SigmoidTable::softplus(f);
      } else {
        const int bin = SigmoidTable::bin(f);
        g = (static_cast<float>(label) - s.sigmoid.sigmoid(bin)) * alpha;
        loss += s.sigmoid.loss(bin, label);
      }
      detail::axpy(g, out, gradient, n);
      detail::axpy(g, hidden, out, n);
    }
  }
  return loss;
}

void train_skipgram_sentence(Shared& s, Stream& random, const std::uint32_t* sentence, std::size_t length,
                             float alpha, float* gradient, LossSum& loss) {
  const std::size_t window = s.options.window;
  const std::size_t n = s.model.stride;
  for (std::size_t pos = 0; pos < length; ++pos) {
    const std::size_t reach = window - random.next() % window;  // word2vec.c's b: 1..window
    const std::size_t begin = pos >= reach ? pos - reach : 0;
    const std::size_t end = std::min(length, pos + reach + 1);
    for (std::size_t c = begin; c < end; ++c) {
      if (c == pos) continue;
      // As word2vec.c: the context word's input row predicts the centre word.
      float* in = s.model.in_row(sentence[c]);
      detail::zero(gradient, n);
      loss.sum += train_example(s, random, sentence[pos], in, gradient, alpha);
      ++loss.examples;
      detail::add(gradient, in, n);
    }
  }
}

void train_cbow_sentence(Shared& s, Stream& random, const std::uint32_t* sentence, std::size_t length, float alpha,
                         float* hidden, float* gradient, LossSum& loss) {
  const std::size_t window = s.options.window;
  const std::size_t n = s.model.stride;
  for (std::size_t pos = 0; pos < length; ++pos) {
    const std::size_t reach = window - random.next() % window;
    const std::size_t begin = pos >= reach ? pos - reach : 0;
    const std::size_t end = std::min(length, pos + reach + 1);
    if (end - begin < 2) continue;  // no context
    detail::zero(hidden, n);
    for (std::size_t c = begin; c < end; ++c)
      if (c != pos) detail::add(s.model.in_row(sentence[c]), hidden, n);
    detail::scale(1.0f / static_cast<float>(end - begin - 1), hidden, n);  // cbow_mean
    detail::zero(gradient, n);
    loss.sum += train_example(s, random, sentence[pos], hidden, gradient, alpha);
    ++loss.examples;
    // As word2vec.c (and gensim with cbow_mean): every context row gets the whole gradient.
    for (std::size_t c = begin; c < end; ++c)
      if (c != pos) detail::add(gradient, s.model.in_row(sentence[c]), n);
  }
}

struct ThreadResult {
  std::uint64_t trained_words = 0;
  LossSum last_epoch;
};

void report(Shared& s, std::size_t epoch, LossSum& pending) {
  std::lock_guard lock(s.report_mutex);
  s.since_report.sum += pending.sum;
  s.since_report.examples += pending.examples;
  pending = {};
  if (!s.on_progress) return;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - s.started).count();
  const double done = static_cast<double>(s.words_done.load(std::memory_order_relaxed));
  TrainingProgress progress;
  progress.fraction = std::min(1.0, done / static_cast<double>(s.total_words));
  progress.epoch = epoch;
  progress.words_per_second = seconds > 0 ? done / seconds / static_cast<double>(s.threads) : 0;
  progress.alpha = s.alpha_now();
  progress.loss = s.since_report.examples ? s.since_report.sum / static_cast<double>(s.since_report.examples) : 0;
  s.since_report = {};
  s.on_progress(progress);
}

/// word2vec.c's TrainModelThread: every epoch over this thread's slice of sentences.
void train_thread(Shared& s, std::size_t first_sentence, std::size_t last_sentence,
                  std::uint64_t stream_key, ThreadResult& result) {
  const Corpus& corpus = s.corpus;
  const bool cbow = s.options.model == Word2VecModel::cbow;
  Stream random(stream_key);
  std::vector<std::uint32_t> sentence;
  std::vector<float> hidden(s.model.stride), gradient(s.model.stride);
  std::size_t words_since_alpha = 0, words_since_report = 0;
  float alpha = static_cast<float>(s.alpha_now());
  LossSum pending;
  for (std::size_t epoch = 0; epoch < s.options.epochs; ++epoch) {
    LossSum epoch_loss;
    for (std::size_t i = first_sentence; i < last_sentence; ++i) {
      if (s.stop.load(std::memory_order_relaxed)) return;
      const std::size_t begin = corpus.sentence_starts[i];
      const std::size_t end = i + 1 < corpus.sentence_starts.size() ? corpus.sentence_starts[i + 1] : corpus.ids.size();
      sentence.clear();
      for (std::size_t t = begin; t < end; ++t) {
        const std::uint32_t word = corpus.ids[t];
        const double keep = s.keep_probability[word];
        if (keep < 1 && !(random.uniform() < keep)) continue;
        sentence.push_back(word);
      }
      LossSum loss;
      if (cbow)
        train_cbow_sentence(s, random, sentence.data(), sentence.size(), alpha, hidden.data(), gradient.data(), loss);
      else
        train_skipgram_sentence(s, random, sentence.data(), sentence.size(), alpha, gradient.data(), loss);
      result.trained_words += sentence.size();
      epoch_loss.sum += loss.sum;
      epoch_loss.examples += loss.examples;
      pending.sum += loss.sum;
      pending.examples += loss.examples;
      words_since_alpha += end - begin;
      if (words_since_alpha >= kAlphaEvery) {
        s.words_done.fetch_add(words_since_alpha, std::memory_order_relaxed);
        words_since_report += words_since_alpha;
        words_since_alpha = 0;
        alpha = static_cast<float>(s.alpha_now());
        if (words_since_report >= kProgressEvery) {
          words_since_report = 0;
          report(s, epoch, pending);
        }
      }
    }
    if (epoch + 1 == s.options.epochs) result.last_epoch = epoch_loss;
  }
  s.words_done.fetch_add(words_since_alpha, std::memory_order_relaxed);
}

void check(const Word2VecOptions& o, const Corpus& corpus) {
  auto bad = [](const std::string& what) { throw UsageError("word2vec: " + what); };
  if (o.dims == 0) bad("dims must be > 0");
  if (o.window == 0) bad("window must be > 0");
  if (o.negative == 0) bad("negative must be > 0 (only negative sampling is implemented)");
  if (o.epochs == 0) bad("epochs must be > 0");
  if (!(o.sample >= 0)) bad("sample must be >= 0");
  if (!(o.alpha > 0) && o.alpha != -1) bad("alpha must be > 0 (or -1 for the model's default)");
  if (corpus.words.empty() || corpus.ids.empty() || corpus.sentence_starts.empty()) bad("the corpus is empty");
  if (corpus.counts.size() != corpus.words.size()) bad("corpus counts and words differ in size");
  for (std::uint32_t id : corpus.ids)
    if (id >= corpus.words.size()) bad("corpus word id " + std::to_string(id) + " out of range");
}

}  // namespace

Embeddings train_word2vec(const Corpus& corpus, const Word2VecOptions& options, TrainingSummary* summary,
                          const std::function<void(const TrainingProgress&)>& on_progress) {
  check(options, corpus);
  const auto started = std::chrono::steady_clock::now();
  const std::size_t vocabulary = corpus.words.size();
  const std::size_t threads =
      options.threads ? options.threads : std::max<std::size_t>(1, std::thread::hardware_concurrency());

  Model model;
  model.dims = options.dims;
  model.stride = (options.dims + kLanes - 1) / kLanes * kLanes;
  model.input.assign(vocabulary * model.stride, 0.0f);
  model.output.assign(vocabulary * model.stride, 0.0f);
  const Rng base(mix64(options.seed));
  {
    // word2vec.c: input rows uniform in [-0.5, 0.5) / dims, output rows zero.
    Rng init = base.fork(0);
    for (std::size_t w = 0; w < vocabulary; ++w)
      for (std::size_t j = 0; j < model.dims; ++j)
        model.input[w * model.stride + j] = static_cast<float>((init.uniform() - 0.5) / static_cast<double>(model.dims));
  }

  const NegativeSampler sampler(corpus.counts);
  const SigmoidTable sigmoid;
  Shared shared{.corpus = corpus,
                .options = options,
                .model = model,
                .sampler = sampler,
                .sigmoid = sigmoid,
                .keep_probability = std::vector<double>(vocabulary, 1.0),
                .start_alpha = options.alpha > 0 ? options.alpha
                                                 : (options.model == Word2VecModel::cbow ? 0.05 : 0.025),
                .total_words = static_cast<std::uint64_t>(options.epochs) * corpus.ids.size(),
                .threads = threads,
                .on_progress = on_progress,
                .started = started};
  if (options.sample > 0) {
    // word2vec.c: keep with probability (sqrt(f / (s·N)) + 1) · (s·N) / f, N the kept tokens.
    const double threshold = options.sample * static_cast<double>(corpus.ids.size());
    for (std::size_t w = 0; w < vocabulary; ++w) {
      const double f = static_cast<double>(corpus.counts[w]);
      shared.keep_probability[w] = (std::sqrt(f / threshold) + 1) * threshold / f;
    }
  }

  // Thread t takes the sentences that start in its share [t·N/T, (t+1)·N/T) of the tokens.
  std::vector<std::size_t> first_sentence(threads + 1);
  const std::size_t tokens = corpus.ids.size();
  for (std::size_t t = 0; t <= threads; ++t) {
    const std::size_t from = tokens / threads * t + tokens % threads * t / threads;
    first_sentence[t] = static_cast<std::size_t>(
        std::lower_bound(corpus.sentence_starts.begin(), corpus.sentence_starts.end(), from) -
        corpus.sentence_starts.begin());
  }
  first_sentence[threads] = corpus.sentence_starts.size();

  std::vector<ThreadResult> results(threads);
  auto run = [&](std::size_t t) {
    try {
      train_thread(shared, first_sentence[t], first_sentence[t + 1], base.fork(1 + t).key(), results[t]);
    } catch (...) {
      std::lock_guard lock(shared.report_mutex);
      if (!shared.failure) shared.failure = std::current_exception();
      shared.stop = true;
    }
  };
  if (threads == 1) {
    run(0);
  } else {
    std::vector<std::thread> workers;
    workers.reserve(threads);
    for (std::size_t t = 0; t < threads; ++t) workers.emplace_back(run, t);
    for (std::thread& w : workers) w.join();
  }
  if (shared.failure) std::rethrow_exception(shared.failure);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  std::vector<float> vectors(vocabulary * model.dims);
  for (std::size_t w = 0; w < vocabulary; ++w)
    for (std::size_t j = 0; j < model.dims; ++j) {
      const float v = model.input[w * model.stride + j];
      if (!std::isfinite(v))
        throw Error("word2vec: training diverged (a non-finite weight); try a smaller alpha");
      vectors[w * model.dims + j] = v;
    }

  if (summary) {
    LossSum last;
    std::uint64_t trained = 0;
    for (const ThreadResult& r : results) {
      trained += r.trained_words;
      last.sum += r.last_epoch.sum;
      last.examples += r.last_epoch.examples;
    }
    summary->corpus_words = corpus.tokens_read;
    summary->vocabulary = vocabulary;
    summary->trained_words = trained;
    summary->seconds = seconds;
    summary->words_per_second_per_thread =
        seconds > 0 ? static_cast<double>(shared.total_words) / seconds / static_cast<double>(threads) : 0;
    summary->final_loss = last.examples ? last.sum / static_cast<double>(last.examples) : 0;
  }
  return Embeddings(corpus.words, model.dims, std::move(vectors));
}

}  // namespace augment::embed
