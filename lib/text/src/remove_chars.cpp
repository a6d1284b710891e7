#include "augment/text/remove_chars.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "augment/core/error.hpp"
#include "augment/text/graphemes.hpp"
#include "augment/text/text.hpp"
#include "augment/text/utf8.hpp"

namespace augment::text {
namespace {

UChar32 first_code_point(std::string_view cluster) {
  std::int32_t i = 0;
  UChar32 c;
  U8_NEXT(reinterpret_cast<const std::uint8_t*>(cluster.data()), i, static_cast<std::int32_t>(cluster.size()), c);
  return c;
}

bool is_whitespace(std::string_view cluster) { return u_isUWhiteSpace(first_code_point(cluster)); }

WhitespaceMode parse_whitespace(const std::string& name) {
  if (name == "collapse") return WhitespaceMode::collapse;
  if (name == "remove") return WhitespaceMode::remove;
  return WhitespaceMode::keep;
}

RemoveCharsOptions options_of(const nlohmann::json& s) {
  return {.punctuation = s["punctuation"].get<bool>(),
          .digits = s["digits"].get<bool>(),
          .symbols = s["symbols"].get<bool>(),
          .chars = s["chars"].get<std::string>(),
          .replacement = s["replacement"].get<std::string>(),
          .whitespace = parse_whitespace(s["whitespace"].get<std::string>())};
}

class RemoveChars final : public Transform {
 public:
  RemoveChars(const OpInfo& info, const nlohmann::json& settings)
      : Transform(info, settings), options_(options_of(settings)) {}
  void apply(Sample& sample, const nlohmann::json&) const override {
    Text& text = text_of(sample);
    text.utf8 = remove_chars(text.utf8, options_);
  }

 private:
  RemoveCharsOptions options_;
};

}  // namespace

std::string remove_chars(std::string_view utf8, const RemoveCharsOptions& options) {
  const auto set = grapheme_clusters(options.chars);
  std::string removed;
  removed.reserve(utf8.size());
  for (const std::string_view cluster : grapheme_clusters(utf8)) {
    const std::uint32_t mask = U_GET_GC_MASK(first_code_point(cluster));
    const bool drop = (options.punctuation && (mask & U_GC_P_MASK)) || (options.digits && (mask & U_GC_ND_MASK)) ||
                      (options.symbols && (mask & U_GC_S_MASK)) || std::find(set.begin(), set.end(), cluster) != set.end();
    removed += drop ? std::string_view(options.replacement) : cluster;
  }
  if (options.whitespace == WhitespaceMode::keep) return removed;

  // A second pass, so whitespace the removal brought together (or a " " replacement) is tidied too.
  std::string out;
  out.reserve(removed.size());
  bool pending_space = false;
  for (const std::string_view cluster : grapheme_clusters(removed)) {
    if (is_whitespace(cluster)) {
      pending_space = options.whitespace == WhitespaceMode::collapse;
      continue;
    }
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    out += cluster;
  }
  return out;
}

OpInfo remove_chars_op() {
  return {
      .name = "remove_chars",
      .input = Kind::text,
      .output = Kind::text,
      .doc = "Removes punctuation, digits, symbols (emoji included) and/or given characters, whole grapheme clusters at a time; "
             "optionally collapses or removes whitespace.",
      .params = {{.name = "punctuation", .type = ParamType::boolean, .default_value = false,
                  .doc = "remove punctuation (general category P*: . , ¿ ¡ quotes dashes brackets)"},
                 {.name = "digits", .type = ParamType::boolean, .default_value = false,
                  .doc = "remove decimal digits of any script (Nd)"},
                 {.name = "symbols", .type = ParamType::boolean, .default_value = false,
                  .doc = "remove symbols (S*: math, currency, © and emoji)"},
                 {.name = "chars", .type = ParamType::string, .default_value = "",
                  .doc = "characters (grapheme clusters) to remove wherever they stand whole"},
                 {.name = "replacement", .type = ParamType::string, .default_value = "",
                  .doc = "what each removed character becomes (\" \" keeps the words around it apart)"},
                 {.name = "whitespace", .type = ParamType::string, .default_value = "keep",
                  .choices = {"keep", "collapse", "remove"},
                  .doc = "then: keep whitespace, collapse each run to one space (trimmed), or remove it all"}},
      .random = false,
      .check =
          [](const nlohmann::json& s) {
            if (!s["punctuation"].get<bool>() && !s["digits"].get<bool>() && !s["symbols"].get<bool>() &&
                s["chars"].get<std::string>().empty() && s["whitespace"].get<std::string>() == "keep")
              throw std::invalid_argument(
                  "remove_chars removes nothing: set punctuation, digits or symbols to true, give chars, or a whitespace mode");
            if (const auto& chars = s["chars"].get<std::string>(); !is_valid_utf8(chars))
              throw std::invalid_argument("chars is not valid UTF-8");
            if (!is_valid_utf8(s["replacement"].get<std::string>()))
              throw std::invalid_argument("replacement is not valid UTF-8");
          },
      .create = make_transform<RemoveChars>,
  };
}

}  // namespace augment::text
