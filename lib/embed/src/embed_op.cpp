#include "augment/embed/embed_op.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <mutex>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "augment/core/error.hpp"
#include "augment/features/feature_vector.hpp"
#include "augment/text/normalize.hpp"

namespace augment::embed {
namespace {

Pool parse_pool(const std::string& name) {
  if (name == "max") return Pool::max;
  if (name == "tfidf_mean") return Pool::tfidf_mean;
  if (name == "sequence") return Pool::sequence;
  return Pool::mean;
}

double smooth_idf(std::uint64_t documents, std::uint64_t df) {
  return std::log((static_cast<double>(documents) + 1.0) / (static_cast<double>(df) + 1.0)) + 1.0;
}

std::vector<std::size_t> indexes_of(const Embeddings& vectors, const text::Tokens& tokens, bool lowercase) {
  std::vector<std::size_t> out;
  for (const text::Token& piece : tokens.pieces) {
    if (!piece.is_word) continue;
    const std::size_t w = vectors.find(lowercase ? text::lower_case(piece.text) : piece.text);
    if (w != Embeddings::npos) out.push_back(w);
  }
  return out;
}

// Document frequencies of the vocabulary's words over the documents added.
class DocumentFrequencyFitter final : public Fitter {
 public:
  DocumentFrequencyFitter(std::shared_ptr<const Embeddings> vectors, bool lowercase)
      : vectors_(std::move(vectors)), lowercase_(lowercase), df_(vectors_->size(), 0) {}

  void add(const Sample& sample) override {
    std::vector<std::size_t> words = indexes_of(*vectors_, text::tokens_of(sample), lowercase_);
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    for (std::size_t w : words) ++df_[w];
    ++documents_;
  }

  void merge(const Fitter& other) override {
    const auto& theirs = dynamic_cast<const DocumentFrequencyFitter&>(other);
    for (std::size_t w = 0; w < df_.size(); ++w) df_[w] += theirs.df_[w];
    documents_ += theirs.documents_;
  }

  nlohmann::json state() const override {
    if (documents_ == 0) throw std::invalid_argument("no documents to fit on");
    nlohmann::json vocabulary = nlohmann::json::array(), idf = nlohmann::json::array();
    for (std::size_t w = 0; w < df_.size(); ++w) {
      if (df_[w] == 0) continue;
      vocabulary.push_back(vectors_->words()[w]);
      idf.push_back(smooth_idf(documents_, df_[w]));
    }
    return {{"vocabulary", std::move(vocabulary)}, {"idf", std::move(idf)}, {"documents", documents_}};
  }

 private:
  std::shared_ptr<const Embeddings> vectors_;
  bool lowercase_;
  std::vector<std::uint64_t> df_;
  std::uint64_t documents_ = 0;
};

[[noreturn]] void bad_state(const std::string& what) { throw std::invalid_argument(what); }

}  // namespace

std::shared_ptr<const Embeddings> shared_vectors(const std::filesystem::path& file) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (!fs::exists(file, error)) throw std::invalid_argument("vectors: no such file '" + file.string() + "'");
  if (!fs::is_regular_file(file, error)) throw std::invalid_argument("vectors: '" + file.string() + "' is not a file");
  const std::string key = fs::absolute(file).lexically_normal().string();
  // One lock for the whole cache: loads are rare (one per path while a pipeline holds it), and
  // holding it while loading means two stages naming one file never load it twice.
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<const Embeddings>> cache;
  const std::lock_guard lock(mutex);
  if (auto shared = cache[key].lock()) return shared;
  std::shared_ptr<const Embeddings> loaded;
  try {
    loaded = std::make_shared<const Embeddings>(Embeddings::load(file));
  } catch (const DataError& e) {
    throw std::invalid_argument(std::string("vectors: ") + e.what());
  }
  cache[key] = loaded;
  return loaded;
}

// The trainer's lower-casing (corpus.cpp), so words meet the vocabulary as it was built.

Embed::Embed(const OpInfo& info, const nlohmann::json& settings)
    : Transform(info, settings),
      vectors_(shared_vectors(settings["vectors"].get<std::string>())),
      pool_(parse_pool(settings["pool"].get<std::string>())),
      lowercase_(settings["lowercase"].get<bool>()),
      max_words_(settings["max_words"].is_null() ? 0 : settings["max_words"].get<std::size_t>()) {}

std::vector<std::size_t> Embed::word_indexes(const text::Tokens& tokens) const {
  return indexes_of(*vectors_, tokens, lowercase_);
}

