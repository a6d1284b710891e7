#include "augment/text/synonym.hpp"

#include <algorithm>
#include <stdexcept>
#include <unordered_set>

#include "augment/core/error.hpp"
#include "augment/text/char_edits.hpp"
#include "augment/text/edit_count.hpp"
#include "augment/text/graphemes.hpp"
#include "augment/text/stopwords.hpp"
#include "augment/text/utf8.hpp"
#include "corpora_data.hpp"

namespace augment::text {
namespace {


bool known_language(std::string_view language) {
  const std::string code = language_code(language);
  return code == "en" || code == "es";
}

const StopwordSet& stopwords_of(const std::string& code) {
  static const StopwordSet en = StopwordSet::bundled("en");
  static const StopwordSet es = StopwordSet::bundled("es");
  return code == "es" ? es : en;
}

}  // namespace

SynonymTable SynonymTable::parse(std::string_view tsv, const std::string& where) {
  SynonymTable table;
  std::size_t line_no = 0;
  while (!tsv.empty()) {
    ++line_no;
    const std::size_t end = std::min(tsv.find('\n'), tsv.size());
    const std::string_view line = tsv.substr(0, end);
    tsv.remove_prefix(std::min(end + 1, tsv.size()));
    if (line.empty()) continue;
    const auto fail = [&](const std::string& why) {
      return DataError(where + ":" + std::to_string(line_no) + ": " + why);
    };
    const std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos || tab == 0) throw fail("expected word<TAB>syn1|syn2|...");
    std::vector<std::string_view> synonyms;
    std::string_view rest = line.substr(tab + 1);
    for (;;) {
      const std::size_t bar = std::min(rest.find('|'), rest.size());
      if (bar == 0) throw fail("empty synonym");
      synonyms.push_back(rest.substr(0, bar));
      if (bar == rest.size()) break;
      rest.remove_prefix(bar + 1);
    }
    table.map_[line.substr(0, tab)] = std::move(synonyms);
  }
  return table;
}

const SynonymTable& SynonymTable::bundled(std::string_view language) {
  // Parsed once per language on first use; C++ guarantees thread-safe static initialisation.
  const std::string code = language_code(language);
  if (code == "en") {
    static const SynonymTable en = parse(corpora::synonyms_en, "corpora/text/synonyms/en.tsv");
    return en;
  }
  if (code == "es") {
    static const SynonymTable es = parse(corpora::synonyms_es, "corpora/text/synonyms/es.tsv");
    return es;
  }
  throw UsageError("synonym: no bundled synonyms for language \"" + std::string(language) + "\" (bundled: en, es)");
}

const std::vector<std::string_view>* SynonymTable::find(std::string_view word) const {
  const auto it = map_.find(fold_word(word));
  return it == map_.end() ? nullptr : &it->second;
}

std::vector<std::string> synonym_languages() { return {"en", "es"}; }

std::string match_case(std::string_view original, std::string_view replacement) {
  const auto clusters = grapheme_clusters(original);
  if (clusters.empty() || replacement.empty() || !starts_upper(clusters.front())) return std::string(replacement);
  std::size_t letters = 0;
  bool all_upper = true;
  for (std::string_view c : clusters) {
    if (classify_cluster(c) != ClusterClass::letter) continue;
    ++letters;
    all_upper = all_upper && starts_upper(c);
  }
  if (all_upper && letters >= 2) return to_upper(replacement);
  const auto head = grapheme_clusters(replacement);
  return to_upper(head.front()) + std::string(replacement.substr(head.front().size()));
}

Synonym::Synonym(const OpInfo& info, const nlohmann::json& settings) : Transform(info, settings) {
  if (settings["language"].is_string()) language_ = language_code(settings["language"].get<std::string>());
}

