#include "augment/text/stem.hpp"

#include <libstemmer.h>
#include <unicode/uchar.h>
#include <unicode/ucasemap.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <climits>
#include <map>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "augment/core/error.hpp"
#include "augment/core/paths.hpp"
#include "whole_words.hpp"

namespace augment::text {
namespace {

// libstemmer's ISO 639-1 aliases (its modules.txt). libstemmer resolves them itself, but we
// keep the table to name one canonical language per stemmer and to pick the ICU locale.
constexpr std::pair<std::string_view, std::string_view> kIsoCodes[] = {
    {"arabic", "ar"},     {"armenian", "hy"},  {"basque", "eu"},     {"catalan", "ca"},   {"danish", "da"},
    {"dutch", "nl"},      {"english", "en"},   {"finnish", "fi"},    {"french", "fr"},    {"german", "de"},
    {"greek", "el"},      {"hindi", "hi"},     {"hungarian", "hu"},  {"indonesian", "id"}, {"irish", "ga"},
    {"italian", "it"},    {"lithuanian", "lt"}, {"nepali", "ne"},    {"norwegian", "no"}, {"portuguese", "pt"},
    {"romanian", "ro"},   {"russian", "ru"},   {"serbian", "sr"},    {"spanish", "es"},   {"swedish", "sv"},
    {"tamil", "ta"},      {"turkish", "tr"},   {"yiddish", "yi"},
};

std::string language_list() {
  std::string out;
  for (const std::string& name : stemmer_languages()) {
    if (!out.empty()) out += ", ";
    out += name;
    if (const std::string_view code = iso_code_of(name); !code.empty()) out.append(" (").append(code).append(")");
  }
  return out;
}

// One thread's stemmer for one language, with the case map that lower-cases its input.
class WordStemmer {
 public:
  explicit WordStemmer(const std::string& language) {
    stemmer_ = sb_stemmer_new(language.c_str(), "UTF_8");
    if (!stemmer_) throw std::bad_alloc();  // the name was checked: only memory can fail
    UErrorCode status = U_ZERO_ERROR;
    case_map_ = ucasemap_open(std::string(iso_code_of(language)).c_str(), 0, &status);
    if (U_FAILURE(status)) {
      sb_stemmer_delete(stemmer_);
      throw std::runtime_error(std::string("stem: ICU ucasemap_open failed: ") + u_errorName(status));
    }
  }
  ~WordStemmer() {
    ucasemap_close(case_map_);
    sb_stemmer_delete(stemmer_);
  }
  WordStemmer(const WordStemmer&) = delete;
  WordStemmer& operator=(const WordStemmer&) = delete;

  /// The stem, valid until the next call.
  std::string_view stem(std::string_view word, bool lowercase) {
    const std::string_view lower = lowercase ? lower_case(word) : word;
    if (lower.size() > static_cast<std::size_t>(INT_MAX)) throw UsageError("stem: a word longer than 2 GiB");
    const sb_symbol* out = sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(lower.data()),
                                           static_cast<int>(lower.size()));
    if (!out) throw std::bad_alloc();  // libstemmer's only failure
    return {reinterpret_cast<const char*>(out), static_cast<std::size_t>(sb_stemmer_length(stemmer_))};
  }

 private:
  // Most words are already lower case: skip ICU's full lower-casing for them (the stemming
  // benchmark's goal). A word is unchanged by it exactly when every code point maps to itself
  // by the simple mapping: the context-dependent rules (final sigma, Turkish and Lithuanian dots)
  // only fire around code points that are themselves upper case.
  static bool already_lower(std::string_view word) {
    const auto* s = reinterpret_cast<const uint8_t*>(word.data());
    const auto n = static_cast<int32_t>(word.size());
    for (int32_t i = 0; i < n;) {
      if (s[i] < 0x80) {
        if (s[i] >= 'A' && s[i] <= 'Z') return false;
        ++i;
        continue;
      }
      UChar32 c;
      U8_NEXT(s, i, n, c);
      if (c < 0 || u_tolower(c) != c) return false;  // ill-formed: let ICU handle it
    }
    return true;
  }

  std::string_view lower_case(std::string_view word) {
    if (word.size() <= static_cast<std::size_t>(INT32_MAX) && already_lower(word)) return word;
    if (word.size() > static_cast<std::size_t>(INT32_MAX / 3)) throw UsageError("stem: a word longer than 700 MiB");
    const auto in_length = static_cast<int32_t>(word.size());
    // Lower-casing grows UTF-8 by at most 3/2 (e.g. U+0130 → i + U+0307); retry on overflow anyway.
    buffer_.resize(word.size() * 3 / 2 + 8);
    for (;;) {
      UErrorCode status = U_ZERO_ERROR;
      const int32_t n = ucasemap_utf8ToLower(case_map_, buffer_.data(), static_cast<int32_t>(buffer_.size()),
                                             word.data(), in_length, &status);
      if (status == U_BUFFER_OVERFLOW_ERROR) {
        buffer_.resize(static_cast<std::size_t>(n));
        continue;
      }
      if (U_FAILURE(status))
        throw UsageError(std::string("stem: cannot lower-case a word (") + u_errorName(status) + ")");
      return {buffer_.data(), static_cast<std::size_t>(n)};
    }
  }

