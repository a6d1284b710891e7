#include "augment/text/edit_count.hpp"

#include <algorithm>
#include <stdexcept>
#include <unordered_set>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include "augment/text/utf8.hpp"

namespace augment::text {
namespace {

UChar32 first_code_point(std::string_view s) {
  if (s.empty()) return -1;
  std::int32_t i = 0;
  UChar32 c;
  U8_NEXT(reinterpret_cast<const std::uint8_t*>(s.data()), i, static_cast<std::int32_t>(s.size()), c);
  return c;
}

}  // namespace

std::vector<ParamSpec> edit_count_params(bool digits_default) {
  return {
      {.name = "unit_p", .default_value = 0.1, .drawable = true, .minimum = 0.0, .maximum = 1.0,
       .doc = "probability that each eligible unit is edited, or [lo, hi] drawn per sample"},
      {.name = "min", .type = ParamType::integer, .default_value = 1, .minimum = 0, .maximum = 1e6,
       .doc = "at least this many edits (when there are that many eligible units)"},
      {.name = "max", .type = ParamType::integer, .default_value = 10, .minimum = 0, .maximum = 1e6,
       .doc = "at most this many edits"},
      {.name = "min_word_length", .type = ParamType::integer, .default_value = 3, .minimum = 1, .maximum = 1e6,
       .doc = "words shorter than this many characters (grapheme clusters) are left alone"},
      {.name = "skip_words", .type = ParamType::string, .default_value = "",
       .doc = "words never edited, separated by spaces or commas; case-insensitive"},
      {.name = "digits", .type = ParamType::boolean, .default_value = digits_default,
       .doc = "whether digits may be edited (letters always may; punctuation, symbols and emoji never)"},
  };
}

void check_edit_count(const nlohmann::json& settings) {
  if (settings["min"].get<std::int64_t>() > settings["max"].get<std::int64_t>())
    throw std::invalid_argument("min must be <= max, got min " + settings["min"].dump() + " and max " +
                                settings["max"].dump());
  const auto& words = settings["skip_words"].get_ref<const std::string&>();
  if (const auto bad = first_invalid_utf8(words))
    throw std::invalid_argument("skip_words is not valid UTF-8 at byte " + std::to_string(*bad));
}

EditCountOptions edit_count_options(const nlohmann::json& settings, Rng& rng) {
  EditCountOptions o;
  o.p = draw_number(settings["unit_p"], rng);
  o.min = settings["min"].get<std::int64_t>();
  o.max = settings["max"].get<std::int64_t>();
  o.min_word_length = settings["min_word_length"].get<std::size_t>();
  o.skip_words = parse_word_list(settings["skip_words"].get_ref<const std::string&>());
  o.digits = settings["digits"].get<bool>();
  return o;
}

std::string fold_word(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size())));
  if (U_SUCCESS(status)) s = nfc->normalize(s, status);
  s.foldCase();
  std::string out;
  s.toUTF8String(out);
  return out;
}

std::vector<std::string> parse_word_list(std::string_view words) {
  std::vector<std::string> out;
  std::size_t i = 0;
  auto separator = [](char c) { return c == ' ' || c == ',' || c == '\t' || c == '\n' || c == '\r'; };
  while (i < words.size()) {
    while (i < words.size() && separator(words[i])) ++i;
    const std::size_t start = i;
    while (i < words.size() && !separator(words[i])) ++i;
    if (i > start) out.push_back(fold_word(words.substr(start, i - start)));
  }
  return out;
}

ClusterClass classify_cluster(std::string_view cluster) {
  const UChar32 c = first_code_point(cluster);
  if (c < 0) return ClusterClass::other;
  if (c < 0x80) {  // the common case without a property lookup
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return ClusterClass::letter;
    return c >= '0' && c <= '9' ? ClusterClass::digit : ClusterClass::other;
  }
  if (u_hasBinaryProperty(c, UCHAR_ALPHABETIC)) return ClusterClass::letter;
  return u_isdigit(c) ? ClusterClass::digit : ClusterClass::other;
}

Eligibility eligible_clusters(std::span<const std::string_view> clusters, const EditCountOptions& options) {
  const std::size_t n = clusters.size();
  Eligibility e{std::vector<std::size_t>(n, Eligibility::npos), std::vector<bool>(n, false)};
  const std::unordered_set<std::string> skip(options.skip_words.begin(), options.skip_words.end());
  std::vector<ClusterClass> cls(n);
  for (std::size_t i = 0; i < n; ++i) cls[i] = classify_cluster(clusters[i]);
  std::size_t words = 0;
  for (std::size_t i = 0; i < n;) {
    if (cls[i] == ClusterClass::other) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < n && cls[end] != ClusterClass::other) ++end;
    bool ok = end - i >= options.min_word_length;
    if (ok && !skip.empty()) {
      const std::string_view word(clusters[i].data(),
                                  static_cast<std::size_t>(clusters[end - 1].data() + clusters[end - 1].size() - clusters[i].data()));
      ok = !skip.contains(fold_word(word));
    }
    for (std::size_t j = i; j < end; ++j) {
      e.word[j] = words;
      e.eligible[j] = ok && (cls[j] == ClusterClass::letter || options.digits);
    }
    ++words;
    i = end;
  }
  return e;
}

std::size_t draw_edit_count(Rng& rng, const EditCountOptions& options, std::size_t units) {
  std::int64_t k = 0;
  for (std::size_t i = 0; i < units; ++i) k += rng.bernoulli(options.p) ? 1 : 0;
  k = std::clamp(k, options.min, std::max(options.min, options.max));
  return std::min(static_cast<std::size_t>(k), units);
}

}  // namespace augment::text
