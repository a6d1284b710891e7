#include "augment/text/normalize.hpp"

#include <unicode/bytestream.h>
#include <unicode/casemap.h>
#include <unicode/normalizer2.h>

#include <algorithm>

#include "augment/text/text.hpp"
#include "icu_text.hpp"

namespace augment::text {
namespace {

const icu::Normalizer2& normalizer(NormalForm form) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = nullptr;
  switch (form) {
    case NormalForm::nfc: n = icu::Normalizer2::getNFCInstance(status); break;
    case NormalForm::nfd: n = icu::Normalizer2::getNFDInstance(status); break;
    case NormalForm::nfkc: n = icu::Normalizer2::getNFKCInstance(status); break;
    case NormalForm::nfkd: n = icu::Normalizer2::getNFKDInstance(status); break;
  }
  detail::check_icu(status, "normalize");
  return *n;
}

icu::UnicodeString apply_form(const icu::UnicodeString& s, NormalForm form) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString out = normalizer(form).normalize(s, status);
  detail::check_icu(status, "normalize");
  return out;
}

class Normalize final : public Transform {
 public:
  Normalize(const OpInfo& info, const nlohmann::json& settings)
      : Transform(info, settings),
        form_(parse_normal_form(settings["form"].get<std::string>())),
        case_fold_(settings["case_fold"].get<bool>()) {}
  void apply(Sample& sample, const nlohmann::json&) const override {
    Text& text = text_of(sample);
    text.utf8 = normalize_text(text.utf8, form_, case_fold_);
  }

 private:
  NormalForm form_;
  bool case_fold_;
};

}  // namespace

std::string lower_case(std::string_view utf8) {
  // ASCII, the common case, needs no ICU call.
  if (std::all_of(utf8.begin(), utf8.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    std::string out(utf8);
    for (char& c : out)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
  }
  std::string out;
  icu::StringByteSink<std::string> sink(&out);
  UErrorCode status = U_ZERO_ERROR;
  icu::CaseMap::utf8ToLower("", 0, icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size())), sink,
                            nullptr, status);
  detail::check_icu(status, "lower-casing");
  return out;
}

NormalForm parse_normal_form(std::string_view name) {
  if (name == "nfc") return NormalForm::nfc;
  if (name == "nfd") return NormalForm::nfd;
  if (name == "nfkc") return NormalForm::nfkc;
  if (name == "nfkd") return NormalForm::nfkd;
  throw UsageError("normalize: form must be nfc, nfd, nfkc or nfkd, got \"" + std::string(name) + "\"");
}

std::string normalize_text(std::string_view utf8, NormalForm form, bool case_fold) {
  icu::UnicodeString s = detail::to_unicode(utf8, "normalize");
  if (case_fold) {
    s = apply_form(s, NormalForm::nfd).foldCase();
    if (form == NormalForm::nfkc || form == NormalForm::nfkd) s = apply_form(s, NormalForm::nfkd).foldCase();
  }
  return detail::to_utf8(apply_form(s, form));
}

std::string fold_case(std::string_view utf8) { return detail::to_utf8(detail::to_unicode(utf8, "fold_case").foldCase()); }

OpInfo normalize_op() {
  return {
      .name = "normalize",
      .input = Kind::text,
      .output = Kind::text,
      .doc = "Unicode normalization (NFC, NFD, NFKC, NFKD), optionally case-folded as Unicode's caseless matching "
             "(D145/D146: Straße → strasse; under NFKC ℌ → h).",
      .params = {{.name = "form", .type = ParamType::string, .default_value = "nfc", .choices = {"nfc", "nfd", "nfkc", "nfkd"},
                  .doc = "nfc/nfd: canonical; nfkc/nfkd also fold compatibility forms (ﬁ → fi, ² → 2, full-width → ASCII)"},
                 {.name = "case_fold", .type = ParamType::boolean, .default_value = false,
                  .doc = "fold case as Unicode's canonical (nfc/nfd) or compatibility (nfkc/nfkd) caseless matching, "
                         "D145/D146: NFD, fold, [NFKD, fold,] then the form; more than lower-casing (ß → ss), and not "
                         "fold-then-normalize: under nfkc ℌ → h, not H"}},
      .random = false,
      .create = make_transform<Normalize>,
  };
}

}  // namespace augment::text
