#include "augment/text/strip_accents.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>

#include "augment/text/text.hpp"
#include "icu_text.hpp"

namespace augment::text {
namespace {

bool spanish_mark(UChar32 base, UChar32 mark) {
  return ((base == u'n' || base == u'N') && mark == 0x0303) ||  // ñ Ñ
         ((base == u'u' || base == u'U') && mark == 0x0308);    // ü Ü
}

class StripAccents final : public Transform {
 public:
  StripAccents(const OpInfo& info, const nlohmann::json& settings)
      : Transform(info, settings), keep_spanish_(settings["keep_spanish"].get<bool>()) {}
  void apply(Sample& sample, const nlohmann::json&) const override {
    Text& text = text_of(sample);
    text.utf8 = strip_accents(text.utf8, keep_spanish_);
  }

 private:
  bool keep_spanish_;
};

}  // namespace

std::string strip_accents(std::string_view utf8, bool keep_spanish) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2& nfd = *icu::Normalizer2::getNFDInstance(status);
  const icu::Normalizer2& nfc = *icu::Normalizer2::getNFCInstance(status);
  detail::check_icu(status, "strip_accents");
  const icu::UnicodeString decomposed = nfd.normalize(detail::to_unicode(utf8, "strip_accents"), status);
  detail::check_icu(status, "strip_accents");

  icu::UnicodeString kept;
  UChar32 base = U_SENTINEL;  // the last code point that is not a mark: what the marks sit on
  for (std::int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) != U_NON_SPACING_MARK) {
      base = c;
      kept.append(c);
    } else if (u_hasBinaryProperty(c, UCHAR_VARIATION_SELECTOR) || (keep_spanish && spanish_mark(base, c))) {
      kept.append(c);
    }
  }
  const icu::UnicodeString out = nfc.normalize(kept, status);
  detail::check_icu(status, "strip_accents");
  return detail::to_utf8(out);
}

OpInfo strip_accents_op() {
  return {
      .name = "strip_accents",
      .input = Kind::text,
      .output = Kind::text,
      .doc = "Drops nonspacing marks (NFD, remove Mn, NFC): canción → cancion; keeps ñ and ü unless keep_spanish is false.",
      .params = {{.name = "keep_spanish", .type = ParamType::boolean, .default_value = true,
                  .doc = "keep the tilde of ñ/Ñ and the diaeresis of ü/Ü (año is not ano)"}},
      .random = false,
      .create = make_transform<StripAccents>,
  };
}

}  // namespace augment::text
