#include "augment/text/word_edits.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <unordered_set>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "augment/core/error.hpp"
#include "augment/text/graphemes.hpp"
#include "augment/text/stopwords.hpp"
#include "augment/text/utf8.hpp"

namespace augment::text {
namespace {


// Bundled stop sets, built once and shared read-only by all threads (parsing per sample would
// dominate the op's cost).
const StopwordSet& stop_set(std::string_view language) {
  static const std::map<std::string, StopwordSet, std::less<>> sets = [] {
    std::map<std::string, StopwordSet, std::less<>> out;
    for (const std::string& code : bundled_stopword_languages()) out.emplace(code, StopwordSet::bundled(code));
    return out;
  }();
  const auto it = sets.find(language_code(language));
  if (it == sets.end()) {
    std::string known;
    for (const auto& [code, set] : sets) known += (known.empty() ? "" : ", ") + code;
    throw UsageError("skip_stopwords: no bundled stop list for \"" + std::string(language) + "\" (bundled: " + known +
                     ")");
  }
  return it->second;
}

bool has_unit_class(std::string_view word, bool digits) {
  for (std::string_view c : grapheme_clusters(word)) {
    const ClusterClass k = classify_cluster(c);
    if (k == ClusterClass::letter || (digits && k == ClusterClass::digit)) return true;
  }
  return false;
}

// `count` of `units`, uniformly without replacement, in ascending order.
std::vector<std::size_t> pick(Rng& rng, std::vector<std::size_t> units, std::size_t count) {
  count = std::min(count, units.size());
  for (std::size_t t = 0; t < count; ++t) std::swap(units[t], units[t + rng.index(units.size() - t)]);
  units.resize(count);
  std::sort(units.begin(), units.end());
  return units;
}

std::size_t word_index(const nlohmann::json& v, const Tokens& tokens, std::string_view op, const nlohmann::json& entry) {
  if (!v.is_number_integer() || v.get<std::int64_t>() < 0)
    throw UsageError(std::string(op) + ": piece index must be a non-negative integer, got " + entry.dump());
  const auto i = v.get<std::size_t>();
  if (i >= tokens.pieces.size() || !tokens.pieces[i].is_word)
    throw UsageError(std::string(op) + ": " + entry.dump() + " is not a word piece of a sample of " +
                     std::to_string(tokens.pieces.size()) + " pieces");
  return i;
}

const nlohmann::json& list_param(const nlohmann::json& params, const char* key, std::string_view op,
                                 std::string_view shape) {
  if (!params.is_object() || !params.contains(key) || !params[key].is_array())
    throw UsageError(std::string(op) + ": params need a list \"" + key + "\" of " + std::string(shape) + ", got " +
                     params.dump());
  return params[key];
}

}  // namespace

bool is_horizontal_space(const Token& piece) {
  if (piece.is_word || piece.text.empty()) return false;
  const auto* s = reinterpret_cast<const uint8_t*>(piece.text.data());
  const auto n = static_cast<int32_t>(piece.text.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0 || !u_isblank(c)) return false;
  }
  return true;
}

void remove_words(Tokens& tokens, const std::vector<bool>& drop) {
  auto& pieces = tokens.pieces;
  std::vector<Token> out;
  out.reserve(pieces.size());
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (i >= drop.size() || !drop[i] || !pieces[i].is_word) {
      out.push_back(std::move(pieces[i]));
      continue;
    }
    // The space before goes even when an earlier dropped word took the space between them:
    // "a b c" minus "b" and "c" is "a", not "a " with a trailing space.
    if (i + 1 < pieces.size() && is_horizontal_space(pieces[i + 1])) ++i;
    else if (!out.empty() && is_horizontal_space(out.back())) out.pop_back();
  }
  pieces = std::move(out);
}

std::vector<std::size_t> eligible_words(const Tokens& tokens, const EditCountOptions& options,
                                        std::string_view stop_language) {
  const StopwordSet* stops = stop_language.empty() ? nullptr : &stop_set(stop_language);
  const std::unordered_set<std::string> skip(options.skip_words.begin(), options.skip_words.end());
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < tokens.pieces.size(); ++i) {
    const Token& t = tokens.pieces[i];
    if (!t.is_word || grapheme_count(t.text) < options.min_word_length) continue;
    if (!has_unit_class(t.text, options.digits)) continue;
    if (!skip.empty() && skip.contains(fold_word(t.text))) continue;
    if (stops && stops->contains(t.text)) continue;
    out.push_back(i);
  }
  return out;
}

