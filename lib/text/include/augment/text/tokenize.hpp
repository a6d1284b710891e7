#pragma once
// tokenize: text → tokens, cut at ICU's word boundaries (UAX #29, ICU BreakIterator word
// instance; dictionary-based for Thai, Lao, Khmer, Burmese, Chinese and Japanese). The pieces
// cover the whole text in order — words, and every run of spacing, punctuation and emoji
// between them — so join() (and the `join` op) gives the text back byte for byte, whatever the
// spacing (tabs, NBSP, CRLF) or emoji. A piece is a word (Token::is_word) when ICU's rule status
// for it is not UBRK_WORD_NONE: letters, numbers ("3,5" is one), kana and ideographs; spaces,
// punctuation and emoji are not. Token::offset is the piece's byte offset in the text.
// Boundaries never split a grapheme cluster. Examples (* a word): "¿Qué tal?" → "¿" "Qué"* " "
// "tal"* "?"; "3,5" and "don't" are one word each; a run of spaces is one piece.
// ICU's root rules follow UAX #29 except that a colon does not join letters ("a:b" is three
// pieces; the "sv" and "fi" rules join them, as UAX #29's default does).
//
// The locale is the op's `locale` param, else the sample's language, else root; for Spanish and
// English the rules are root's.
//
// join: tokens → text, the pieces' concatenation; the language is kept.
#include <string>
#include <string_view>

#include "augment/core/registry.hpp"
#include "augment/text/text.hpp"

namespace augment::text {

/// The pieces of `utf8` by word boundaries for `locale` ("" = root); Tokens::language =
/// `language`. Throws UsageError on invalid UTF-8. Thread-safe.
Tokens tokenize(std::string_view utf8, const std::string& locale = "", const std::string& language = "");

/// Text → tokens, deterministic. Params: locale ("": the sample's language).
OpInfo tokenize_op();
/// Tokens → text, deterministic. No params.
OpInfo join_op();

}  // namespace augment::text
