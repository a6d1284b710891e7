#include "augment/text/misspell.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "augment/core/error.hpp"
#include "augment/text/char_edits.hpp"
#include "augment/text/text.hpp"
#include "augment/text/utf8.hpp"
#include "augment/text/word_edits.hpp"
#include "corpora_data.hpp"

namespace augment::text {
namespace {


using CodePoints = std::u32string;

CodePoints to_code_points(std::string_view utf8) {
  const icu::UnicodeString s = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  CodePoints out;
  for (int32_t i = 0; i < s.length(); i = s.moveIndex32(i, 1)) out.push_back(static_cast<char32_t>(s.char32At(i)));
  return out;
}

std::string to_utf8(const CodePoints& cps) {
  icu::UnicodeString s;
  for (char32_t c : cps) s.append(static_cast<UChar32>(c));
  std::string out;
  s.toUTF8String(out);
  return out;
}

enum class CasePattern { lower, capitalised, upper, mixed };

CasePattern case_pattern(const CodePoints& w) {
  bool any_upper = false, any_lower = false, rest_upper = false;
  bool first_letter = true, first_upper = false;
  for (char32_t c : w) {
    const auto u = static_cast<UChar32>(c);
    if (!u_isalpha(u)) continue;
    const bool up = u_isupper(u) || u_istitle(u), low = u_islower(u);
    if (first_letter) first_upper = up;
    else rest_upper = rest_upper || up;
    any_upper = any_upper || up;
    any_lower = any_lower || low;
    first_letter = false;
  }
  if (!any_upper) return CasePattern::lower;
  if (!any_lower) return CasePattern::upper;
  if (first_upper && !rest_upper) return CasePattern::capitalised;
  return CasePattern::mixed;
}

std::string lower(std::string_view utf8) {
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  s.toLower(icu::Locale::getRoot());
  std::string out;
  s.toUTF8String(out);
  return out;
}

std::string in_pattern(const std::string& lowered, CasePattern pattern) {
  switch (pattern) {
    case CasePattern::upper: return to_upper(lowered);
    case CasePattern::capitalised: {
      CodePoints w = to_code_points(lowered);
      for (char32_t& c : w)
        if (u_isalpha(static_cast<UChar32>(c))) {
          c = static_cast<char32_t>(u_toupper(static_cast<UChar32>(c)));
          break;
        }
      return to_utf8(w);
    }
    default: return lowered;
  }
}

// The bundled English list, parsed once and shared read-only.
const std::map<std::string, std::vector<std::string>, std::less<>>& english() {
  static const auto table = [] {
    std::map<std::string, std::vector<std::string>, std::less<>> out;
    for (auto& [correct, wrongs] : parse_misspelling_list(corpora::misspellings_en, "corpora/text/misspellings/en.tsv")) {
      auto& list = out[correct];
      for (auto& w : wrongs)
        if (std::find(list.begin(), list.end(), w) == list.end()) list.push_back(std::move(w));
    }
    return out;
  }();
  return table;
}

bool is_vowel(char32_t c) {
  return c == U'a' || c == U'e' || c == U'i' || c == U'o' || c == U'u' || c == U'á' || c == U'é' || c == U'í' ||
         c == U'ó' || c == U'ú' || c == U'ü';
}

bool is_front_vowel(char32_t c) { return c == U'e' || c == U'i' || c == U'é' || c == U'í'; }

// One RAE-rule confusion at a time: each variant differs from the word in one place.
std::vector<CodePoints> spanish_variants(const CodePoints& w) {
  std::vector<CodePoints> out;
  const std::size_t n = w.size();
  const auto at = [&](std::size_t k) { return k < n ? w[k] : U'\0'; };
  const auto replace = [&](std::size_t i, std::size_t len, std::u32string_view by) {
    CodePoints v = w;
    v.replace(i, len, by);
    out.push_back(std::move(v));
  };
  for (std::size_t i = 0; i < n; ++i) {
    const char32_t c = w[i];
    const bool front_next = is_front_vowel(at(i + 1));
    switch (c) {
      case U'b': replace(i, 1, U"v"); break;
      case U'v': replace(i, 1, U"b"); break;
      case U'l':
        if (at(i + 1) == U'l') replace(i, 2, U"y");
        break;
      case U'y':
        if (is_vowel(at(i + 1))) replace(i, 1, U"ll");  // only the consonant y sounds like ll
        break;
      case U'c':
        if (front_next) {
          replace(i, 1, U"s");
          replace(i, 1, U"z");
        }
        break;
      case U's':
        replace(i, 1, U"z");
        if (front_next) replace(i, 1, U"c");
        break;
      case U'z':
        replace(i, 1, U"s");
        if (front_next) replace(i, 1, U"c");
        break;
      case U'g':
        if (front_next) replace(i, 1, U"j");
        break;
      case U'j':
        if (front_next) replace(i, 1, U"g");
        break;
      case U'q':
        if (at(i + 1) == U'u' && is_front_vowel(at(i + 2))) replace(i, 2, U"k");
        break;
      case U'k':
        if (front_next) replace(i, 1, U"qu");
        break;
      case U'á': replace(i, 1, U"a"); break;
      case U'é': replace(i, 1, U"e"); break;
      case U'í': replace(i, 1, U"i"); break;
      case U'ó': replace(i, 1, U"o"); break;
      case U'ú': case U'ü': replace(i, 1, U"u"); break;
      default: break;
    }
  }
  if (n >= 2 && w[0] == U'h' && is_vowel(w[1])) replace(0, 1, U"");
  if (n >= 1 && is_vowel(w[0])) replace(0, 0, U"h");
  return out;
}

std::string require_language(std::string_view language) {
  const std::string code = language_code(language);
  if (code == "en" || code == "es") return code;
  throw UsageError("misspell: no misspellings for language \"" + std::string(language) + "\" (known: en, es)");
}

}  // namespace

std::vector<std::string> misspell_languages() { return {"en", "es"}; }

std::vector<std::pair<std::string, std::vector<std::string>>> parse_misspelling_list(std::string_view text,
                                                                                     const std::string& where) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    if (const std::size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.empty()) continue;
    const std::string at = where + ":" + std::to_string(line_number) + ": ";
    if (!is_valid_utf8(line)) throw DataError(at + "not valid UTF-8");
    std::vector<std::string> fields;
    for (std::size_t start = 0;;) {
      const std::size_t tab = line.find('\t', start);
      fields.emplace_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    if (fields.size() < 2) throw DataError(at + "expected \"correct<TAB>wrong\", got \"" + std::string(line) + "\"");
    for (std::string& f : fields) {
      if (f.empty() || f.find(' ') != std::string::npos)
        throw DataError(at + "each field must be one word, got \"" + std::string(line) + "\"");
      f = lower(to_nfc(f));
    }
    std::string correct = std::move(fields.front());
    fields.erase(fields.begin());
    for (const std::string& f : fields)
      if (f == correct) throw DataError(at + "a misspelling equals the word \"" + correct + "\"");
    out.emplace_back(std::move(correct), std::move(fields));
  }
  return out;
}

