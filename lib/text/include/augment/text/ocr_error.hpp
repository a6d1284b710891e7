#pragma once
// ocr_error: the misreadings of an OCR engine, from a confusion table
// (corpora/text/ocr/confusions.tsv, compiled into the library byte for byte). Sources may span
// several characters and targets may too: "modern" -> "modem" (rn -> m), "clear" -> "dear"
// (cl -> d), "will" -> "wiIl" (l -> I), "2005" -> "2OO5" (0 -> O), "SOS" -> "5OS", "niño" ->
// "nino" (ñ -> n), "cafe" -> "café" (e -> é). At each place the longest source that matches is
// the one used; a source matches whole grapheme clusters, compared in NFC (so "n" + U+0303
// matches ñ), and only within one eligible word (edit_count.hpp), never across a space.
// Digits are eligible by default (`digits` true): 0/O, 1/l/I and 5/S are OCR's commonest
// confusions. Params are recorded like the char ops': {"edits": [[cluster, "substitute",
// target(, clusters replaced)], ...]}.
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "augment/core/registry.hpp"

namespace augment::text {

struct OcrConfusion {
  std::vector<std::string> source;   // NFC clusters
  std::vector<std::string> targets;  // NFC
};

struct OcrTable {
  /// First cluster of a source -> the confusions starting with it, longest source first.
  std::map<std::string, std::vector<OcrConfusion>, std::less<>> by_first;
};

/// Reads "source<TAB>target" lines ('#' starts a comment line; blank lines skipped); throws
/// std::invalid_argument naming the line.
OcrTable parse_ocr_table(std::string_view tsv);
/// The built-in table and its file text.
const OcrTable& ocr_table();
std::string_view ocr_table_source();

class OcrError final : public Transform {
 public:
  using Transform::Transform;
  nlohmann::json draw(Rng& rng, const Sample& sample) const override;
  void apply(Sample& sample, const nlohmann::json& params) const override;
};

OpInfo ocr_error_op();

}  // namespace augment::text