std::vector<ParamSpec> word_count_params() {
  std::vector<ParamSpec> params = edit_count_params(false);
  for (ParamSpec& p : params) {
    if (p.name == "min_word_length") {
      p.default_value = 1;  // words, unlike letters, are worth editing whatever their length
      p.doc = "words shorter than this many characters (grapheme clusters) are left alone";
    }
    if (p.name == "digits") p.doc = "whether words of digits only (\"25\") may be edited";
    if (p.name == "unit_p") p.doc = "probability that each eligible word is edited, or [lo, hi] drawn per sample";
  }
  params.push_back({.name = "skip_stopwords", .type = ParamType::boolean, .default_value = false,
                    .doc = "leave the words of the bundled stop list (en, es) alone"});
  params.push_back({.name = "language", .type = ParamType::string,
                    .doc = "the stop list's language (en, es); default: the sample's language"});
  return params;
}

std::string stop_language(const nlohmann::json& settings, const Tokens& tokens, std::string_view op) {
  if (!settings["skip_stopwords"].get<bool>()) return "";
  std::string language = settings["language"].is_string() ? settings["language"].get<std::string>() : tokens.language;
  if (language.empty())
    throw UsageError(std::string(op) + ": skip_stopwords needs a language: give \"language\" or samples with one");
  return language;
}

WordEditTransform::WordEditTransform(const OpInfo& info, const nlohmann::json& settings, WordEditKind kind)
    : Transform(info, settings), kind_(kind) {
  if (settings.contains("words") && settings["words"].is_string()) {
    // Split on whitespace and commas like skip_words, but keep each word as written.
    const auto& s = settings["words"].get_ref<const std::string&>();
    std::size_t i = 0;
    const auto sep = [](char c) { return c == ' ' || c == ',' || c == '\t' || c == '\n' || c == '\r'; };
    while (i < s.size()) {
      while (i < s.size() && sep(s[i])) ++i;
      const std::size_t start = i;
      while (i < s.size() && !sep(s[i])) ++i;
      if (i > start) words_.push_back(s.substr(start, i - start));
    }
  }
}

nlohmann::json WordEditTransform::draw(Rng& rng, const Sample& sample) const {
  const Tokens& tokens = tokens_of(sample);
  const EditCountOptions options = edit_count_options(settings(), rng);
  const std::vector<std::size_t> eligible = eligible_words(tokens, options, stop_language(settings(), tokens, info().name));
  switch (kind_) {
    case WordEditKind::swap: {
      // A unit is an eligible word whose next word is eligible too.
      std::vector<std::size_t> next(tokens.pieces.size(), Eligibility::npos);
      std::vector<bool> ok(tokens.pieces.size(), false);
      for (std::size_t i : eligible) ok[i] = true;
      std::size_t last = Eligibility::npos;
      for (std::size_t i = 0; i < tokens.pieces.size(); ++i) {
        if (!tokens.pieces[i].is_word) continue;
        if (last != Eligibility::npos) next[last] = i;
        last = i;
      }
      std::vector<std::size_t> units;
      for (std::size_t i : eligible)
        if (next[i] != Eligibility::npos && ok[next[i]]) units.push_back(i);
      const std::size_t count = draw_edit_count(rng, options, units.size());
      std::vector<bool> used(tokens.pieces.size(), false);
      std::vector<std::pair<std::size_t, std::size_t>> swaps;
      for (std::size_t t = 0; t < units.size() && swaps.size() < count; ++t) {
        std::swap(units[t], units[t + rng.index(units.size() - t)]);  // lazy Fisher-Yates
        const std::size_t i = units[t], j = next[i];
        if (used[i] || used[j]) continue;  // swaps never share a word, so their order is moot
        used[i] = used[j] = true;
        swaps.emplace_back(i, j);
      }
      std::sort(swaps.begin(), swaps.end());
      nlohmann::json list = nlohmann::json::array();
      for (const auto& [i, j] : swaps) list.push_back({i, j});
      return {{"swaps", std::move(list)}};
    }
    case WordEditKind::erase: {
      const std::size_t count = draw_edit_count(rng, options, eligible.size());
      return {{"delete", pick(rng, eligible, count)}};
    }
    case WordEditKind::insert: {
      const std::size_t count = draw_edit_count(rng, options, eligible.size());
      nlohmann::json list = nlohmann::json::array();
      for (std::size_t i : pick(rng, eligible, count)) {
        const std::string& word =
            words_.empty() ? tokens.pieces[eligible[rng.index(eligible.size())]].text : words_[rng.index(words_.size())];
        list.push_back({i, word, rng.bernoulli(0.5) ? "before" : "after"});
      }
      return {{"inserts", std::move(list)}};
    }
  }
  return nlohmann::json::object();
}

