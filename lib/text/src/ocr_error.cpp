#include "augment/text/ocr_error.hpp"

#include <algorithm>
#include <stdexcept>

#include "augment/text/char_edits.hpp"
#include "augment/text/graphemes.hpp"
#include "augment/text/text.hpp"
#include "augment/text/utf8.hpp"
#include "corpora_data.hpp"

namespace augment::text {
namespace {

// corpora/text/ocr/confusions.tsv, compiled in (lib/text/CMakeLists.txt).
constexpr std::string_view confusions_source = corpora::ocr_confusions;

}  // namespace

OcrTable parse_ocr_table(std::string_view tsv) {
  OcrTable table;
  std::size_t line_number = 0;
  while (!tsv.empty()) {
    const std::size_t eol = std::min(tsv.find('\n'), tsv.size());
    std::string_view line = tsv.substr(0, eol);
    tsv.remove_prefix(std::min(eol + 1, tsv.size()));
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const std::string where = "OCR table line " + std::to_string(line_number);
    const std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos || tab == 0 || tab + 1 == line.size() || line.find('\t', tab + 1) != line.npos)
      throw std::invalid_argument(where + ": expected source<TAB>target");
    if (const auto bad = first_invalid_utf8(line))
      throw std::invalid_argument(where + ": invalid UTF-8 at byte " + std::to_string(*bad));
    std::vector<std::string> source;
    const std::string nfc_source = to_nfc(line.substr(0, tab));  // named: the clusters are views into it
    for (std::string_view c : grapheme_clusters(nfc_source)) source.emplace_back(c);
    const std::string target = to_nfc(line.substr(tab + 1));
    auto& list = table.by_first[source.front()];
    auto it = std::find_if(list.begin(), list.end(), [&](const OcrConfusion& c) { return c.source == source; });
    if (it == list.end()) {
      list.push_back({std::move(source), {}});
      it = list.end() - 1;
    }
    if (std::find(it->targets.begin(), it->targets.end(), target) == it->targets.end()) it->targets.push_back(target);
  }
  for (auto& [first, list] : table.by_first)
    std::stable_sort(list.begin(), list.end(),
                     [](const OcrConfusion& a, const OcrConfusion& b) { return a.source.size() > b.source.size(); });
  return table;
}

const OcrTable& ocr_table() {
  static const OcrTable table = parse_ocr_table(confusions_source);
  return table;
}

std::string_view ocr_table_source() { return confusions_source; }

nlohmann::json OcrError::draw(Rng& rng, const Sample& sample) const {
  const Text& text = text_of(sample);
  require_utf8(text.utf8, info().name);
  const OcrTable& table = ocr_table();
  const auto clusters = grapheme_clusters(text.utf8);
  const EditCountOptions options = edit_count_options(settings(), rng);
  const Eligibility el = eligible_clusters(clusters, options);
  std::vector<std::string> nfc(clusters.size());
  for (std::size_t i = 0; i < clusters.size(); ++i)
    if (el.eligible[i]) nfc[i] = to_nfc(clusters[i]);
  // Each place's longest matching source, over eligible clusters of one word.
  std::vector<const OcrConfusion*> match(clusters.size(), nullptr);
  std::vector<std::size_t> units;
  for (std::size_t i = 0; i < clusters.size(); ++i) {
    if (!el.eligible[i]) continue;
    const auto found = table.by_first.find(nfc[i]);
    if (found == table.by_first.end()) continue;
    for (const OcrConfusion& c : found->second) {
      const std::size_t len = c.source.size();
      bool ok = i + len <= clusters.size();
      for (std::size_t k = 1; ok && k < len; ++k)
        ok = el.eligible[i + k] && el.word[i + k] == el.word[i] && nfc[i + k] == c.source[k];
      if (ok) {
        match[i] = &c;
        break;
      }
    }
    if (match[i]) units.push_back(i);
  }
  const std::size_t count = draw_edit_count(rng, options, units.size());
  const EditProposer propose = [&](std::size_t u, Rng& r) -> std::optional<CharEdit> {
    const OcrConfusion& c = *match[u];
    return CharEdit{u, EditOp::substitute, c.targets[r.index(c.targets.size())], c.source.size()};
  };
  return edits_to_json(draw_edits(rng, clusters, std::move(units), count, propose));
}

void OcrError::apply(Sample& sample, const nlohmann::json& params) const {
  Text& text = text_of(sample);
  text.utf8 = apply_edits(text.utf8, edits_from_json(params), info().name);
}

OpInfo ocr_error_op() {
  return {
      .name = "ocr_error",
      .input = Kind::text,
      .output = Kind::text,
      .doc = "OCR misreadings from a confusion table (rn -> m, cl -> d, 0 -> O, 1 -> l, é -> e, ...), longest "
             "match first, on whole grapheme clusters; recorded as [cluster, \"substitute\", target(, length)].",
      .params = edit_count_params(true),
      .random = true,
      .check = check_edit_count,
      .create = make_transform<OcrError>,
  };
}

}  // namespace augment::text
