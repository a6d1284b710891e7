#pragma once
// Each group of text ops registers itself; register_transforms calls them all.
#include "augment/core/registry.hpp"

namespace augment::text::detail {

void register_io_and_unicode(Registry& registry);  // text codec, normalize, strip_accents, remove_chars, tokenize, join
void register_words(Registry& registry);           // remove_stopwords, stem
void register_char_edits(Registry& registry);      // char_insert/substitute/delete/swap, keyboard_typo, ocr_error
void register_word_edits(Registry& registry);      // word_swap/delete/insert/crop, misspell
void register_synonyms(Registry& registry);        // synonym
void register_bag_of_words(Registry& registry);    // bag_of_words (tokens -> features, fitted)

}  // namespace augment::text::detail
