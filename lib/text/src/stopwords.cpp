#include "augment/text/stopwords.hpp"

#include <unicode/ucasemap.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "augment/core/error.hpp"
#include "augment/core/paths.hpp"
#include "augment/text/stem.hpp"
#include "augment/text/word_edits.hpp"
#include "corpora_data.hpp"

namespace augment::text {
namespace {

// The bundled lists: corpora/text/stopwords/{en,es}.txt (scripts/make-stopword-lists: Snowball's
// lists as PostgreSQL 15 ships them, BSD-3-Clause), compiled in (lib/text/CMakeLists.txt) so
// the library needs no data files at run time, and parsed like a user's list.
struct Bundled {
  std::string_view code;
  std::string_view words;
};
constexpr Bundled kBundled[] = {{"en", corpora::stopwords_en}, {"es", corpora::stopwords_es}};

// The bundled entry for a code or libstemmer name, or null.
const Bundled* find_bundled(std::string_view language) {
  std::string code = ascii_lower(std::string(language));
  for (const Bundled& b : kBundled)
    if (b.code == code) return &b;
  try {
    code = std::string(iso_code_of(stemmer_language(language)));
  } catch (const UsageError&) {
    return nullptr;
  }
  for (const Bundled& b : kBundled)
    if (b.code == code) return &b;
  return nullptr;
}

std::string bundled_names() {
  std::string out;
  for (const Bundled& b : kBundled) {
    if (!out.empty()) out += ", ";
    out.append(b.code);
  }
  return out;
}

[[noreturn]] void no_bundled_list(std::string_view language) {
  throw UsageError("remove_stopwords: no bundled stop list for \"" + std::string(language) + "\" (bundled: " +
                   bundled_names() + "); give \"words\", a file with one word per line");
}

// The set for a bundled language, built once per language and shared (read-only) by all threads.
const StopwordSet& bundled_set(std::string_view language) {
  const Bundled* b = find_bundled(language);
  if (!b) no_bundled_list(language);
  static const std::map<std::string_view, StopwordSet> sets = [] {
    std::map<std::string_view, StopwordSet> out;
    for (const Bundled& x : kBundled) out.emplace(x.code, StopwordSet::bundled(x.code));
    return out;
  }();
  return sets.at(b->code);
}

std::string_view trim(std::string_view s) {
  const auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
  };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}


}  // namespace

std::string case_fold(std::string_view utf8) {
  // Full folding ("ß" → "ss") with the default (non-Turkic) mapping: one rule for every list.
  static UCaseMap* const map = [] {
    UErrorCode status = U_ZERO_ERROR;
    UCaseMap* m = ucasemap_open("", U_FOLD_CASE_DEFAULT, &status);
    if (U_FAILURE(status))
      throw std::runtime_error(std::string("ICU ucasemap_open failed: ") + u_errorName(status));
    return m;
  }();
  if (utf8.size() > static_cast<std::size_t>(INT32_MAX / 3)) throw UsageError("case_fold: text longer than 700 MiB");
  std::string out(utf8.size() * 3 / 2 + 8, '\0');
  for (;;) {
    UErrorCode status = U_ZERO_ERROR;
    const int32_t n = ucasemap_utf8FoldCase(map, out.data(), static_cast<int32_t>(out.size()), utf8.data(),
                                            static_cast<int32_t>(utf8.size()), &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
      out.resize(static_cast<std::size_t>(n));
      continue;
    }
    if (U_FAILURE(status)) throw UsageError(std::string("case_fold: ") + u_errorName(status));
    out.resize(static_cast<std::size_t>(n));
    return out;
  }
}

std::vector<std::string> bundled_stopword_languages() {
  std::vector<std::string> out;
  for (const Bundled& b : kBundled) out.emplace_back(b.code);
  return out;
}

