#include "augment/embed/synonym_embedding.hpp"

#include <algorithm>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "augment/core/error.hpp"
#include "augment/embed/embed_op.hpp"
#include "augment/text/edit_count.hpp"
#include "augment/text/graphemes.hpp"
#include "augment/text/normalize.hpp"
#include "augment/text/stopwords.hpp"
#include "augment/text/synonym.hpp"
#include "augment/text/utf8.hpp"
#include "augment/text/word_edits.hpp"

namespace augment::embed {
namespace {

bool starts_with_letter(std::string_view word) {
  const auto clusters = text::grapheme_clusters(word);
  return !clusters.empty() && text::classify_cluster(clusters.front()) == text::ClusterClass::letter;
}

}  // namespace

SynonymEmbedding::SynonymEmbedding(const OpInfo& info, const nlohmann::json& settings)
    : Transform(info, settings),
      vectors_(shared_vectors(settings["vectors"].get<std::string>())),
      k_(settings["k"].get<std::size_t>()),
      threshold_(settings["threshold"].get<double>()),
      lowercase_(settings["lowercase"].get<bool>()) {}

std::vector<std::string> SynonymEmbedding::candidates(std::string_view word) const {
  return cached_candidates(lowercase_ ? text::lower_case(word) : std::string(word));
}

const std::vector<std::string>& SynonymEmbedding::cached_candidates(const std::string& key) const {
  {
    const std::shared_lock lock(mutex_);
    if (const auto it = cache_.find(key); it != cache_.end()) return it->second;
  }
  // Computed outside the lock (a scan of the vocabulary); a pure function of the key, so two
  // threads racing on one word compute the same list and the first insert wins.
  std::vector<std::string> out;
  if (vectors_->find(key) != Embeddings::npos) {
    const std::string folded = text::fold_word(key);
    for (const Neighbour& n : vectors_->nearest(key, k_)) {
      if (n.similarity < threshold_) break;  // most similar first
      if (!starts_with_letter(n.word) || text::fold_word(n.word) == folded) continue;
      out.push_back(n.word);
    }
  }
  const std::unique_lock lock(mutex_);
  // References into an unordered_map stay valid across later inserts (rehashing moves buckets,
  // not elements), and entries are never erased.
  return cache_.try_emplace(key, std::move(out)).first->second;
}

nlohmann::json SynonymEmbedding::draw(Rng& rng, const Sample& sample) const {
  const text::Tokens& tokens = text::tokens_of(sample);
  // The shared counting params, with `digits` (not declared here) off: words of letters only.
  nlohmann::json s = settings();
  s["digits"] = false;
  const text::EditCountOptions options = text::edit_count_options(s, rng);
  const std::string stop_language = text::stop_language(s, tokens, info().name);

  std::vector<std::size_t> units;
  std::vector<const std::vector<std::string>*> lists;
  for (std::size_t i : text::eligible_words(tokens, options, stop_language)) {
    const auto& list = cached_candidates(lowercase_ ? text::lower_case(tokens.pieces[i].text) : tokens.pieces[i].text);
    if (list.empty()) continue;
    units.push_back(i);
    lists.push_back(&list);
  }
  const std::size_t count = text::draw_edit_count(rng, options, units.size());
  std::vector<std::size_t> order(units.size());
  for (std::size_t u = 0; u < order.size(); ++u) order[u] = u;
  std::vector<std::pair<std::size_t, std::string>> edits;
  for (std::size_t e = 0; e < count; ++e) {
    std::swap(order[e], order[e + rng.index(order.size() - e)]);  // partial Fisher-Yates
    const auto& list = *lists[order[e]];
    const std::size_t piece = units[order[e]];
    edits.emplace_back(piece, text::match_case(tokens.pieces[piece].text, list[rng.index(list.size())]));
  }
  std::sort(edits.begin(), edits.end());
  nlohmann::json out = nlohmann::json::array();
  for (auto& [piece, word] : edits) out.push_back({piece, std::move(word)});
  return {{"edits", std::move(out)}};
}

void SynonymEmbedding::apply(Sample& sample, const nlohmann::json& params) const {
  text::Tokens& tokens = text::tokens_of(sample);
  const std::string& op = info().name;
  if (!params.is_object() || !params.contains("edits") || !params["edits"].is_array())
    throw UsageError(op + ": params need a list \"edits\" of [piece_index, replacement], got " + params.dump());
  for (const auto& e : params["edits"]) {
    const bool shape = e.is_array() && e.size() == 2 && e[0].is_number_integer() && e[0].get<std::int64_t>() >= 0 &&
                       e[1].is_string();
    if (!shape) throw UsageError(op + ": an edit must be [piece_index, \"replacement\"], got " + e.dump());
    const auto index = e[0].get<std::size_t>();
    if (index >= tokens.pieces.size() || !tokens.pieces[index].is_word)
      throw UsageError(op + ": edit " + e.dump() + " does not name a word piece (the sample has " +
                       std::to_string(tokens.pieces.size()) + " pieces)");
    const auto& word = e[1].get_ref<const std::string&>();
    if (word.empty() || !text::is_valid_utf8(word))
      throw UsageError(op + ": edit " + e.dump() + ": the replacement must be non-empty valid UTF-8");
    tokens.pieces[index].text = word;
    tokens.pieces[index].offset = text::Token::no_offset;
  }
}

OpInfo synonym_embedding_op() {
  std::vector<ParamSpec> params = text::edit_count_params(false);
  // Replacements are words of letters: `digits` would mean nothing here (as in synonym).
  std::erase_if(params, [](const ParamSpec& p) { return p.name == "digits"; });
  params.insert(params.begin(),
                {{.name = "vectors", .type = ParamType::string, .required = true,
                  .doc = "word2vec file (text or binary), relative to the working directory; read once per process"},
                 {.name = "k", .type = ParamType::integer, .default_value = 10, .minimum = 1.0, .maximum = 1000.0,
                  .doc = "how many nearest neighbours of a word are candidates"},
                 {.name = "threshold", .type = ParamType::number, .default_value = 0.5, .minimum = -1.0, .maximum = 1.0,
                  .doc = "the least cosine similarity a candidate needs (0.5: TextFooler's)"},
                 {.name = "lowercase", .type = ParamType::boolean, .default_value = true,
                  .doc = "look words up lower-cased (ICU, as embed); replacements take the word's case"}});
  params.push_back({.name = "skip_stopwords", .type = ParamType::boolean, .default_value = true,
                    .doc = "leave the words of the bundled stop list (en, es) alone"});
  params.push_back({.name = "language", .type = ParamType::string,
                    .doc = "the stop list's language (en, es); default: the sample's language"});
  return {
      .name = "synonym_embedding",
      .input = Kind::tokens,
      .output = Kind::tokens,
      .doc = "Replaces eligible words by one of their k nearest neighbours in a word2vec file with cosine >= "
             "threshold, in their case: \"el gato\" → \"el felino\"; edits recorded as [piece, replacement].",
      .params = std::move(params),
      .random = true,
      .check =
          [](const nlohmann::json& settings) {
            nlohmann::json s = settings;
            s["digits"] = false;  // check_edit_count reads the shared params
            text::check_edit_count(s);
            if (s["language"].is_string()) {
              const std::string code = text::language_code(s["language"].get<std::string>());
              const auto known = text::bundled_stopword_languages();
              if (std::find(known.begin(), known.end(), code) == known.end())
                throw std::invalid_argument("language: no bundled stop list for \"" + s["language"].get<std::string>() +
                                            "\" (bundled: en, es)");
            }
          },
      .create = make_transform<SynonymEmbedding>,
  };
}

}  // namespace augment::embed
