#pragma once
// Text samples. A `Text` is one document (a file, or one line of a file) as valid UTF-8. A
// `Tokens` sample is the same document cut into pieces whose concatenation is the document
// byte for byte: words (ICU word boundaries, UAX #29) and everything between them (spaces,
// punctuation, emoji) as pieces of their own, so word-level edits keep the spacing and
// punctuation around them and `join` rebuilds the text losslessly.
#include <algorithm>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "augment/core/sample.hpp"

namespace augment::text {

struct Text {
  std::string utf8;
  /// ISO 639-1 code ("es", "en") when known, else empty; ops whose data depend on the
  /// language (stopwords, stemming, keyboard layouts) read it unless their params say.
  std::string language;
};

struct Token {
  /// Where a piece started in the source text, for pieces made by an edit.
  static constexpr std::size_t no_offset = std::numeric_limits<std::size_t>::max();

  std::string text;
  /// A word (letters or digits, by ICU's word-break status) rather than spacing or punctuation.
  bool is_word = false;
  /// Byte offset of the piece in the text it was cut from; no_offset when an edit made it.
  std::size_t offset = no_offset;
};

struct Tokens {
  std::vector<Token> pieces;
  std::string language;

  /// The pieces' concatenation: the source text when nothing was edited.
  std::string join() const {
    std::string out;
    for (const Token& t : pieces) out += t.text;
    return out;
  }
};

/// The language part of a tag, lower case: "es-MX", "ES_es" -> "es"; "en" -> "en".
inline std::string language_code(std::string_view language) {
  std::string code(language.substr(0, std::min(language.find_first_of("-_"), language.size())));
  for (char& c : code) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
  return code;
}

inline Sample make_sample(Text text) { return Sample(Kind::text, std::move(text)); }
inline Sample make_sample(Tokens tokens) { return Sample(Kind::tokens, std::move(tokens)); }
inline Text& text_of(Sample& sample) { return sample.as<Text>(); }
inline const Text& text_of(const Sample& sample) { return sample.as<Text>(); }
inline Tokens& tokens_of(Sample& sample) { return sample.as<Tokens>(); }
inline const Tokens& tokens_of(const Sample& sample) { return sample.as<Tokens>(); }

}  // namespace augment::text