std::vector<std::string> misspellings(std::string_view word, std::string_view language) {
  const std::string code = require_language(language);
  const std::string nfc = to_nfc(word);
  const CasePattern pattern = case_pattern(to_code_points(nfc));
  if (pattern == CasePattern::mixed) return {};
  const std::string lowered = lower(nfc);
  std::vector<std::string> out;
  const auto add = [&](const std::string& v) {
    std::string cased = in_pattern(v, pattern);
    if (cased != nfc && std::find(out.begin(), out.end(), cased) == out.end()) out.push_back(std::move(cased));
  };
  if (code == "en") {
    const auto& table = english();
    if (const auto it = table.find(lowered); it != table.end())
      for (const std::string& v : it->second) add(v);
  } else {
    for (const CodePoints& v : spanish_variants(to_code_points(lowered))) add(to_utf8(v));
  }
  return out;
}

nlohmann::json Misspell::draw(Rng& rng, const Sample& sample) const {
  const Tokens& tokens = tokens_of(sample);
  const std::string language = settings()["language"].is_string() ? settings()["language"].get<std::string>() : tokens.language;
  if (language.empty())
    throw UsageError("misspell: the sample has no language; give the op a \"language\" (en, es)");
  const EditCountOptions options = edit_count_options(settings(), rng);
  std::vector<std::size_t> units;
  std::vector<std::vector<std::string>> variants;
  for (std::size_t i : eligible_words(tokens, options, stop_language(settings(), tokens, "misspell"))) {
    auto v = misspellings(tokens.pieces[i].text, language);
    if (v.empty()) continue;
    units.push_back(i);
    variants.push_back(std::move(v));
  }
  const std::size_t count = draw_edit_count(rng, options, units.size());
  std::vector<std::size_t> order(units.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  for (std::size_t t = 0; t < count; ++t) std::swap(order[t], order[t + rng.index(order.size() - t)]);
  order.resize(count);
  std::sort(order.begin(), order.end());
  nlohmann::json edits = nlohmann::json::array();
  for (std::size_t k : order) edits.push_back({units[k], variants[k][rng.index(variants[k].size())]});
  return {{"edits", std::move(edits)}};
}

void Misspell::apply(Sample& sample, const nlohmann::json& params) const {
  Tokens& tokens = tokens_of(sample);
  if (!params.is_object() || !params.contains("edits") || !params["edits"].is_array())
    throw UsageError("misspell: params need a list \"edits\" of [piece, replacement], got " + params.dump());
  std::vector<std::pair<std::size_t, std::string>> edits;
  for (const auto& e : params["edits"]) {
    const bool shape = e.is_array() && e.size() == 2 && e[0].is_number_integer() && e[0].get<std::int64_t>() >= 0 &&
                       e[1].is_string() && !e[1].get_ref<const std::string&>().empty();
    if (!shape) throw UsageError("misspell: an edit must be [piece, \"replacement\"], got " + e.dump());
    const auto i = e[0].get<std::size_t>();
    if (i >= tokens.pieces.size() || !tokens.pieces[i].is_word)
      throw UsageError("misspell: " + e.dump() + " is not a word piece of a sample of " +
                       std::to_string(tokens.pieces.size()) + " pieces");
    if (!edits.empty() && i <= edits.back().first)
      throw UsageError("misspell: edit pieces must ascend, got " + params["edits"].dump());
    require_utf8(e[1].get_ref<const std::string&>(), "misspell");
    edits.emplace_back(i, e[1].get<std::string>());
  }
  for (auto& [i, replacement] : edits) {
    tokens.pieces[i].text = std::move(replacement);
    tokens.pieces[i].offset = Token::no_offset;
  }
}

OpInfo misspell_op() {
  std::vector<ParamSpec> params = word_count_params();
  for (ParamSpec& p : params)
    if (p.name == "language")
      p.doc = "en (a list of common misspellings) or es (RAE spelling confusions: b/v, ll/y, c/s/z, g/j, h, "
              "accents, qu/k); default: the sample's language";
  return {
      .name = "misspell",
      .input = Kind::tokens,
      .output = Kind::tokens,
      .doc = "Replaces eligible words with common misspellings in their case: en from a list (\"receive\" → "
             "\"recieve\"), es by spelling rules (\"hacer\" → \"haser\", \"hola\" → \"ola\").",
      .params = std::move(params),
      .random = true,
      .check =
          [](const nlohmann::json& settings) {
            check_edit_count(settings);
            if (!settings["language"].is_string()) return;
            const auto& language = settings["language"].get_ref<const std::string&>();
            const std::string code = language_code(language);
            if (code != "en" && code != "es")
              throw std::invalid_argument("language: no misspellings for \"" + language + "\" (known: en, es)");
          },
      .create = make_transform<Misspell>,
  };
}

}  // namespace augment::text
