// normalize, strip_accents and remove_chars: hand cases, and strings checked against Python's
// unicodedata / str.casefold (fixtures/text/unicode_cases.json, made by make_fixtures.py).
#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "augment/core/error.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/text/normalize.hpp"
#include "augment/text/register_transforms.hpp"
#include "augment/text/remove_chars.hpp"
#include "augment/text/strip_accents.hpp"
#include "augment/text/text.hpp"

using augment::text::NormalForm;
using augment::text::normalize_text;
using augment::text::remove_chars;
using augment::text::RemoveCharsOptions;
using augment::text::strip_accents;
using augment::text::WhitespaceMode;
using nlohmann::json;

namespace {

// Parsed once and kept, so a range-for over unicode_cases()["cases"] iterates a live object.
const json& unicode_cases() {
  static const json cases = [] {
    std::ifstream in(std::string(AUGMENT_FIXTURES) + "/text/unicode_cases.json");
    REQUIRE(in);
    return json::parse(in);
  }();
  return cases;
}

std::string run(const json& stages, const std::string& input) {
  augment::Registry registry;
  augment::text::register_transforms(registry);
  const auto pipeline = augment::Pipeline::from_json({{"kind", "text"}, {"stages", stages}}, registry);
  augment::Sample sample = augment::text::make_sample(augment::text::Text{input, "es"});
  pipeline.run(sample, augment::Rng(1));
  return augment::text::text_of(sample).utf8;
}

}  // namespace

TEST_CASE("normalize: hand cases") {
  CHECK(normalize_text("n\xCC\x83", NormalForm::nfc) == "\xC3\xB1");
  CHECK(normalize_text("\xC3\xB1", NormalForm::nfd) == "n\xCC\x83");
  CHECK(normalize_text("\xEF\xAC\x81", NormalForm::nfkc) == "fi");  // ﬁ
  CHECK(normalize_text("\xEF\xAC\x81", NormalForm::nfc) == "\xEF\xAC\x81");
  CHECK(normalize_text("x\xC2\xB2", NormalForm::nfkc) == "x2");  // x²
  CHECK(normalize_text("Stra\xC3\x9F" "e", NormalForm::nfc, true) == "strasse");
  CHECK(normalize_text("\xC3\x91" "O", NormalForm::nfc, true) == "\xC3\xB1o");  // ÑO → ño
  CHECK(augment::text::fold_case("Stra\xC3\x9F" "e") == "strasse");
  CHECK(normalize_text("", NormalForm::nfkd, true).empty());
  CHECK_THROWS_AS(normalize_text("\xFF", NormalForm::nfc), augment::UsageError);
}

TEST_CASE("normalize with case_fold is Unicode's caseless matching (D145/D146), not fold-then-normalize") {
  // D146, compatibility caseless: NFKD(fold(NFKD(fold(NFD(x))))), here then NFKC. ℌ (U+210C) and
  // ㎒ (U+3392) have no case of their own and become capitals under NFKD: folding first would
  // leave them, and NFKC then gives "H" and "MHz".
  CHECK(normalize_text("\xE2\x84\x8C", NormalForm::nfkc, true) == "h");
  CHECK(normalize_text("\xE3\x8E\x92", NormalForm::nfkc, true) == "mhz");
  CHECK(normalize_text("\xE3\x8E\x92", NormalForm::nfkd, true) == "mhz");
  CHECK(normalize_text(augment::text::fold_case("\xE2\x84\x8C"), NormalForm::nfkc) == "H");
  // D145, canonical: ℌ stays as it is; the canonical forms fold what has case.
  CHECK(normalize_text("\xE2\x84\x8C", NormalForm::nfc, true) == "\xE2\x84\x8C");
  CHECK(normalize_text("\xC3\x85" "NGSTR\xC3\x96M", NormalForm::nfd, true) == "a\xCC\x8Angstro\xCC\x88m");  // ÅNGSTRÖM
}

TEST_CASE("normalize and case folding agree with Python unicodedata") {
  const json cases = unicode_cases()["cases"];
  REQUIRE(cases.size() > 30);
  for (const auto& c : cases) {
    const std::string in = c["input"];
    CAPTURE(in);
    CHECK(normalize_text(in, NormalForm::nfc) == c["nfc"].get<std::string>());
    CHECK(normalize_text(in, NormalForm::nfd) == c["nfd"].get<std::string>());
    CHECK(normalize_text(in, NormalForm::nfkc) == c["nfkc"].get<std::string>());
    CHECK(normalize_text(in, NormalForm::nfkd) == c["nfkd"].get<std::string>());
    CHECK(normalize_text(in, NormalForm::nfc, true) == c["nfc_fold"].get<std::string>());
    CHECK(normalize_text(in, NormalForm::nfd, true) == c["nfd_fold"].get<std::string>());
    CHECK(normalize_text(in, NormalForm::nfkc, true) == c["nfkc_fold"].get<std::string>());
    CHECK(normalize_text(in, NormalForm::nfkd, true) == c["nfkd_fold"].get<std::string>());
    CHECK(augment::text::fold_case(in) == c["fold"].get<std::string>());
  }
}

