#pragma once
// Private: the words `stem` hands to Snowball. Snowball's algorithms and its published
// vocabularies take whitespace-separated words whole — Turkish "acı'", Hungarian "adok-kapok",
// English "'aa", Yiddish "אַדל־לײַט", Armenian "ափին՝", Hindi "एम॰ए" — while UAX #29 word
// boundaries cut at those marks. So a whole word is a run of pieces with no whitespace between
// them, without the punctuation and symbols at its ends (quotes, brackets, commas, full stops,
// emoji), so "(cats)," still stems "cats". Apostrophes, hyphens and the marks some scripts write
// on words stay with the word even at its ends, as in Snowball's vocabularies.
#include <cstddef>
#include <vector>

#include "augment/text/text.hpp"

namespace augment::text::detail {

/// A whole word: pieces [begin, end) of a token sequence. The pieces [end, next) are not part of
/// any word, so the next one is searched from `next` (each piece is looked at once).
struct PieceSpan {
  std::size_t begin = 0, end = 0, next = 0;
};

/// The first whole word that starts at or after piece `from`: all three are the size when there
/// is none. It may hold no word piece ("'''" is one, as in Snowball's English vocabulary).
PieceSpan next_whole_word(const std::vector<Token>& pieces, std::size_t from);

}  // namespace augment::text::detail