void WordEditTransform::apply(Sample& sample, const nlohmann::json& params) const {
  Tokens& tokens = tokens_of(sample);
  const std::string& op = info().name;
  switch (kind_) {
    case WordEditKind::swap: {
      for (const auto& entry : list_param(params, "swaps", op, "[piece, piece]")) {
        if (!entry.is_array() || entry.size() != 2) throw UsageError(op + ": a swap must be [i, j], got " + entry.dump());
        const std::size_t i = word_index(entry[0], tokens, op, entry), j = word_index(entry[1], tokens, op, entry);
        if (i >= j) throw UsageError(op + ": a swap [i, j] needs i < j, got " + entry.dump());
        std::swap(tokens.pieces[i], tokens.pieces[j]);
      }
      return;
    }
    case WordEditKind::erase: {
      std::vector<bool> drop(tokens.pieces.size(), false);
      std::size_t previous = 0;
      bool first = true;
      for (const auto& entry : list_param(params, "delete", op, "word piece indexes")) {
        const std::size_t i = word_index(entry, tokens, op, entry);
        if (!first && i <= previous) throw UsageError(op + ": \"delete\" indexes must ascend, got " + params.dump());
        drop[i] = true;
        previous = i;
        first = false;
      }
      remove_words(tokens, drop);
      return;
    }
    case WordEditKind::insert: {
      std::multimap<std::size_t, std::pair<std::string, bool>> at;  // piece -> (word, before)
      for (const auto& entry : list_param(params, "inserts", op, "[piece, word, before|after]")) {
        const bool shape = entry.is_array() && entry.size() == 3 && entry[1].is_string() && entry[2].is_string() &&
                           (entry[2] == "before" || entry[2] == "after");
        if (!shape) throw UsageError(op + ": an insert must be [piece, \"word\", \"before\"|\"after\"], got " + entry.dump());
        const std::size_t i = word_index(entry[0], tokens, op, entry);
        const auto& word = entry[1].get_ref<const std::string&>();
        if (word.empty()) throw UsageError(op + ": empty word in " + entry.dump());
        require_utf8(word, op);
        at.emplace(i, std::make_pair(word, entry[2] == "before"));
      }
      if (at.empty()) return;
      std::vector<Token> out;
      out.reserve(tokens.pieces.size() + 2 * at.size());
      const auto made = [](std::string text, bool word) { return Token{std::move(text), word, Token::no_offset}; };
      for (std::size_t i = 0; i < tokens.pieces.size(); ++i) {
        const auto [lo, hi] = at.equal_range(i);
        for (auto it = lo; it != hi; ++it)
          if (it->second.second) {
            out.push_back(made(it->second.first, true));
            out.push_back(made(" ", false));
          }
        out.push_back(std::move(tokens.pieces[i]));
        for (auto it = lo; it != hi; ++it)
          if (!it->second.second) {
            out.push_back(made(" ", false));
            out.push_back(made(it->second.first, true));
          }
      }
      tokens.pieces = std::move(out);
      return;
    }
  }
}

nlohmann::json WordCrop::draw(Rng& rng, const Sample& sample) const {
  const Tokens& tokens = tokens_of(sample);
  const double fraction = draw_number(settings()["fraction"], rng);
  std::vector<std::size_t> words;
  for (std::size_t i = 0; i < tokens.pieces.size(); ++i)
    if (tokens.pieces[i].is_word) words.push_back(i);
  if (words.empty()) return {{"begin", 0}, {"end", tokens.pieces.size()}};
  const auto n = words.size();
  const auto keep = std::clamp<std::size_t>(static_cast<std::size_t>(std::llround(fraction * static_cast<double>(n))), 1, n);
  const std::size_t first = rng.index(n - keep + 1);
  return {{"begin", words[first]}, {"end", words[first + keep - 1] + 1}};
}