TEST_CASE("strip_accents: Spanish letters kept by default, all gone without") {
  const std::string in = "a\xC3\xB1o ping\xC3\xBCino canci\xC3\xB3n";  // año pingüino canción
  CHECK(strip_accents(in, true) == "a\xC3\xB1o ping\xC3\xBCino cancion");
  CHECK(strip_accents(in, false) == "ano pinguino cancion");
  CHECK(strip_accents("A\xC3\x91O PING\xC3\x9CINO", true) == "A\xC3\x91O PING\xC3\x9CINO");
  CHECK(strip_accents("n\xCC\x83" "a\xCC\x81", true) == "\xC3\xB1" "a");  // NFD input, NFC output
  CHECK(strip_accents("fa\xC3\xA7" "ade", true) == "facade");
  CHECK(strip_accents("\xE2\x9D\xA4\xEF\xB8\x8F", false) == "\xE2\x9D\xA4\xEF\xB8\x8F");  // ❤️ keeps VS16
  CHECK(run({{{"op", "strip_accents"}}}, in) == "a\xC3\xB1o ping\xC3\xBCino cancion");
  CHECK(run({{{"op", "strip_accents"}, {"keep_spanish", false}}}, in) == "ano pinguino cancion");
}

TEST_CASE("strip_accents agrees with a Python unicodedata reference") {
  for (const auto& c : unicode_cases()["cases"]) {
    const std::string in = c["input"];
    CAPTURE(in);
    CHECK(strip_accents(in, true) == c["strip_keep_spanish"].get<std::string>());
    CHECK(strip_accents(in, false) == c["strip_all"].get<std::string>());
  }
}

TEST_CASE("remove_chars removes whole clusters by category or set") {
  const std::string text = "\xC2\xBFHola, 12 a\xC3\xB1os? \xE2\x82\xAC" "5 \xF0\x9F\x87\xAA\xF0\x9F\x87\xB8 1\xEF\xB8\x8F\xE2\x83\xA3 #tag";
  // ¿Hola, 12 años? €5 🇪🇸 1️⃣ #tag
  CHECK(remove_chars(text, {.punctuation = true}) == "Hola 12 a\xC3\xB1os \xE2\x82\xAC" "5 \xF0\x9F\x87\xAA\xF0\x9F\x87\xB8 1\xEF\xB8\x8F\xE2\x83\xA3 tag");
  CHECK(remove_chars(text, {.digits = true}) ==
        "\xC2\xBFHola,  a\xC3\xB1os? \xE2\x82\xAC \xF0\x9F\x87\xAA\xF0\x9F\x87\xB8  #tag");  // the keycap goes whole
  CHECK(remove_chars(text, {.symbols = true}) == "\xC2\xBFHola, 12 a\xC3\xB1os? 5  1\xEF\xB8\x8F\xE2\x83\xA3 #tag");
  CHECK(remove_chars(text, {.punctuation = true, .digits = true, .symbols = true, .whitespace = WhitespaceMode::collapse}) ==
        "Hola a\xC3\xB1os tag");
  // chars match whole clusters: "n" takes "n" but not "ñ", NFC or NFD.
  CHECK(remove_chars("n\xC3\xB1n\xCC\x83", {.chars = "n"}) == "\xC3\xB1n\xCC\x83");
  CHECK(remove_chars("a-b_c", {.chars = "-_", .replacement = " "}) == "a b c");
  CHECK(remove_chars("  a\t\r\n b\xC2\xA0\xC2\xA0" "c  ", {.whitespace = WhitespaceMode::collapse}) == "a b c");
  CHECK(remove_chars(" a b ", {.whitespace = WhitespaceMode::remove}) == "ab");
  CHECK(remove_chars("", {.punctuation = true}).empty());
}

TEST_CASE("remove_chars as an op, and its parameter checks") {
  CHECK(run({{{"op", "remove_chars"}, {"punctuation", true}, {"whitespace", "collapse"}}}, "\xC2\xA1Hola ,  mundo!") ==
        "Hola mundo");
  augment::Registry registry;
  augment::text::register_transforms(registry);
  CHECK_THROWS_AS(augment::Pipeline::from_json({{"kind", "text"}, {"stages", {{{"op", "remove_chars"}}}}}, registry),
                  augment::SpecError);
  CHECK_THROWS_AS(augment::Pipeline::from_json(
                      {{"kind", "text"}, {"stages", {{{"op", "normalize"}, {"form", "nfx"}}}}}, registry),
                  augment::SpecError);
}

TEST_CASE("normalize as an op") {
  CHECK(run({{{"op", "normalize"}}}, "n\xCC\x83") == "\xC3\xB1");
  CHECK(run({{{"op", "normalize"}, {"form", "nfkc"}, {"case_fold", true}}}, "\xEF\xAC\x81N STRA\xC3\x9F" "E") == "fin strasse");
}