nlohmann::json Synonym::draw(Rng& rng, const Sample& sample) const {
  const Tokens& tokens = tokens_of(sample);
  const std::string code = language_.empty() ? language_code(tokens.language) : language_;
  if (code.empty())
    throw UsageError("synonym: the sample has no language; give the op a \"language\" (en or es)");
  const SynonymTable& table = SynonymTable::bundled(code);
  // The shared counting params, with `digits` (not declared here) off: synonyms replace words.
  nlohmann::json s = settings();
  s["digits"] = false;
  const EditCountOptions options = edit_count_options(s, rng);
  const std::unordered_set<std::string> skip(options.skip_words.begin(), options.skip_words.end());
  const bool skip_stopwords = s["skip_stopwords"].get<bool>();

  std::vector<std::size_t> units;
  std::vector<const std::vector<std::string_view>*> lists;
  for (std::size_t i = 0; i < tokens.pieces.size(); ++i) {
    const Token& t = tokens.pieces[i];
    if (!t.is_word || grapheme_count(t.text) < options.min_word_length) continue;
    if (!skip.empty() && skip.contains(fold_word(t.text))) continue;
    if (skip_stopwords && stopwords_of(code).contains(t.text)) continue;
    const auto* list = table.find(t.text);
    if (list == nullptr) continue;
    units.push_back(i);
    lists.push_back(list);
  }
  const std::size_t count = draw_edit_count(rng, options, units.size());
  std::vector<std::size_t> order(units.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::vector<std::pair<std::size_t, std::string>> edits;
  for (std::size_t k = 0; k < count; ++k) {
    std::swap(order[k], order[k + rng.index(order.size() - k)]);  // partial Fisher-Yates
    const auto& list = *lists[order[k]];
    const std::size_t piece = units[order[k]];
    edits.emplace_back(piece, match_case(tokens.pieces[piece].text, list[rng.index(list.size())]));
  }
  std::sort(edits.begin(), edits.end());
  nlohmann::json out = nlohmann::json::array();
  for (auto& [piece, word] : edits) out.push_back({piece, std::move(word)});
  return {{"edits", std::move(out)}};
}

void Synonym::apply(Sample& sample, const nlohmann::json& params) const {
  Tokens& tokens = tokens_of(sample);
  if (!params.is_object() || !params.contains("edits") || !params["edits"].is_array())
    throw UsageError("synonym: params need a list \"edits\" of [piece_index, replacement], got " + params.dump());
  for (const auto& e : params["edits"]) {
    const bool shape = e.is_array() && e.size() == 2 && e[0].is_number_integer() && e[0].get<std::int64_t>() >= 0 && e[1].is_string();
    if (!shape) throw UsageError("synonym: an edit must be [piece_index, \"replacement\"], got " + e.dump());
    const auto index = e[0].get<std::size_t>();
    if (index >= tokens.pieces.size() || !tokens.pieces[index].is_word)
      throw UsageError("synonym: edit " + e.dump() + " does not name a word piece (the sample has " +
                       std::to_string(tokens.pieces.size()) + " pieces)");
    const auto& word = e[1].get_ref<const std::string&>();
    if (word.empty() || !is_valid_utf8(word))
      throw UsageError("synonym: edit " + e.dump() + ": the replacement must be non-empty valid UTF-8");
    tokens.pieces[index].text = word;
    tokens.pieces[index].offset = Token::no_offset;
  }
}

OpInfo synonym_op() {
  std::vector<ParamSpec> params = edit_count_params(false);
  // Synonyms replace whole words of letters: `digits` would mean nothing here.
  std::erase_if(params, [](const ParamSpec& p) { return p.name == "digits"; });
  params.push_back({.name = "language", .type = ParamType::string,
                    .doc = "the synonym table: en (WordNet) or es (LibreOffice thesaurus); default: the sample's language"});
  params.push_back({.name = "skip_stopwords", .type = ParamType::boolean, .default_value = true,
                    .doc = "leave the words of the language's bundled stop list alone"});
  return {
      .name = "synonym",
      .input = Kind::tokens,
      .output = Kind::tokens,
      .doc = "Replaces eligible words by a synonym (en: WordNet, es: LibreOffice thesaurus) in their case: "
             "\"el coche rojo\" → \"el automóvil rojo\"; edits recorded as [piece, replacement].",
      .params = std::move(params),
      .random = true,
      .check =
          [](const nlohmann::json& settings) {
            nlohmann::json s = settings;
            s["digits"] = false;  // check_edit_count reads the shared params
            check_edit_count(s);
            if (s["language"].is_string() && !known_language(s["language"].get<std::string>()))
              throw std::invalid_argument("language: no bundled synonyms for \"" + s["language"].get<std::string>() +
                                          "\" (bundled: en, es)");
          },
      .create = make_transform<Synonym>,
  };
}

}  // namespace augment::text
