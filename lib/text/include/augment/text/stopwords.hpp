#pragma once
// remove_stopwords: drops the word pieces of a Tokens sample that are in a stop list, with one
// adjacent horizontal-whitespace piece each so no double spaces remain:
//   - the whitespace piece right after the word, when there is one;
//   - else the whitespace piece right before it, when that one is still there;
//   - else the word alone (it sits between punctuation or at an edge).
// Line breaks are never removed, so lines are not joined. Examples:
//   "el perro y el gato" → "perro gato"     "the cat, and the dog." → "cat, dog."
//   "fin de\nlínea"     → "fin\nlínea"       "a cat and." → "cat."
// Kept pieces keep their offsets.
//
// Matching is case-insensitive: list entries and words are compared after ICU full case
// folding ("EL", "El" and "el" match "el"; "STRASSE" matches "straße").
//
// The bundled lists (en, es) are the Snowball project's stop lists as PostgreSQL ships them
// (BSD-3-Clause), also in corpora/text/stopwords/ with their source; a user list is a UTF-8
// file with one word per line, '#' starting a comment, blank lines ignored.
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "augment/core/registry.hpp"
#include "augment/text/text.hpp"

namespace augment::text {

/// ICU full case folding (default options) of UTF-8 text.
std::string case_fold(std::string_view utf8);

/// The languages with a bundled stop list, as ISO 639-1 codes: {"en", "es"}.
std::vector<std::string> bundled_stopword_languages();

/// The bundled list for `language` (ISO code or libstemmer name, any case), words in the file's
/// order. Throws UsageError naming the bundled languages when there is none.
std::vector<std::string> bundled_stopwords(std::string_view language);

/// The words of a stop-list text: one per line, '#' to the end of a line is a comment,
/// surrounding whitespace trimmed, blank lines skipped. `where` names the source in errors
/// (DataError for a line holding two words or invalid UTF-8).
std::vector<std::string> parse_stopwords(std::string_view text, const std::string& where);

class StopwordSet {
 public:
  StopwordSet() = default;
  explicit StopwordSet(const std::vector<std::string>& words);
  /// The bundled list of `language`.
  static StopwordSet bundled(std::string_view language);
  /// A user list; DataError when the file cannot be read.
  static StopwordSet from_file(const std::filesystem::path& path);

  /// Whether the word, case folded, is in the list.
  bool contains(std::string_view word) const;
  std::size_t size() const { return folded_.size(); }

 private:
  std::unordered_set<std::string> folded_;
};

/// Removes the stop words of `tokens` in place by the rule above.
void remove_stopwords(Tokens& tokens, const StopwordSet& stopwords);

class RemoveStopwords final : public Transform {
 public:
  RemoveStopwords(const OpInfo& info, const nlohmann::json& settings);
  void apply(Sample& sample, const nlohmann::json& params) const override;

 private:
  bool from_sample_ = false;  // neither language nor words given: the sample's language
  StopwordSet set_;
};

OpInfo remove_stopwords_op();

}  // namespace augment::text
