#include "augment/text/char_edits.hpp"

#include <algorithm>
#include <stdexcept>

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include "augment/core/error.hpp"
#include "augment/text/graphemes.hpp"
#include "augment/text/text.hpp"
#include "augment/text/utf8.hpp"
#include "break_iterators.hpp"

namespace augment::text {
namespace {

constexpr std::size_t kNew = static_cast<std::size_t>(-1);

struct Piece {
  std::string_view text;
  std::size_t source;  // the input cluster it is, or kNew for a replacement
};

const char* op_name(EditOp op) {
  switch (op) {
    case EditOp::insert: return "insert";
    case EditOp::substitute: return "substitute";
    case EditOp::erase: return "delete";
    case EditOp::swap: return "swap";
  }
  return "?";
}

std::size_t span_length(const CharEdit& e) {
  switch (e.op) {
    case EditOp::insert: return 0;
    case EditOp::swap: return 2;
    default: return e.length;
  }
}

// Validated and ordered: by index, inserts before the edit that starts at the same index.
std::vector<const CharEdit*> ordered(std::size_t n, std::span<const CharEdit> edits) {
  std::vector<const CharEdit*> v;
  v.reserve(edits.size());
  for (const CharEdit& e : edits) v.push_back(&e);
  std::stable_sort(v.begin(), v.end(), [](const CharEdit* a, const CharEdit* b) {
    if (a->index != b->index) return a->index < b->index;
    return a->op == EditOp::insert && b->op != EditOp::insert;
  });
  std::size_t covered_end = 0;
  for (const CharEdit* e : v) {
    const std::string where = std::string("edit ") + op_name(e->op) + " at cluster " + std::to_string(e->index);
    if (const auto bad = first_invalid_utf8(e->replacement))
      throw UsageError(where + ": replacement is not valid UTF-8 at byte " + std::to_string(*bad));
    if (e->op != EditOp::insert && e->length == 0) throw UsageError(where + ": length must be at least 1");
    const std::size_t len = span_length(*e);
    if (e->index > n || len > n - e->index)
      throw UsageError(where + ": out of range for a text of " + std::to_string(n) + " clusters");
    if (e->index < covered_end) throw UsageError(where + ": overlaps an earlier edit");
    if (len > 0) covered_end = e->index + len;
  }
  return v;
}

std::vector<Piece> layout(std::span<const std::string_view> c, const std::vector<const CharEdit*>& v) {
  std::vector<Piece> out;
  out.reserve(c.size() + v.size());
  const std::size_t n = c.size();
  std::size_t i = 0, k = 0;
  for (;;) {
    while (k < v.size() && v[k]->index == i && v[k]->op == EditOp::insert) out.push_back({v[k++]->replacement, kNew});
    if (i >= n) break;
    if (k < v.size() && v[k]->index == i) {
      const CharEdit& e = *v[k++];
      if (e.op == EditOp::swap) {
        out.push_back({c[i + 1], i + 1});
        out.push_back({c[i], i});
      } else if (e.op == EditOp::substitute && !e.replacement.empty()) {
        out.push_back({e.replacement, kNew});
      }
      i += span_length(e);
    } else {
      out.push_back({c[i], i});
      ++i;
    }
  }
  return out;
}

UChar32 first_cp(std::string_view s) {
  std::int32_t i = 0;
  UChar32 c;
  U8_NEXT(reinterpret_cast<const std::uint8_t*>(s.data()), i, static_cast<std::int32_t>(s.size()), c);
  return c;
}

UChar32 last_cp(std::string_view s) {
  auto i = static_cast<std::int32_t>(s.size());
  UChar32 c;
  U8_PREV(reinterpret_cast<const std::uint8_t*>(s.data()), 0, i, c);
  return c;
}

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
}

std::vector<std::string> nfc_clusters(std::string_view utf8) {
  std::vector<std::string> out;
  const std::string nfc = to_nfc(utf8);  // named: the clusters are views into it
  for (std::string_view c : grapheme_clusters(nfc)) {
    std::string s(c);
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

std::string to_nfc(std::string_view utf8) {
  if (is_ascii(utf8)) return std::string(utf8);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  const icu::UnicodeString s = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size())));
  if (U_FAILURE(status) || nfc->isNormalized(s, status)) return std::string(utf8);
  std::string out;
  nfc->normalize(s, status).toUTF8String(out);
  return out;
}