std::vector<std::string> bundled_stopwords(std::string_view language) {
  const Bundled* b = find_bundled(language);
  if (!b) no_bundled_list(language);
  return parse_stopwords(b->words, "corpora/text/stopwords/" + std::string(b->code) + ".txt");
}

std::vector<std::string> parse_stopwords(std::string_view text, const std::string& where) {
  std::vector<std::string> out;
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    if (const std::size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = trim(line);
    if (line.empty()) continue;
    const std::string at = where + ":" + std::to_string(line_number) + ": ";
    if (line.find_first_of(" \t") != std::string_view::npos)
      throw DataError(at + "one word per line, got \"" + std::string(line) + "\"");
    const auto* s = reinterpret_cast<const uint8_t*>(line.data());
    const auto n = static_cast<int32_t>(line.size());
    for (int32_t i = 0; i < n;) {
      UChar32 c;
      U8_NEXT(s, i, n, c);
      if (c < 0) throw DataError(at + "not valid UTF-8");
    }
    out.emplace_back(line);
  }
  return out;
}

StopwordSet::StopwordSet(const std::vector<std::string>& words) {
  folded_.reserve(words.size());
  for (const std::string& w : words) folded_.insert(case_fold(w));
}

StopwordSet StopwordSet::bundled(std::string_view language) { return StopwordSet(bundled_stopwords(language)); }

StopwordSet StopwordSet::from_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(path.string() + ": cannot read the stop-word list");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw DataError(path.string() + ": cannot read the stop-word list");
  return StopwordSet(parse_stopwords(text.str(), path.string()));
}

bool StopwordSet::contains(std::string_view word) const { return folded_.count(case_fold(word)) > 0; }

void remove_stopwords(Tokens& tokens, const StopwordSet& stopwords) {
  std::vector<bool> drop(tokens.pieces.size());
  for (std::size_t i = 0; i < drop.size(); ++i)
    drop[i] = tokens.pieces[i].is_word && stopwords.contains(tokens.pieces[i].text);
  remove_words(tokens, drop);
}

RemoveStopwords::RemoveStopwords(const OpInfo& info, const nlohmann::json& settings) : Transform(info, settings) {
  if (settings["words"].is_string()) set_ = StopwordSet::from_file(settings["words"].get<std::string>());
  else if (settings["language"].is_string()) set_ = bundled_set(settings["language"].get<std::string>());
  else from_sample_ = true;
}

void RemoveStopwords::apply(Sample& sample, const nlohmann::json&) const {
  Tokens& tokens = tokens_of(sample);
  if (!from_sample_) return remove_stopwords(tokens, set_);
  if (tokens.language.empty())
    throw UsageError("remove_stopwords: the sample has no language; give the op a \"language\" or \"words\"");
  remove_stopwords(tokens, bundled_set(tokens.language));
}

OpInfo remove_stopwords_op() {
  return {
      .name = "remove_stopwords",
      .input = Kind::tokens,
      .output = Kind::tokens,
      .doc = "Drops stop-word pieces (case-insensitive) with one adjacent space each: "
             "\"el perro y el gato\" → \"perro gato\".",
      .params = {{.name = "language", .type = ParamType::string,
                  .doc = "the bundled list (\"en\"/\"english\", \"es\"/\"spanish\"); default: the sample's language"},
                 {.name = "words", .type = ParamType::string,
                  .doc = "instead, a UTF-8 file: one word per line, '#' starts a comment"}},
      .random = false,
      .check =
          [](const nlohmann::json& settings) {
            const bool language = settings["language"].is_string(), words = settings["words"].is_string();
            if (language && words) throw std::invalid_argument("give \"language\" or \"words\", not both");
            if (language && !find_bundled(settings["language"].get<std::string>()))
              throw std::invalid_argument("language: no bundled stop list for \"" +
                                          settings["language"].get<std::string>() + "\" (bundled: " +
                                          bundled_names() + "); give \"words\" instead");
          },
      .create = make_transform<RemoveStopwords>,
  };
}

}  // namespace augment::text
