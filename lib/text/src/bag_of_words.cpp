#include "augment/text/bag_of_words.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <stdexcept>

#include "augment/core/error.hpp"
#include "augment/features/feature_vector.hpp"
#include "augment/text/normalize.hpp"
#include "icu_text.hpp"

namespace augment::text {
namespace {

std::size_t code_points(std::string_view utf8) {
  return static_cast<std::size_t>(
      std::count_if(utf8.begin(), utf8.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::optional<double> optional_number(const nlohmann::json& settings, const char* key) {
  if (!settings.contains(key) || settings[key].is_null()) return std::nullopt;
  return settings[key].get<double>();
}

BagOfWordsOptions options_of(const nlohmann::json& settings) {
  BagOfWordsOptions o;
  o.lowercase = settings["lowercase"].get<bool>();
  o.min_token_length = settings["min_token_length"].get<std::size_t>();
  o.ngram_min = static_cast<std::size_t>(settings["ngram_range"][0].get<double>());
  o.ngram_max = static_cast<std::size_t>(settings["ngram_range"][1].get<double>());
  o.char_wb = settings["analyzer"] == "char_wb";
  return o;
}

// A document-frequency bound: a whole number >= 1 is a count, a number in [0, 1) a proportion.
double document_bound(double value, std::uint64_t documents) {
  return value >= 1.0 ? value : value * static_cast<double>(documents);
}

struct TermStats {
  std::uint64_t documents = 0;  // document frequency
  std::uint64_t count = 0;      // total occurrences
};

struct VocabularyLimits {
  double min_df = 1.0;
  std::optional<double> max_df;
  std::optional<std::size_t> max_features;
};

class BagOfWordsFitter final : public Fitter {
 public:
  BagOfWordsFitter(BagOfWordsOptions options, VocabularyLimits limits) : options_(options), limits_(limits) {}

  void add(const Sample& sample) override {
    std::map<std::string, std::uint64_t> counts;
    for (std::string& term : bag_terms(tokens_of(sample), options_)) ++counts[std::move(term)];
    for (auto& [term, count] : counts) {
      TermStats& stats = terms_[term];
      ++stats.documents;
      stats.count += count;
    }
    ++documents_;
  }

  void merge(const Fitter& other) override {
    const auto& theirs = dynamic_cast<const BagOfWordsFitter&>(other);
    for (const auto& [term, stats] : theirs.terms_) {
      TermStats& ours = terms_[term];
      ours.documents += stats.documents;
      ours.count += stats.count;
    }
    documents_ += theirs.documents_;
  }

  nlohmann::json state() const override {
    if (documents_ == 0) throw std::invalid_argument("no documents to fit on");
    const double low = document_bound(limits_.min_df, documents_);
    const double high = limits_.max_df ? document_bound(*limits_.max_df, documents_) : INFINITY;
    if (high < low) throw std::invalid_argument("max_df corresponds to fewer documents than min_df");
    // terms_ is a std::map: already in code-point (UTF-8 byte) order, as sklearn sorts.
    std::vector<const std::pair<const std::string, TermStats>*> kept;
    for (const auto& entry : terms_) {
      const auto df = static_cast<double>(entry.second.documents);
      if (df >= low && df <= high) kept.push_back(&entry);
    }
    if (limits_.max_features && kept.size() > *limits_.max_features) {
      // Most frequent first, ties to the earlier term; then back to vocabulary order.
      std::stable_sort(kept.begin(), kept.end(), [](auto* a, auto* b) { return a->second.count > b->second.count; });
      kept.resize(*limits_.max_features);
      std::sort(kept.begin(), kept.end(), [](auto* a, auto* b) { return a->first < b->first; });
    }
    if (kept.empty()) throw std::invalid_argument("after pruning, no terms remain; try a lower min_df or a higher max_df");
    nlohmann::json vocabulary = nlohmann::json::array(), idf = nlohmann::json::array();
    const double n = static_cast<double>(documents_);
    for (const auto* entry : kept) {
      vocabulary.push_back(entry->first);
      // smooth_idf: as if one more document held every term once.
      idf.push_back(std::log((n + 1.0) / (static_cast<double>(entry->second.documents) + 1.0)) + 1.0);
    }
    return {{"vocabulary", std::move(vocabulary)}, {"idf", std::move(idf)}, {"documents", documents_}};
  }

 private:
  BagOfWordsOptions options_;
  VocabularyLimits limits_;
  std::map<std::string, TermStats, std::less<>> terms_;
  std::uint64_t documents_ = 0;
};

[[noreturn]] void bad_state(const std::string& what) { throw std::invalid_argument(what); }

// scikit-learn's _char_wb_ngrams over code points, word by word.
std::vector<std::string> char_wb_terms(const Tokens& tokens, const BagOfWordsOptions& options) {
  std::vector<std::string> terms;
  std::vector<std::size_t> starts;  // byte offset of each code point, and the end
  for (const Token& piece : tokens.pieces) {
    if (!piece.is_word) continue;
    const std::string word = " " + (options.lowercase ? lower_case(piece.text) : piece.text) + " ";
    starts.clear();
    for (std::size_t i = 0; i < word.size(); ++i)
      if ((static_cast<unsigned char>(word[i]) & 0xC0) != 0x80) starts.push_back(i);
    const std::size_t length = starts.size();
    starts.push_back(word.size());
    for (std::size_t n = options.ngram_min; n <= options.ngram_max; ++n) {
      if (length <= n) {  // the whole padded word, once, and no longer n
        terms.push_back(word);
        break;
      }
      for (std::size_t at = 0; at + n <= length; ++at) terms.push_back(word.substr(starts[at], starts[at + n] - starts[at]));
    }
  }
  return terms;
}

}  // namespace

std::vector<std::string> bag_terms(const Tokens& tokens, const BagOfWordsOptions& options) {
  if (options.char_wb) return char_wb_terms(tokens, options);
  std::vector<std::string> words;
  for (const Token& piece : tokens.pieces) {
    if (!piece.is_word) continue;
    std::string word = options.lowercase ? lower_case(piece.text) : piece.text;
    if (code_points(word) >= options.min_token_length) words.push_back(std::move(word));
  }
  if (options.ngram_min == 1 && options.ngram_max == 1) return words;
  std::vector<std::string> terms;
  for (std::size_t n = options.ngram_min; n <= options.ngram_max && n <= words.size(); ++n) {
    for (std::size_t i = 0; i + n <= words.size(); ++i) {
      std::string term = words[i];
      for (std::size_t k = i + 1; k < i + n; ++k) term.append(" ").append(words[k]);
      terms.push_back(std::move(term));
    }
  }
  return terms;
}

BagOfWords::BagOfWords(const OpInfo& info, const nlohmann::json& settings)
    : Transform(info, settings),
      options_(options_of(settings)),
      mode_(settings["mode"] == "tfidf" ? BagMode::tfidf : settings["mode"] == "binary" ? BagMode::binary : BagMode::counts),
      sublinear_tf_(settings["sublinear_tf"].get<bool>()),
      l2_norm_(settings["norm"] == "l2") {}

std::vector<double> BagOfWords::vectorize(const Tokens& tokens) const {
  if (!is_fitted()) throw UsageError("bag_of_words: not fitted; run `augment fit` first or give its state");
  std::vector<double> row(vocabulary_.size(), 0.0);
  for (const std::string& term : bag_terms(tokens, options_))
    if (const auto it = index_.find(term); it != index_.end()) row[it->second] += 1.0;
  if (mode_ == BagMode::binary) {
    for (double& v : row) v = v > 0 ? 1.0 : 0.0;
  } else if (mode_ == BagMode::tfidf) {
    double squares = 0;
    for (std::size_t j = 0; j < row.size(); ++j) {
      if (row[j] == 0) continue;
      row[j] = (sublinear_tf_ ? 1.0 + std::log(row[j]) : row[j]) * idf_[j];
      squares += row[j] * row[j];
    }
    if (l2_norm_ && squares > 0) {
      const double norm = std::sqrt(squares);
      for (double& v : row) v /= norm;
    }
  }
  return row;
}

void BagOfWords::apply(Sample& sample, const nlohmann::json&) const {
  sample = features::make_sample(vectorize(tokens_of(sample)));
}

std::unique_ptr<Fitter> BagOfWords::make_fitter() const {
  const nlohmann::json& s = settings();
  VocabularyLimits limits;
  limits.min_df = s["min_df"].get<double>();
  limits.max_df = optional_number(s, "max_df");
  if (const auto max_features = optional_number(s, "max_features"))
    limits.max_features = static_cast<std::size_t>(*max_features);
  return std::make_unique<BagOfWordsFitter>(options_, limits);
}

nlohmann::json BagOfWords::state() const {
  if (!is_fitted()) return nullptr;
  nlohmann::json out = {{"vocabulary", vocabulary_}, {"idf", idf_}};
  if (documents_ > 0) out["documents"] = documents_;
  return out;
}

void BagOfWords::set_state(const nlohmann::json& state) {
  if (!state.is_object()) bad_state("state must be an object {vocabulary, idf, documents}, got " + state.dump());
  if (!state.contains("vocabulary") || !state["vocabulary"].is_array())
    bad_state("state needs a list \"vocabulary\"");
  if (state["vocabulary"].empty()) bad_state("state \"vocabulary\" is empty");
  std::vector<std::string> vocabulary;
  std::unordered_map<std::string, std::size_t> index;
  for (const auto& term : state["vocabulary"]) {
    const std::size_t j = vocabulary.size();
    if (!term.is_string() || term.get_ref<const std::string&>().empty())
      bad_state("state \"vocabulary\" must hold non-empty strings, got " + term.dump() + " at " + std::to_string(j));
    const std::string& text = term.get_ref<const std::string&>();
    // Sorted and unique, as fit writes it: a hand-edited vocabulary out of order is a mistake.
    if (j > 0 && !(vocabulary.back() < text))
      bad_state("state \"vocabulary\" must be sorted by code point without repeats; " + term.dump() + " at " +
                std::to_string(j) + " comes after \"" + vocabulary.back() + "\"");
    // char_wb terms are n code points, or a whole padded word shorter than ngram_min.
    const bool whole_word = options_.char_wb && text.size() >= 2 && text.front() == ' ' && text.back() == ' ';
    if (options_.char_wb && !whole_word && (code_points(text) < options_.ngram_min || code_points(text) > options_.ngram_max))
      bad_state("state \"vocabulary\" term " + term.dump() + " has " + std::to_string(code_points(text)) +
                " characters, outside ngram_range [" + std::to_string(options_.ngram_min) + ", " +
                std::to_string(options_.ngram_max) + "] of char_wb");
    const std::size_t words = static_cast<std::size_t>(std::count(text.begin(), text.end(), ' ')) + 1;
    if (!options_.char_wb && (words < options_.ngram_min || words > options_.ngram_max))
      bad_state("state \"vocabulary\" term " + term.dump() + " has " + std::to_string(words) +
                " words, outside ngram_range [" + std::to_string(options_.ngram_min) + ", " +
                std::to_string(options_.ngram_max) + "]");
    index.emplace(text, j);
    vocabulary.push_back(text);
  }
  if (!state.contains("idf") || !state["idf"].is_array()) bad_state("state needs a list \"idf\"");
  std::vector<double> idf;
  for (const auto& v : state["idf"]) {
    if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() <= 0)
      bad_state("state \"idf\" must hold finite positive numbers, got " + v.dump());
    idf.push_back(v.get<double>());
  }
  if (idf.size() != vocabulary.size())
    bad_state("state \"idf\" has " + std::to_string(idf.size()) + " values, the vocabulary " +
              std::to_string(vocabulary.size()) + " terms");
  std::uint64_t documents = 0;
  if (state.contains("documents")) {
    if (!state["documents"].is_number_unsigned())
      bad_state("state \"documents\" must be a whole number, got " + state["documents"].dump());
    documents = state["documents"].get<std::uint64_t>();
  }
  vocabulary_ = std::move(vocabulary);
  idf_ = std::move(idf);
  index_ = std::move(index);
  documents_ = documents;
}

OpInfo bag_of_words_op() {
  return {
      .name = "bag_of_words",
      .input = Kind::tokens,
      .output = Kind::features,
      .doc = "Tokens → document-term vector over a fitted vocabulary (scikit-learn CountVectorizer / "
             "TfidfVectorizer conventions); fitted, or give state {vocabulary, idf}.",
      .params = {{.name = "mode", .type = ParamType::string, .default_value = "counts",
                  .choices = {"counts", "binary", "tfidf"},
                  .doc = "term counts, 1 for present terms, or tf-idf (smooth idf)"},
                 {.name = "lowercase", .type = ParamType::boolean, .default_value = true,
                  .doc = "lower-case words first (ICU, as Python's str.lower)"},
                 {.name = "min_token_length", .type = ParamType::integer, .default_value = 2, .minimum = 1.0,
                  .doc = "drop shorter words, in code points (2: sklearn's default token_pattern)"},
                 {.name = "analyzer", .type = ParamType::string, .default_value = "word", .choices = {"word", "char_wb"},
                  .doc = "terms are words (and word n-grams), or character n-grams inside space-padded words "
                         "(sklearn's char_wb: robust to typos)"},
                 {.name = "ngram_range", .type = ParamType::number_list, .default_value = {1, 1}, .minimum = 1.0,
                  .doc = "[lo, hi]: n-grams of consecutive words joined by a space, or of characters (char_wb)"},
                 {.name = "min_df", .type = ParamType::number, .default_value = 1, .minimum = 0.0,
                  .doc = "drop terms in fewer documents: a count when whole and >= 1, else a proportion"},
                 {.name = "max_df", .type = ParamType::number, .default_value = nullptr, .minimum = 0.0,
                  .doc = "drop terms in more documents: a count when whole and >= 1, else a proportion; none: no limit"},
                 {.name = "max_features", .type = ParamType::integer, .default_value = nullptr, .minimum = 1.0,
                  .doc = "keep the most frequent terms by total count (ties: the earlier by code point, where "
                         "scikit-learn's order depends on numpy's unstable argsort); none: all"},
                 {.name = "sublinear_tf", .type = ParamType::boolean, .default_value = false,
                  .doc = "tfidf: 1 + ln(count) instead of count"},
                 {.name = "norm", .type = ParamType::string, .default_value = "l2", .choices = {"l2", "none"},
                  .doc = "tfidf: scale each row to unit l2 norm, or not"}},
      .fittable = true,
      .check =
          [](const nlohmann::json& settings) {
            const auto& range = settings["ngram_range"];
            if (range.size() != 2) throw std::invalid_argument("ngram_range must be [lo, hi], got " + range.dump());
            const double lo = range[0].get<double>(), hi = range[1].get<double>();
            if (lo != std::floor(lo) || hi != std::floor(hi) || lo > hi)
              throw std::invalid_argument("ngram_range must be whole numbers with lo <= hi, got " + range.dump());
            for (const char* key : {"min_df", "max_df"}) {
              const auto value = optional_number(settings, key);
              if (value && *value > 1.0 && *value != std::floor(*value))
                throw std::invalid_argument(std::string(key) +
                                            " must be a whole document count (>= 1) or a proportion in [0, 1), got " +
                                            settings[key].dump());
            }
          },
      .create = make_transform<BagOfWords>,
  };
}

}  // namespace augment::text