bool starts_upper(std::string_view cluster) { return !cluster.empty() && u_isupper(first_cp(cluster)); }

std::string to_upper(std::string_view utf8) {
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size())));
  s.toUpper(icu::Locale::getRoot());
  std::string out;
  s.toUTF8String(out);
  return out;
}

bool clusters_join(std::string_view left, std::string_view right) {
  if (left.empty() || right.empty()) return false;
  const UChar32 l = last_cp(left), r = first_cp(right);
  // Only these break properties can glue two clusters (UAX #29 GB3-GB13): ask ICU about them,
  // answer the common case (letters, spaces, punctuation) without building a string.
  const auto gcb = [](UChar32 c) { return u_getIntPropertyValue(c, UCHAR_GRAPHEME_CLUSTER_BREAK); };
  const int gl = gcb(l), gr = gcb(r);
  const auto hangul = [](int g) {
    return g == U_GCB_L || g == U_GCB_V || g == U_GCB_T || g == U_GCB_LV || g == U_GCB_LVT;
  };
  const bool maybe = gr == U_GCB_EXTEND || gr == U_GCB_ZWJ || gr == U_GCB_SPACING_MARK || gl == U_GCB_PREPEND ||
                     gl == U_GCB_ZWJ || gl == U_GCB_EXTEND || (gl == U_GCB_CR && gr == U_GCB_LF) ||
                     (gl == U_GCB_REGIONAL_INDICATOR && gr == U_GCB_REGIONAL_INDICATOR) || (hangul(gl) && hangul(gr));
  if (!maybe) return false;
  const std::string both = std::string(left) + std::string(right);
  icu::BreakIterator& it = detail::break_iterator(detail::BreakKind::character, "", both);
  return !it.isBoundary(static_cast<std::int32_t>(left.size()));
}

std::string apply_edits(std::span<const std::string_view> clusters, std::span<const CharEdit> edits) {
  const auto pieces = layout(clusters, ordered(clusters.size(), edits));
  std::string out;
  std::size_t bytes = 0;
  for (const Piece& p : pieces) bytes += p.text.size();
  out.reserve(bytes);
  for (const Piece& p : pieces) out += p.text;
  return out;
}

std::string apply_edits(std::string_view utf8, std::span<const CharEdit> edits, std::string_view what) {
  require_utf8(utf8, what);
  if (edits.empty()) return std::string(utf8);
  const auto clusters = grapheme_clusters(utf8);
  try {
    return apply_edits(clusters, edits);
  } catch (const UsageError& e) {
    throw UsageError(std::string(what) + ": " + e.what());
  }
}

nlohmann::json edits_to_json(std::span<const CharEdit> edits) {
  nlohmann::json list = nlohmann::json::array();
  for (const CharEdit& e : edits) {
    nlohmann::json entry = {e.index, op_name(e.op), e.replacement};
    if (e.op == EditOp::substitute && e.length != 1) entry.push_back(e.length);
    list.push_back(std::move(entry));
  }
  return {{"edits", std::move(list)}};
}

