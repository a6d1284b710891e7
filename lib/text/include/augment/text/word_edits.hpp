#pragma once
// Word-level augmentation of Tokens samples (tokenize.hpp). Only word pieces (Token::is_word) are
// moved, dropped or copied; spacing and punctuation pieces stay where they are, so join() keeps
// the text's layout:
//
//   word_swap    swaps eligible words with the next word (both eligible), the pieces between
//                them staying put:            "el perro come"      -> "perro el come"
//                                             "hola, buen día"     -> "buen, hola día"
//   word_delete  drops eligible words with one adjacent horizontal-space piece each (the one
//                after, else the one before; line breaks never go), as remove_stopwords does,
//                so no double, leading or trailing space appears:
//                                             "el perro come."     -> "el come."
//                                             "el perro come."     -> "el."  (perro and come)
//   word_insert  inserts a word and a " " piece before or after an eligible word: a copy of a
//                random eligible word of the same text, or one of the `words` param:
//                                             "el perro come"      -> "el perro perro come"
//   word_crop    keeps a contiguous run of words, `fraction` of them (rounded, at least one),
//                from the first kept word to the last, dropping everything outside:
//                fraction 0.5:                "el perro come pan." -> "perro come"
//
// Eligibility and counts (swap, delete, insert): a unit is a word piece; it is eligible when it
// has at least `min_word_length` grapheme clusters, holds a letter (or a digit when `digits`),
// is not in `skip_words` (case-insensitive) and, with `skip_stopwords`, not in the bundled stop
// list of `language` (else the sample's language; en, es). How many: edit_count.hpp (unit_p, min,
// max), over the eligible words.
//
// Params are piece indexes into the input, so apply() is pure and a recorded draw replays:
//   word_swap    {"swaps": [[i, j], ...]}       pieces i < j, both words, swapped in that order
//   word_delete  {"delete": [i, ...]}           word pieces, ascending
//   word_insert  {"inserts": [[i, "word", "before"|"after"], ...]}  i a word piece
//   word_crop    {"begin": b, "end": e}         pieces [b, e) kept
// Pieces an edit makes (an inserted word and its space) have Token::no_offset; moved and kept
// pieces keep theirs.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/registry.hpp"
#include "augment/text/edit_count.hpp"
#include "augment/text/text.hpp"

namespace augment::text {

/// Removes the word pieces marked in `drop` (one flag per piece) with one adjacent horizontal
/// space piece each: the one right after the word, else the last kept piece before it when that
/// is a space (also when dropping the previous word freed it: "a b c" minus b and c is "a"),
/// else none. Line breaks never go, so lines are not joined. word_delete and remove_stopwords
/// both use it.
void remove_words(Tokens& tokens, const std::vector<bool>& drop);

/// Whether a piece is horizontal spacing only (Unicode blank: spaces, tabs, NBSP), no line break.
bool is_horizontal_space(const Token& piece);

/// The indexes of the eligible word pieces of `tokens` (see above). `stop_language` non-empty:
/// its bundled stop list's words are not eligible (UsageError when there is none).
std::vector<std::size_t> eligible_words(const Tokens& tokens, const EditCountOptions& options,
                                        std::string_view stop_language);

/// The params of the counting word ops: edit_count_params plus skip_stopwords and language.
std::vector<ParamSpec> word_count_params();
/// The stop-list language for a sample under those settings: "" when skip_stopwords is false.
std::string stop_language(const nlohmann::json& settings, const Tokens& tokens, std::string_view op);

enum class WordEditKind { swap, erase, insert };

class WordEditTransform final : public Transform {
 public:
  WordEditTransform(const OpInfo& info, const nlohmann::json& settings, WordEditKind kind);
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;

 private:
  WordEditKind kind_;
  std::vector<std::string> words_;  // word_insert's list; empty: copy words of the text
};

class WordCrop final : public Transform {
 public:
  WordCrop(const OpInfo& info, const nlohmann::json& settings) : Transform(info, settings) {}
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;
};

OpInfo word_swap_op();
OpInfo word_delete_op();
OpInfo word_insert_op();
OpInfo word_crop_op();

}  // namespace augment::text
