#include "whole_words.hpp"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace augment::text::detail {
namespace {

// Marks that belong to the word they touch, at its ends too. Each is in a Snowball vocabulary
// at a word's edge or joining words that UAX #29 cuts apart: the apostrophe (English "'aa",
// Turkish "acı'", Yiddish "ב'"), hyphens (Hungarian "abc-be", Irish "-chomh", Armenian ֊, Hebrew
// maqaf ־), the Armenian marks written on a word (apostrophe ՚, emphasis ՛, exclamation ՜, the
// comma ՝ that Snowball's Armenian words end with, question ՞), Hebrew geresh and gershayim,
// the Devanagari abbreviation sign ॰ and Greek tonos ΄ written as an elision mark.
// U+2019 is left out: at a word's end it is far more often a closing quote.
constexpr UChar32 kWordMarks[] = {0x0027, 0x002D, 0x0384, 0x055A, 0x055B, 0x055C, 0x055D, 0x055E,
                                  0x058A, 0x05BE, 0x05F3, 0x05F4, 0x0970, 0x2010, 0x2011};

enum class PieceRole { word, word_mark, separator, edge };

bool is_word_mark(UChar32 c) { return std::binary_search(std::begin(kWordMarks), std::end(kWordMarks), c); }

PieceRole role_of(const Token& piece) {
  if (piece.is_word) return PieceRole::word;
  const auto* s = reinterpret_cast<const std::uint8_t*>(piece.text.data());
  const auto n = static_cast<std::int32_t>(std::min<std::size_t>(piece.text.size(), INT32_MAX));
  if (n == 0) return PieceRole::edge;
  // Most pieces between words are one ASCII space or punctuation mark: no decoding for them.
  if (n == 1 && s[0] < 0x80) {
    if (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')) return PieceRole::separator;  // ASCII's White_Space
    return s[0] == '\'' || s[0] == '-' ? PieceRole::word_mark : PieceRole::edge;
  }
  UChar32 first = -1;
  for (std::int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c >= 0 && u_isUWhiteSpace(c)) return PieceRole::separator;
    if (first < 0) first = c;
  }
  return is_word_mark(first) ? PieceRole::word_mark : PieceRole::edge;
}

}  // namespace

PieceSpan next_whole_word(const std::vector<Token>& pieces, std::size_t from) {
  const std::size_t n = pieces.size();
  std::size_t begin = from;
  // Whitespace, and the punctuation that opens a run, are not part of a word.
  for (; begin < n; ++begin) {
    const PieceRole role = role_of(pieces[begin]);
    if (role == PieceRole::word || role == PieceRole::word_mark) break;
  }
  if (begin == n) return {n, n, n};
  // The run goes on to the next whitespace; the punctuation that closes it is not part of it.
  std::size_t end = begin + 1, i = begin + 1;
  for (; i < n; ++i) {
    const PieceRole role = role_of(pieces[i]);
    if (role == PieceRole::separator) {
      ++i;  // no word starts with it: the next search starts after it
      break;
    }
    if (role != PieceRole::edge) end = i + 1;
  }
  return {begin, end, i};
}

}  // namespace augment::text::detail