std::vector<CharEdit> edits_from_json(const nlohmann::json& params) {
  if (!params.is_object() || !params.contains("edits") || !params["edits"].is_array())
    throw UsageError("params need a list \"edits\" of [cluster_index, op, replacement], got " + params.dump());
  std::vector<CharEdit> out;
  const auto whole = [](const nlohmann::json& v) { return v.is_number_integer() && v.get<std::int64_t>() >= 0; };
  for (const auto& entry : params["edits"]) {
    const bool shape = entry.is_array() && (entry.size() == 3 || entry.size() == 4) && whole(entry[0]) &&
                       entry[1].is_string() && entry[2].is_string() && (entry.size() == 3 || whole(entry[3]));
    if (!shape)
      throw UsageError("an edit must be [cluster_index, \"insert|substitute|delete|swap\", replacement(, length)], got " +
                       entry.dump());
    CharEdit e;
    e.index = entry[0].get<std::size_t>();
    const auto& op = entry[1].get_ref<const std::string&>();
    if (op == "insert") e.op = EditOp::insert;
    else if (op == "substitute") e.op = EditOp::substitute;
    else if (op == "delete") e.op = EditOp::erase;
    else if (op == "swap") e.op = EditOp::swap;
    else throw UsageError("unknown edit op \"" + op + "\" in " + entry.dump() + " (known: insert, substitute, delete, swap)");
    e.replacement = entry[2].get<std::string>();
    if (entry.size() == 4) e.length = entry[3].get<std::size_t>();
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<CharEdit> draw_edits(Rng& rng, std::span<const std::string_view> clusters, std::vector<std::size_t> units,
                                 std::size_t count, const EditProposer& propose) {
  const std::size_t n = clusters.size();
  std::vector<CharEdit> accepted;
  std::vector<bool> occupied(n, false);
  for (std::size_t t = 0; t < units.size() && accepted.size() < count; ++t) {
    std::swap(units[t], units[t + rng.index(units.size() - t)]);  // lazy Fisher-Yates
    const std::size_t u = units[t];
    if (u >= n || occupied[u]) continue;
    std::optional<CharEdit> e = propose(u, rng);
    if (!e) continue;
    const std::size_t len = span_length(*e);
    if (e->index > n || len > n - e->index) continue;
    bool clash = false;
    for (std::size_t i = e->index; i < e->index + len; ++i) clash = clash || occupied[i];
    if (clash) continue;
    accepted.push_back(std::move(*e));
    // Every neighbourhood the edits create must still break where the pieces meet.
    const auto pieces = layout(clusters, ordered(n, accepted));
    bool joins = false;
    for (std::size_t i = 1; i < pieces.size() && !joins; ++i) {
      const Piece &a = pieces[i - 1], &b = pieces[i];
      if (a.source != kNew && b.source == a.source + 1) continue;
      joins = clusters_join(a.text, b.text);
    }
    if (joins) {
      accepted.pop_back();
      continue;
    }
    occupied[u] = true;
    for (std::size_t i = accepted.back().index; i < accepted.back().index + len; ++i) occupied[i] = true;
  }
  std::stable_sort(accepted.begin(), accepted.end(), [](const CharEdit& a, const CharEdit& b) {
    if (a.index != b.index) return a.index < b.index;
    return a.op == EditOp::insert && b.op != EditOp::insert;
  });
  return accepted;
}

std::vector<std::string> default_alphabet(std::string_view language) {
  static const std::vector<std::string> english = nfc_clusters("abcdefghijklmnopqrstuvwxyz");
  static const std::vector<std::string> spanish = nfc_clusters("abcdefghijklmnopqrstuvwxyzñáéíóúü");
  const std::string_view code = language.substr(0, std::min(language.find_first_of("-_"), language.size()));
  return code == "es" || code == "ES" ? spanish : english;
}

CharEditTransform::CharEditTransform(const OpInfo& info, const nlohmann::json& settings, CharEditKind kind)
    : Transform(info, settings), kind_(kind) {
  if (settings.contains("alphabet") && settings["alphabet"].is_string()) alphabet_ = nfc_clusters(settings["alphabet"].get<std::string>());
}

nlohmann::json CharEditTransform::draw(Rng& rng, const Sample& sample) const {
  const Text& text = text_of(sample);
  require_utf8(text.utf8, info().name);
  const auto clusters = grapheme_clusters(text.utf8);
  const EditCountOptions options = edit_count_options(settings(), rng);
  const Eligibility el = eligible_clusters(clusters, options);
  std::vector<std::size_t> units;
  for (std::size_t i = 0; i < clusters.size(); ++i) {
    if (!el.eligible[i]) continue;
    if (kind_ == CharEditKind::swap &&
        (i + 1 >= clusters.size() || !el.eligible[i + 1] || el.word[i + 1] != el.word[i] || clusters[i] == clusters[i + 1]))
      continue;
    units.push_back(i);
  }
  const std::size_t count = draw_edit_count(rng, options, units.size());
  const std::vector<std::string> alphabet = alphabet_.empty() ? default_alphabet(text.language) : alphabet_;
  const auto in_case = [&](std::size_t u, const std::string& letter) {
    return starts_upper(clusters[u]) ? to_upper(letter) : letter;
  };
  const EditProposer propose = [&](std::size_t u, Rng& r) -> std::optional<CharEdit> {
    switch (kind_) {
      case CharEditKind::insert: {
        const std::size_t at = u + (r.bernoulli(0.5) ? 1 : 0);
        return CharEdit{at, EditOp::insert, in_case(u, alphabet[r.index(alphabet.size())])};
      }
      case CharEditKind::substitute: {
        // Uniform over the alphabet's other letters: redraw among the rest when we hit this one.
        const std::string now = to_nfc(clusters[u]);
        const auto same = [&](std::size_t j) { return in_case(u, alphabet[j]) == now; };
        std::size_t j = r.index(alphabet.size());
        if (same(j)) {
          if (alphabet.size() < 2) return std::nullopt;
          j = (j + 1 + r.index(alphabet.size() - 1)) % alphabet.size();
        }
        return CharEdit{u, EditOp::substitute, in_case(u, alphabet[j])};
      }
      case CharEditKind::erase: return CharEdit{u, EditOp::erase, ""};
      case CharEditKind::swap: return CharEdit{u, EditOp::swap, ""};
    }
    return std::nullopt;
  };
  return edits_to_json(draw_edits(rng, clusters, std::move(units), count, propose));
}

void CharEditTransform::apply(Sample& sample, const nlohmann::json& params) const {
  Text& text = text_of(sample);
  text.utf8 = apply_edits(text.utf8, edits_from_json(params), info().name);
}

namespace {

void check_alphabet(const nlohmann::json& settings) {
  check_edit_count(settings);
  const auto& a = settings["alphabet"];
  if (a.is_null()) return;
  const auto& s = a.get_ref<const std::string&>();
  if (const auto bad = first_invalid_utf8(s))
    throw std::invalid_argument("alphabet is not valid UTF-8 at byte " + std::to_string(*bad));
  if (s.empty()) throw std::invalid_argument("alphabet must hold at least one character");
}

OpInfo char_op(std::string name, std::string doc, CharEditKind kind, bool with_alphabet) {
  std::vector<ParamSpec> params = edit_count_params(false);
  if (with_alphabet)
    params.push_back({.name = "alphabet", .type = ParamType::string,
                      .doc = "the characters to draw from (default by the text's language: es a-z ñ á é í ó ú ü, else a-z)"});
  return {
      .name = std::move(name),
      .input = Kind::text,
      .output = Kind::text,
      .doc = std::move(doc),
      .params = std::move(params),
      .random = true,
      .check = with_alphabet ? check_alphabet : check_edit_count,
      .create = [kind](const OpInfo& info, const nlohmann::json& settings) -> std::unique_ptr<Transform> {
        return std::make_unique<CharEditTransform>(info, settings, kind);
      },
  };
}

}  // namespace

OpInfo char_insert_op() {
  return char_op("char_insert",
                 "Inserts letters of the alphabet next to eligible letters (grapheme clusters), in their case; "
                 "edits recorded as [cluster, \"insert\", letter].",
                 CharEditKind::insert, true);
}

OpInfo char_substitute_op() {
  return char_op("char_substitute",
                 "Replaces eligible letters (grapheme clusters) with other letters of the alphabet, in their case.",
                 CharEditKind::substitute, true);
}

OpInfo char_delete_op() {
  return char_op("char_delete", "Deletes eligible letters (grapheme clusters).", CharEditKind::erase, false);
}

OpInfo char_swap_op() {
  return char_op("char_swap", "Swaps adjacent eligible letters (grapheme clusters) of one word.", CharEditKind::swap,
                 false);
}

}  // namespace augment::text
