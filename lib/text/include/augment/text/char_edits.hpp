#pragma once
// Character-level augmentation of Text samples, on grapheme clusters (graphemes.hpp): an edit
// never splits "á" (precomposed or a + U+0301), "ñ" written n + U+0303, an emoji ZWJ sequence
// or a flag, and never leaves a neighbour merged into a new cluster (deleting the "x" in
// "🇪x🇸" would make a flag of two lone regional indicators: such an edit is not drawn).
//
//   char_insert      inserts a letter of the alphabet before or after an eligible letter
//                    ("gato" -> "gaato", "gatso"), in the letter's case ("Gato" -> "GHato").
//   char_substitute  replaces an eligible letter with another of the alphabet ("gato" -> "gazo").
//   char_delete      deletes an eligible letter ("gato" -> "gao").
//   char_swap        swaps two adjacent eligible letters of one word ("gato" -> "agto").
//
// Alphabet: the `alphabet` param's clusters, else by the text's language: "es" a–z plus
// ñ á é í ó ú ü, anything else a–z (all NFC). Which clusters are eligible and how many are
// edited: edit_count.hpp.
//
// Params are recorded as {"edits": [[cluster_index, "op", "replacement"(, length)], ...]} with
// op insert (before the cluster; index may be the cluster count), substitute, delete or swap
// (the cluster and the next), cluster indexes into the input, replacement "" for delete and
// swap, and length (clusters replaced, default 1) only where a substitution covers more than
// one cluster (ocr_error's "rn" -> "m"). apply() applies exactly those edits, so a recorded
// draw replays to the same text.
#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/registry.hpp"
#include "augment/text/edit_count.hpp"

namespace augment::text {

enum class EditOp { insert, substitute, erase, swap };

struct CharEdit {
  std::size_t index = 0;
  EditOp op = EditOp::substitute;
  std::string replacement;
  /// Clusters a substitution or deletion covers.
  std::size_t length = 1;
};

/// `clusters` (the input's, in order) with `edits` applied. Throws UsageError on an index out
/// of range, overlapping edits, or a replacement that is not valid UTF-8.
std::string apply_edits(std::span<const std::string_view> clusters, std::span<const CharEdit> edits);
/// The same on text; throws UsageError "WHAT: invalid UTF-8 at byte N" on invalid input.
std::string apply_edits(std::string_view utf8, std::span<const CharEdit> edits, std::string_view what);

nlohmann::json edits_to_json(std::span<const CharEdit> edits);
/// Reads {"edits": [...]}; throws UsageError naming the bad entry.
std::vector<CharEdit> edits_from_json(const nlohmann::json& params);

/// Whether `left` followed by `right` (each one cluster) would not be two clusters: an edit
/// that makes them neighbours would change a cluster the input had.
bool clusters_join(std::string_view left, std::string_view right);

/// Proposes the edit for a picked unit (a cluster index), or nothing when it has none.
using EditProposer = std::function<std::optional<CharEdit>(std::size_t unit, Rng& rng)>;

/// Picks `count` of `units` uniformly without replacement and asks `propose` for each; skips
/// units whose edit would overlap an earlier one or join clusters (clusters_join), trying further
/// units instead. Edits come back in cluster order.
std::vector<CharEdit> draw_edits(Rng& rng, std::span<const std::string_view> clusters, std::vector<std::size_t> units,
                                 std::size_t count, const EditProposer& propose);

/// The default alphabet for a language code ("es", "es-MX", "en", ""), as NFC clusters.
std::vector<std::string> default_alphabet(std::string_view language);
/// NFC form of a short string (returned unchanged when already NFC, as ASCII is).
std::string to_nfc(std::string_view utf8);
/// Whether the cluster's first code point is upper case, and the upper-case form of a string.
bool starts_upper(std::string_view cluster);
std::string to_upper(std::string_view utf8);

enum class CharEditKind { insert, substitute, erase, swap };

class CharEditTransform final : public Transform {
 public:
  CharEditTransform(const OpInfo& info, const nlohmann::json& settings, CharEditKind kind);
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;

 private:
  CharEditKind kind_;
  std::vector<std::string> alphabet_;  // empty: by the text's language
};

OpInfo char_insert_op();
OpInfo char_substitute_op();
OpInfo char_delete_op();
OpInfo char_swap_op();

}  // namespace augment::text