std::vector<double> Embed::vectorize(const text::Tokens& tokens) const {
  if (!is_fitted()) throw UsageError("embed: pool tfidf_mean is not fitted; run `augment fit` first or give its state");
  const std::size_t dims = vectors_->dims();
  const std::vector<std::size_t> words = word_indexes(tokens);
  if (pool_ == Pool::sequence) {
    const std::size_t n = max_words_ > 0 ? std::min(words.size(), max_words_) : words.size();
    std::vector<double> out((max_words_ > 0 ? max_words_ : n) * dims, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const auto v = vectors_->vector(words[i]);
      std::copy(v.begin(), v.end(), out.begin() + static_cast<std::ptrdiff_t>(i * dims));
    }
    return out;
  }
  std::vector<double> out(dims, 0.0);
  if (words.empty()) return out;
  if (pool_ == Pool::max) {
    const auto first = vectors_->vector(words.front());
    std::copy(first.begin(), first.end(), out.begin());
    for (std::size_t w : words) {
      const auto v = vectors_->vector(w);
      for (std::size_t j = 0; j < dims; ++j) out[j] = std::max(out[j], static_cast<double>(v[j]));
    }
    return out;
  }
  // mean, or tfidf_mean: each occurrence weighted by its word's idf (so a word's weight is tf × idf).
  double total = 0;
  for (std::size_t w : words) {
    const double weight = pool_ == Pool::tfidf_mean ? idf_[w] : 1.0;
    const auto v = vectors_->vector(w);
    for (std::size_t j = 0; j < dims; ++j) out[j] += weight * static_cast<double>(v[j]);
    total += weight;
  }
  for (double& x : out) x /= total;
  return out;
}

void Embed::apply(Sample& sample, const nlohmann::json&) const {
  sample = features::make_sample(vectorize(text::tokens_of(sample)));
}

std::unique_ptr<Fitter> Embed::make_fitter() const {
  if (pool_ != Pool::tfidf_mean) return nullptr;
  return std::make_unique<DocumentFrequencyFitter>(vectors_, lowercase_);
}

nlohmann::json Embed::state() const {
  if (pool_ != Pool::tfidf_mean || documents_ == 0) return nullptr;
  return {{"vocabulary", fitted_words_}, {"idf", fitted_idf_}, {"documents", documents_}};
}

void Embed::set_state(const nlohmann::json& state) {
  if (pool_ != Pool::tfidf_mean) bad_state("only pool tfidf_mean has a fitted state");
  if (!state.is_object()) bad_state("state must be an object {vocabulary, idf, documents}, got " + state.dump());
  for (const char* key : {"vocabulary", "idf"})
    if (!state.contains(key) || !state[key].is_array()) bad_state(std::string("state needs a list \"") + key + "\"");
  if (!state.contains("documents") || !state["documents"].is_number_unsigned() || state["documents"].get<std::uint64_t>() == 0)
    bad_state("state needs \"documents\", the number of documents fitted on (a whole number >= 1)");
  const auto& vocabulary = state["vocabulary"];
  const auto& idf = state["idf"];
  if (idf.size() != vocabulary.size())
    bad_state("state \"idf\" has " + std::to_string(idf.size()) + " values, the vocabulary " +
              std::to_string(vocabulary.size()) + " words");
  const auto documents = state["documents"].get<std::uint64_t>();
  std::vector<double> by_index(vectors_->size(), smooth_idf(documents, 0));
  std::vector<std::string> words;
  std::vector<double> values;
  std::unordered_set<std::string> seen;
  for (std::size_t i = 0; i < vocabulary.size(); ++i) {
    if (!vocabulary[i].is_string() || vocabulary[i].get_ref<const std::string&>().empty())
      bad_state("state \"vocabulary\" must hold non-empty strings, got " + vocabulary[i].dump() + " at " + std::to_string(i));
    const std::string& word = vocabulary[i].get_ref<const std::string&>();
    if (!seen.insert(word).second) bad_state("state \"vocabulary\" repeats \"" + word + "\"");
    if (!idf[i].is_number() || !std::isfinite(idf[i].get<double>()) || idf[i].get<double>() <= 0)
      bad_state("state \"idf\" must hold finite positive numbers, got " + idf[i].dump() + " at " + std::to_string(i));
    // Words the vectors do not have never weigh anything; they are kept so the state round-trips.
    if (const std::size_t w = vectors_->find(word); w != Embeddings::npos) by_index[w] = idf[i].get<double>();
    words.push_back(word);
    values.push_back(idf[i].get<double>());
  }
  idf_ = std::move(by_index);
  fitted_words_ = std::move(words);
  fitted_idf_ = std::move(values);
  documents_ = documents;
}

OpInfo embed_op() {
  return {
      .name = "embed",
      .input = Kind::tokens,
      .output = Kind::features,
      .doc = "Tokens → the mean, max, tf-idf weighted mean (fitted) or sequence of their word vectors (a "
             "word2vec text or binary file); out-of-vocabulary words are skipped, none at all gives zeros.",
      .params = {{.name = "vectors", .type = ParamType::string, .required = true,
                  .doc = "word2vec file (text or binary), relative to the working directory; read once per process"},
                 {.name = "pool", .type = ParamType::string, .default_value = "mean",
                  .choices = {"mean", "max", "tfidf_mean", "sequence"},
                  .doc = "mean, element-wise max, idf-weighted mean (fitted), or the vectors one after another"},
                 {.name = "lowercase", .type = ParamType::boolean, .default_value = true,
                  .doc = "look words up lower-cased (ICU, as bag_of_words)"},
                 {.name = "max_words", .type = ParamType::integer, .default_value = nullptr, .minimum = 1.0,
                  .doc = "sequence: exactly this many word vectors, the first ones, zero-padded; none: all"}},
      .fittable = true,
      .check =
          [](const nlohmann::json& settings) {
            if (!settings["max_words"].is_null() && settings["pool"] != "sequence")
              throw std::invalid_argument("max_words applies only to pool \"sequence\", not " + settings["pool"].dump());
          },
      .create = make_transform<Embed>,
  };
}

}  // namespace augment::embed