void WordCrop::apply(Sample& sample, const nlohmann::json& params) const {
  Tokens& tokens = tokens_of(sample);
  const auto whole = [](const nlohmann::json& v) { return v.is_number_integer() && v.get<std::int64_t>() >= 0; };
  if (!params.is_object() || !params.contains("begin") || !params.contains("end") || !whole(params["begin"]) ||
      !whole(params["end"]))
    throw UsageError("word_crop: params need \"begin\" and \"end\" piece indexes, got " + params.dump());
  const auto b = params["begin"].get<std::size_t>(), e = params["end"].get<std::size_t>();
  if (b > e || e > tokens.pieces.size())
    throw UsageError("word_crop: pieces [" + std::to_string(b) + ", " + std::to_string(e) +
                     ") out of range for a sample of " + std::to_string(tokens.pieces.size()) + " pieces");
  tokens.pieces.erase(tokens.pieces.begin() + static_cast<std::ptrdiff_t>(e), tokens.pieces.end());
  tokens.pieces.erase(tokens.pieces.begin(), tokens.pieces.begin() + static_cast<std::ptrdiff_t>(b));
}

namespace {

void check_word_params(const nlohmann::json& settings) {
  check_edit_count(settings);
  if (settings["language"].is_string() && settings["skip_stopwords"].get<bool>()) {
    try {
      stop_set(settings["language"].get<std::string>());
    } catch (const UsageError& e) {
      throw std::invalid_argument(std::string("language: ") + e.what());
    }
  }
  if (settings.contains("words") && settings["words"].is_string()) {
    const auto& s = settings["words"].get_ref<const std::string&>();
    if (const auto bad = first_invalid_utf8(s))
      throw std::invalid_argument("words is not valid UTF-8 at byte " + std::to_string(*bad));
    if (s.find_first_not_of(" ,\t\r\n") == std::string::npos)
      throw std::invalid_argument("words must hold at least one word");
  }
}

OpInfo word_op(std::string name, std::string doc, WordEditKind kind) {
  std::vector<ParamSpec> params = word_count_params();
  if (kind == WordEditKind::insert)
    params.push_back({.name = "words", .type = ParamType::string,
                      .doc = "words to insert, separated by spaces or commas (default: copies of the text's own words)"});
  return {
      .name = std::move(name),
      .input = Kind::tokens,
      .output = Kind::tokens,
      .doc = std::move(doc),
      .params = std::move(params),
      .random = true,
      .check = check_word_params,
      .create = [kind](const OpInfo& info, const nlohmann::json& settings) -> std::unique_ptr<Transform> {
        return std::make_unique<WordEditTransform>(info, settings, kind);
      },
  };
}

}  // namespace

OpInfo word_swap_op() {
  return word_op("word_swap",
                 "Swaps eligible words with the next word, spacing and punctuation staying put: "
                 "\"el perro come\" → \"perro el come\".",
                 WordEditKind::swap);
}

OpInfo word_delete_op() {
  return word_op("word_delete",
                 "Drops eligible words with one adjacent space each (no double spaces, lines never joined): "
                 "\"el perro come.\" → \"el come.\".",
                 WordEditKind::erase);
}

OpInfo word_insert_op() {
  return word_op("word_insert",
                 "Inserts a copy of a random eligible word of the text (or one of \"words\") and a space before or "
                 "after eligible words: \"el perro come\" → \"el perro perro come\".",
                 WordEditKind::insert);
}

OpInfo word_crop_op() {
  return {
      .name = "word_crop",
      .input = Kind::tokens,
      .output = Kind::tokens,
      .doc = "Keeps a random contiguous run of words (a drawn fraction, at least one), from its first word to its "
             "last: fraction 0.5, \"el perro come pan.\" → \"perro come\".",
      .params = {{.name = "fraction", .default_value = {0.5, 1.0}, .drawable = true, .minimum = 0.0, .maximum = 1.0,
                  .doc = "the fraction of the words kept (rounded, at least one), or [lo, hi] drawn per sample"}},
      .random = true,
      .create = make_transform<WordCrop>,
  };
}

}  // namespace augment::text