  sb_stemmer* stemmer_ = nullptr;
  UCaseMap* case_map_ = nullptr;
  std::string buffer_;
};

// sb_stemmer objects are not thread-safe: each thread keeps one per language it has used.
WordStemmer& thread_stemmer(const std::string& language) {
  thread_local std::map<std::string, std::unique_ptr<WordStemmer>, std::less<>> stemmers;
  auto it = stemmers.find(language);
  if (it == stemmers.end()) it = stemmers.emplace(language, std::make_unique<WordStemmer>(language)).first;
  return *it->second;
}

}  // namespace

const std::vector<std::string>& stemmer_languages() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const char** p = sb_stemmer_list(); *p; ++p) out.emplace_back(*p);
    return out;
  }();
  return names;
}

std::string_view iso_code_of(std::string_view stemmer_language) {
  for (const auto& [name, code] : kIsoCodes)
    if (name == stemmer_language) return code;
  return {};
}

std::string stemmer_language(std::string_view language) {
  const std::string key = ascii_lower(std::string(language));
  const auto& names = stemmer_languages();
  if (std::find(names.begin(), names.end(), key) != names.end()) return key;
  for (const auto& [name, code] : kIsoCodes)
    if (code == key && std::find(names.begin(), names.end(), name) != names.end()) return std::string(name);
  throw UsageError("unknown stemmer language \"" + std::string(language) + "\"; libstemmer " +
                   "has: " + language_list());
}

std::string stem_word(std::string_view word, std::string_view language, bool lowercase) {
  return std::string(thread_stemmer(stemmer_language(language)).stem(word, lowercase));
}

void stem_tokens(Tokens& tokens, std::string_view language, bool lowercase) {
  if (language.empty()) language = tokens.language;
  if (language.empty())
    throw UsageError("stem: the sample has no language; give the op a \"language\" (e.g. \"es\" or \"spanish\")");
  WordStemmer& stemmer = thread_stemmer(stemmer_language(language));
  // Compacts in place: pieces outside words move down, a word's pieces become one.
  std::vector<Token>& pieces = tokens.pieces;
  std::size_t kept = 0;
  std::string whole;
  for (std::size_t at = 0; at < pieces.size();) {
    const detail::PieceSpan word = detail::next_whole_word(pieces, at);
    for (; at < word.begin; ++at, ++kept)
      if (kept != at) pieces[kept] = std::move(pieces[at]);
    if (word.begin == pieces.size()) break;
    if (word.end - word.begin == 1) {
      Token& piece = pieces[word.begin];
      const std::string_view s = stemmer.stem(piece.text, lowercase);
      if (s != piece.text) piece.text.assign(s);  // an unchanged stem keeps the piece as it was
      if (kept != word.begin) pieces[kept] = std::move(piece);
    } else {
      whole.clear();
      bool is_word = false;
      for (std::size_t i = word.begin; i < word.end; ++i) {
        whole += pieces[i].text;
        is_word = is_word || pieces[i].is_word;
      }
      pieces[kept] = Token{.text = std::string(stemmer.stem(whole, lowercase)),
                           .is_word = is_word,
                           .offset = pieces[word.begin].offset};
    }
    ++kept;
    for (at = word.end; at < word.next; ++at, ++kept)
      if (kept != at) pieces[kept] = std::move(pieces[at]);
  }
  pieces.resize(kept);
}

Stem::Stem(const OpInfo& info, const nlohmann::json& settings)
    : Transform(info, settings),
      language_(settings["language"].is_string() ? stemmer_language(settings["language"].get<std::string>())
                                                 : std::string()),
      lowercase_(settings["lowercase"].get<bool>()) {}

void Stem::apply(Sample& sample, const nlohmann::json&) const {
  try {
    stem_tokens(tokens_of(sample), language_, lowercase_);
  } catch (const UsageError& e) {
    const std::string what = e.what();
    throw UsageError(what.rfind("stem:", 0) == 0 ? what : "stem: " + what);
  }
}

OpInfo stem_op() {
  return {
      .name = "stem",
      .input = Kind::tokens,
      .output = Kind::tokens,
      .doc = "Snowball stemming (libstemmer) of whitespace-separated words, lower-cased first, apostrophes and hyphens "
             "included; the punctuation around them and the spacing kept.",
      .params = {{.name = "language", .type = ParamType::string,
                  .doc = "a libstemmer language (\"spanish\") or its ISO 639-1 code (\"es\"); default: the sample's"},
                 {.name = "lowercase", .type = ParamType::boolean, .default_value = true,
                  .doc = "lower-case each word (ICU, the language's locale) before stemming; stems are then lower case"}},
      .random = false,
      .check =
          [](const nlohmann::json& settings) {
            if (!settings["language"].is_string()) return;
            try {
              stemmer_language(settings["language"].get<std::string>());
            } catch (const UsageError& e) {
              throw std::invalid_argument(std::string("language: ") + e.what());
            }
          },
      .create = make_transform<Stem>,
  };
}

}  // namespace augment::text
