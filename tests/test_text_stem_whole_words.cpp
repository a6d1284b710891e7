// stem through tokens: the documented tokenize → stem → join path, on whole words. Snowball's
// published vocabularies (Debian snowball-data, as in test_text_stem.cpp) hold words with
// apostrophes, hyphens and script marks that UAX #29 cuts into several pieces (Turkish "acı'",
// Hungarian "adok-kapok", Armenian "ափին՝"); the path must give Snowball's stem for every one.
#include <doctest/doctest.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "augment/core/registry.hpp"
#include "augment/text/stem.hpp"
#include "augment/text/text.hpp"
#include "augment/text/tokenize.hpp"
#include "text_test_helpers.hpp"

namespace {

namespace fs = std::filesystem;
using augment::Kind;
using augment::text::Token;
using augment::text::Tokens;

const fs::path kSnowballData = "/usr/share/snowball/data";

// Every other word of a vocabulary past this many is sampled, evenly, to keep the test to a few
// seconds (Arabic has 9.2 million words); words with marks are always kept.
constexpr std::size_t kPlainWordsPerLanguage = 20000;

// The lines of a text file, or of a gzipped one (Snowball's Arabic), one by one.
void for_each_line(const fs::path& path, const std::function<void(const std::string&)>& take) {
  if (path.extension() == ".gz") {
    const std::unique_ptr<gzFile_s, int (*)(gzFile)> in(gzopen(path.c_str(), "rb"), gzclose);
    REQUIRE(in);
    std::string line;
    char buffer[4096];
    while (gzgets(in.get(), buffer, sizeof buffer)) {
      line += buffer;
      if (line.back() != '\n') continue;  // a line longer than the buffer
      line.pop_back();
      take(line);
      line.clear();
    }
    if (!line.empty()) take(line);
    return;
  }
  std::ifstream in(path);
  REQUIRE(in);
  for (std::string line; std::getline(in, line);) take(line);
}

std::size_t count_lines(const fs::path& path) {
  std::size_t n = 0;
  for_each_line(path, [&](const std::string&) { ++n; });
  return n;
}

// A code point that is not a letter, combining mark or digit: what UAX #29 may cut a word at.
bool has_mark(const std::string& word) {
  const auto* s = reinterpret_cast<const std::uint8_t*>(word.data());
  const auto n = static_cast<std::int32_t>(word.size());
  for (std::int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if ((U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) == 0) return true;
  }
  return false;
}

struct Vocabulary {
  std::vector<std::string> words, stems;
  std::size_t marked = 0;  // words with a mark, all of them kept
};

// Every word with a mark, and plain words evenly spread up to kPlainWordsPerLanguage.
Vocabulary sample_vocabulary(const fs::path& voc, const fs::path& output) {
  Vocabulary v;
  std::vector<std::string> all_stems;
  const std::size_t total = count_lines(voc);
  const std::size_t stride = total / kPlainWordsPerLanguage + 1;
  std::vector<bool> keep;
  std::size_t line = 0;
  for_each_line(voc, [&](const std::string& word) {
    const bool marked = has_mark(word);
    const bool kept = marked || line++ % stride == 0;
    keep.push_back(kept);
    if (kept) v.words.push_back(word);
    v.marked += marked;
  });
  std::size_t at = 0;
  for_each_line(output, [&](const std::string& stem) {
    if (at < keep.size() && keep[at]) v.stems.push_back(stem);
    ++at;
  });
  REQUIRE(at == keep.size());
  return v;
}

// The words as one document, a word a line, through tokenize → stem → join; the lines back.
std::vector<std::string> stem_document(const std::vector<std::string>& words, const std::string& language,
                                       bool lowercase) {
  std::string document;
  for (const std::string& w : words) document.append(w).push_back('\n');
  auto sample = augment::text::make_sample(augment::text::Text{document, std::string(augment::text::iso_code_of(language))});
  const nlohmann::json none = nlohmann::json::object();
  text_test::make_op("tokenize", Kind::text, none)->apply(sample, none);
  text_test::make_op("stem", Kind::tokens, {{"language", language}, {"lowercase", lowercase}})->apply(sample, none);
  text_test::make_op("join", Kind::tokens, none)->apply(sample, none);
  const std::string& out = augment::text::text_of(sample).utf8;
  std::vector<std::string> lines;
  for (std::size_t start = 0, end; (end = out.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(out.substr(start, end - start));
  return lines;
}

std::string stem_text(const std::string& text, const std::string& language) {
  auto sample = augment::text::make_sample(augment::text::Text{text, language});
  const nlohmann::json none = nlohmann::json::object();
  text_test::make_op("tokenize", Kind::text, none)->apply(sample, none);
  text_test::make_op("stem", Kind::tokens, none)->apply(sample, none);
  text_test::make_op("join", Kind::tokens, none)->apply(sample, none);
  return augment::text::text_of(sample).utf8;
}

Tokens stem_tokens_of(const std::string& text, const std::string& language) {
  Tokens tokens = augment::text::tokenize(text, "", language);
  augment::text::stem_tokens(tokens);
  return tokens;
}

}  // namespace

TEST_CASE("tokenize → stem → join gives Snowball's stem of every vocabulary word, marks included") {
  int languages = 0;
  for (const std::string& language : augment::text::stemmer_languages()) {
    fs::path voc = kSnowballData / language / "voc.txt", output = kSnowballData / language / "output.txt";
    if (!fs::exists(voc)) voc += ".gz", output += ".gz";
    if (!fs::exists(voc) || !fs::exists(output)) continue;
    CAPTURE(language);
    const Vocabulary v = sample_vocabulary(voc, output);
    REQUIRE(v.words.size() == v.stems.size());
    // Irish's vocabulary has capitals after mutation prefixes ("nÉireann"), read as written.
    const std::vector<std::string> got = stem_document(v.words, language, language != "irish");
    REQUIRE(got.size() == v.words.size());
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < got.size(); ++i)
      if (got[i] != v.stems[i] && ++wrong <= 5)
        MESSAGE(language << ": " << v.words[i] << " -> " << got[i] << ", Snowball: " << v.stems[i]);
    MESSAGE(language << ": " << v.words.size() << " words (" << v.marked << " with marks), " << wrong
                     << " differ");
    CHECK(wrong == 0);
    ++languages;
  }
  CHECK(languages >= 29);  // libstemmer 2.2.0's 29 algorithms, each with a vocabulary
}

TEST_CASE("stem takes whole words: apostrophes, hyphens and script marks go to Snowball with them") {
  CHECK(stem_text("acı' adamı'' İstanbul'da", "tr") == "acı' adamı'' istanbul'");
  CHECK(stem_text("adok-kapok abc-be", "hu") == "adok-kap abc-");
  CHECK(stem_text("'cats' dogs' '''", "en") == "cat dog '");
  CHECK(stem_text("אַדל־לײַט", "yi") == "אדל־לײ");
  CHECK(stem_text("ափին՝", "hy") == "ափին՝");
  CHECK(stem_text("एम॰ए", "hi") == "एम॰");
  // Between words in one run, any punctuation goes with them (Hungarian "méföld/órás").
  CHECK(stem_text("méföld/órás", "hu") == "méföld/órás");
}

TEST_CASE("stem sets aside the punctuation and symbols at a word's ends") {
  CHECK(stem_text("(Cats), \"dogs\"; running… «gatos»", "en") == "(cat), \"dog\"; run… «gato»");
  CHECK(stem_text("«Gatos», ¿corriendo?", "es") == "«gat», ¿corr?");
  CHECK(stem_text("cats🙂 dogs.\n", "en") == "cat🙂 dog.\n");
  // ’ at a word's end is a closing quote; inside a word UAX #29 already keeps it.
  CHECK(stem_text("‘cats’", "en") == "‘cat’");
  // A run of punctuation alone is left as it is; whitespace of every kind separates words.
  CHECK(stem_text("cats … ?! cats\tcats\u00A0cats", "en") == "cat … ?! cat\tcat\u00A0cat");
}

TEST_CASE("stem: a word cut into several pieces becomes one word piece; other pieces are kept") {
  const Tokens in = augment::text::tokenize("(adok-kapok), ház", "", "hu");
  const Tokens out = stem_tokens_of("(adok-kapok), ház", "hu");
  REQUIRE(in.pieces.size() == 8);  // ( adok - kapok ) , " " ház
  REQUIRE(out.pieces.size() == 6);
  CHECK(out.pieces[0].text == "(");
  CHECK_FALSE(out.pieces[0].is_word);
  CHECK(out.pieces[1].text == "adok-kap");
  CHECK(out.pieces[1].is_word);
  CHECK(out.pieces[1].offset == 1);
  for (std::size_t i = 2; i < out.pieces.size(); ++i) {
    CHECK(out.pieces[i].offset == in.pieces[i + 2].offset);
    CHECK(out.pieces[i].is_word == in.pieces[i + 2].is_word);
  }
  CHECK(out.join() == "(adok-kap), ház");
  // A word that is one piece keeps its place and offset.
  const Tokens one = stem_tokens_of("los gatos", "es");
  REQUIRE(one.pieces.size() == 3);
  CHECK(one.pieces[2].text == "gat");
  CHECK(one.pieces[2].offset == 4);
}
