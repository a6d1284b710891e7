#include "augment/text/tokenize.hpp"

#include <unicode/ubrk.h>

#include "augment/text/utf8.hpp"
#include "break_iterators.hpp"

namespace augment::text {
namespace {

class Tokenize final : public Transform {
 public:
  Tokenize(const OpInfo& info, const nlohmann::json& settings)
      : Transform(info, settings), locale_(settings["locale"].get<std::string>()) {}
  void apply(Sample& sample, const nlohmann::json&) const override {
    const Text& text = text_of(sample);
    sample = make_sample(tokenize(text.utf8, locale_.empty() ? text.language : locale_, text.language));
  }

 private:
  std::string locale_;
};

class Join final : public Transform {
 public:
  using Transform::Transform;
  void apply(Sample& sample, const nlohmann::json&) const override {
    const Tokens& tokens = tokens_of(sample);
    sample = make_sample(Text{tokens.join(), tokens.language});
  }
};

}  // namespace

Tokens tokenize(std::string_view utf8, const std::string& locale, const std::string& language) {
  require_utf8(utf8, "tokenize");
  Tokens out;
  out.language = language;
  if (utf8.empty()) return out;
  icu::BreakIterator& it = detail::break_iterator(detail::BreakKind::word, locale, utf8);
  std::int32_t start = it.first();
  for (std::int32_t end = it.next(); end != icu::BreakIterator::DONE; start = end, end = it.next()) {
    const std::int32_t status = it.getRuleStatus();  // of the piece that ends at `end`
    const auto offset = static_cast<std::size_t>(start);
    out.pieces.push_back({.text = std::string(utf8.substr(offset, static_cast<std::size_t>(end - start))),
                          .is_word = !(status >= UBRK_WORD_NONE && status < UBRK_WORD_NONE_LIMIT),
                          .offset = offset});
  }
  return out;
}

OpInfo tokenize_op() {
  return {
      .name = "tokenize",
      .input = Kind::text,
      .output = Kind::tokens,
      .doc = "Cuts text at ICU word boundaries (UAX #29) into word and non-word pieces that join back to it byte for byte.",
      .params = {{.name = "locale", .type = ParamType::string, .default_value = "",
                  .doc = "ICU locale of the word rules (\"es\", \"ja\"); empty: the sample's language, else root"}},
      .random = false,
      .create = make_transform<Tokenize>,
  };
}

OpInfo join_op() {
  return {
      .name = "join",
      .input = Kind::tokens,
      .output = Kind::text,
      .doc = "Concatenates the pieces back into text (the inverse of tokenize when nothing was edited).",
      .params = {},
      .random = false,
      .create = make_transform<Join>,
  };
}

}  // namespace augment::text
