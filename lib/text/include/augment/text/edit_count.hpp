#pragma once
// How many edits an augmenter makes, and where it may make them; shared by the character ops
// (char_*, keyboard_typo, ocr_error) and meant for the word ops.
//
// Units. An op edits units: for the character ops a unit is one grapheme cluster (ocr_error: one
// place where its table matches). A unit is eligible when it lies in an eligible word:
//   - a word is a maximal run of clusters that start with a letter or a digit (so "l'agua" is
//     two words, "mp3" one), counted in clusters: "año" (a, n + U+0303, o) has length 3;
//   - words shorter than `min_word_length` clusters are not eligible;
//   - words in `skip_words` (case-insensitive, compared after NFC and Unicode case folding) are
//     not eligible;
// and the cluster itself is a letter, or a digit when `digits` is true. Spaces, punctuation,
// symbols and emoji are never edited; they stay where they are (an insertion never lands
// between them and a word's letters, a swap never moves them).
//
// Count. Each eligible unit is picked with probability `unit_p` (not `p`, which a pipeline stage
// already uses for the chance the stage runs at all); the number picked is then clamped
// to [min, max] and to the number of eligible units (nlpaug's aug_char_p / aug_char_min /
// aug_char_max, with the count drawn rather than rounded). Examples, char_substitute:
//   unit_p 0.1, min 1, max 10: "Hola mundo"        -> "Hoxa mundo" (8 units: 0 picked -> 1 by min)
//   min_word_length 4:      "el gato"           -> "el gafo"    ("el" too short)
//   skip_words "el, de":    "El niño de Ana"    -> "El niñi de Ana"
//   digits false (default): "Tengo 25 años"     -> "Tenxo 25 años"; never "Tengo 29 años"
//   unit_p 0:               any text            -> the same text (unless min > 0)
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/param_spec.hpp"
#include "augment/core/rng.hpp"

namespace augment::text {

struct EditCountOptions {
  double p = 0.1;
  std::int64_t min = 1;
  std::int64_t max = 10;
  std::size_t min_word_length = 3;
  /// Folded (fold_word) forms.
  std::vector<std::string> skip_words;
  bool digits = false;
};

/// The params every counting op declares: unit_p (drawable), min, max, min_word_length,
/// skip_words, digits (whose default differs per op).
std::vector<ParamSpec> edit_count_params(bool digits_default);
/// OpInfo::check for those params: min <= max, skip_words valid UTF-8.
void check_edit_count(const nlohmann::json& settings);
/// The options from resolved settings; unit_p is drawn here when it is a range.
EditCountOptions edit_count_options(const nlohmann::json& settings, Rng& rng);

/// "el, la  de" -> {"el", "la", "de"}: split on whitespace and commas, each folded.
std::vector<std::string> parse_word_list(std::string_view words);
/// NFC then Unicode full case folding: the form skip_words compare in.
std::string fold_word(std::string_view utf8);

enum class ClusterClass : std::uint8_t { letter, digit, other };
/// By the cluster's first code point (ICU's alphabetic and decimal-digit properties).
ClusterClass classify_cluster(std::string_view cluster);

/// Per cluster: its word (index, or npos outside words) and whether it may be edited.
struct Eligibility {
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::vector<std::size_t> word;
  std::vector<bool> eligible;
};
Eligibility eligible_clusters(std::span<const std::string_view> clusters, const EditCountOptions& options);

/// The number of units to edit out of `units`: Binomial(units, p) drawn with `rng`, clamped to
/// [min, max] and to `units`.
std::size_t draw_edit_count(Rng& rng, const EditCountOptions& options, std::size_t units);

}  // namespace augment::text
