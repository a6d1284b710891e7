// stem: Snowball through libstemmer. The vocabularies are Snowball's published test data as
// Debian ships it (snowball-data 0+20210120-1: /usr/share/snowball/data/<language>/voc.txt and
// output.txt, one word and its stem per line), run against Debian's libstemmer 2.2.0-2; every
// language present with plain-text files is checked word by word (arabic's are gzipped: skipped).
#include <doctest/doctest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "augment/core/error.hpp"
#include "augment/core/registry.hpp"
#include "augment/text/register_transforms.hpp"
#include "augment/text/stem.hpp"
#include "augment/text/stopwords.hpp"
#include "augment/text/text.hpp"
#include "text_test_helpers.hpp"

namespace {

namespace fs = std::filesystem;
using augment::Kind;
using augment::text::Token;
using augment::text::Tokens;


std::unique_ptr<augment::Transform> make_stem(const nlohmann::json& params) {
  return text_test::make_op("stem", Kind::tokens, params);
}

// Words from `words`, each followed by a separator piece, as the tokenizer would cut them.
Tokens word_tokens(const std::vector<std::string>& words, const std::string& language = "") {
  Tokens t;
  t.language = language;
  for (const std::string& w : words) {
    t.pieces.push_back({w, true, Token::no_offset});
    t.pieces.push_back({" ", false, Token::no_offset});
  }
  return t;
}

std::vector<std::string> read_lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string stem_with_op(const std::string& text_word, const std::string& language) {
  auto sample = augment::text::make_sample(word_tokens({text_word}));
  make_stem({{"language", language}})->apply(sample, nlohmann::json::object());
  return augment::text::tokens_of(sample).pieces.at(0).text;
}

const fs::path kSnowballData = "/usr/share/snowball/data";

// Stems of a vocabulary through the op, and how many differ from Snowball's; at most five
// differences are printed.
std::vector<std::string> mismatching_words(const std::string& language, const std::vector<std::string>& words,
                                           const std::vector<std::string>& stems, bool lowercase) {
  auto sample = augment::text::make_sample(word_tokens(words));
  make_stem({{"language", language}, {"lowercase", lowercase}})->apply(sample, nlohmann::json::object());
  const Tokens& out = augment::text::tokens_of(sample);
  REQUIRE(out.pieces.size() == 2 * words.size());
  std::vector<std::string> bad;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (out.pieces[2 * i].text != stems[i]) {
      if (bad.size() < 5)
        MESSAGE(language << ": " << words[i] << " -> " << out.pieces[2 * i].text << ", Snowball: " << stems[i]);
      bad.push_back(words[i]);
    }
    CHECK(out.pieces[2 * i + 1].text == " ");  // separators untouched
  }
  return bad;
}

}  // namespace

TEST_CASE("stem reproduces Snowball's published vocabularies word for word") {
  int languages = 0;
  bool spanish = false, english = false;
  for (const std::string& language : augment::text::stemmer_languages()) {
    const fs::path voc = kSnowballData / language / "voc.txt", expected = kSnowballData / language / "output.txt";
    if (!fs::exists(voc) || !fs::exists(expected)) continue;
    CAPTURE(language);
    const std::vector<std::string> words = read_lines(voc), stems = read_lines(expected);
    REQUIRE(words.size() == stems.size());
    // As Snowball made them: words passed as they are.
    const auto as_is = mismatching_words(language, words, stems, false);
    // The default lower-cases first: the same on every lower-case vocabulary. Irish's has capitals
    // after mutation prefixes ("nÉireann"), and only words with capitals may differ there.
    const auto lowered = mismatching_words(language, words, stems, true);
    // Words case folding changes: capitals, but also ß, final ς and ligatures.
    std::size_t folded = 0;
    for (const std::string& w : words) folded += augment::text::case_fold(w) != w;
    MESSAGE(language << ": " << words.size() << " words, " << as_is.size() << " mismatches as is, " << lowered.size()
                     << " lower-cased first (" << folded << " change under case folding)");
    CHECK(as_is.empty());
    if (language == "irish") {
      for (const std::string& w : lowered) CHECK(augment::text::case_fold(w) != w);  // has capitals
    } else {
      CHECK(lowered.empty());
    }
    ++languages;
    spanish = spanish || language == "spanish";
    english = english || language == "english";
  }
  CHECK(spanish);  // snowball-data is a test dependency (scripts/install-deps)
  CHECK(english);
  CHECK(languages >= 2);
}

TEST_CASE("stem changes word pieces only and keeps the rest byte for byte") {
  Tokens t;
  t.language = "es";
  t.pieces = {{"Los", true, 0}, {" ", false, 3}, {"niños", true, 4}, {",", false, 10}, {" ", false, 11},
              {"corriendo", true, 12}, {"…", false, 21}, {"\n", false, 24}, {"🙂", false, 25}};
  auto sample = augment::text::make_sample(t);
  make_stem(nlohmann::json::object())->apply(sample, nlohmann::json::object());  // the sample's language
  const Tokens& out = augment::text::tokens_of(sample);
  REQUIRE(out.pieces.size() == t.pieces.size());
  CHECK(out.join() == "los niñ, corr…\n🙂");
  for (std::size_t i = 0; i < out.pieces.size(); ++i) {
    CHECK(out.pieces[i].is_word == t.pieces[i].is_word);
    CHECK(out.pieces[i].offset == t.pieces[i].offset);
    if (!t.pieces[i].is_word) CHECK(out.pieces[i].text == t.pieces[i].text);
  }
  CHECK(out.language == "es");
}

TEST_CASE("stem lower-cases first, with the language's locale") {
  CHECK(stem_with_op("CORRIENDO", "es") == stem_with_op("corriendo", "es"));
  CHECK(stem_with_op("Niños", "es") == "niñ");
  CHECK(stem_with_op("Running", "en") == "run");
  CHECK(stem_with_op("ÉTUDIANTES", "fr") == stem_with_op("étudiantes", "fr"));
  // Turkish: dotless capital I lower-cases to ı, dotted İ to i.
  CHECK(augment::text::stem_word("KITAPLAR", "tr") == augment::text::stem_word("kıtaplar", "tr"));
  CHECK(augment::text::stem_word("İSTANBUL'DA", "tr") == augment::text::stem_word("istanbul'da", "tr"));
}

TEST_CASE("stem accepts libstemmer names and ISO codes in any case") {
  CHECK(augment::text::stemmer_language("es") == "spanish");
  CHECK(augment::text::stemmer_language("ES") == "spanish");
  CHECK(augment::text::stemmer_language("Spanish") == "spanish");
  CHECK(augment::text::stemmer_language("en") == "english");
  CHECK(augment::text::stemmer_language("porter") == "porter");
  for (const char* l : {"es", "ES", "spanish", "Spanish"}) CHECK(stem_with_op("gatos", l) == "gat");
  for (const char* l : {"en", "english", "ENGLISH"}) CHECK(stem_with_op("cats", l) == "cat");
}

TEST_CASE("every libstemmer language has an ISO code (porter aside) and stems") {
  const auto& languages = augment::text::stemmer_languages();
  CHECK(languages.size() >= 29);  // libstemmer 2.2.0: arabic ... yiddish and porter
  for (const std::string& language : languages) {
    CAPTURE(language);
    const std::string_view code = augment::text::iso_code_of(language);
    if (language == "porter") {
      CHECK(code.empty());
    } else {
      CHECK(code.size() == 2);
      CHECK(augment::text::stemmer_language(code) == language);
    }
    CHECK_NOTHROW(augment::text::stem_word("a", language));
  }
}

TEST_CASE("stem with an unknown language names it and lists libstemmer's languages") {
  const augment::OpInfo* info = text_test::registry().find("stem", Kind::tokens);
  REQUIRE(info != nullptr);
  try {
    (void)info->resolve({{"language", "klingon"}});
    FAIL("no error");
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    CHECK(what.find("\"klingon\"") != std::string::npos);
    for (const std::string& language : augment::text::stemmer_languages())
      CHECK(what.find(language) != std::string::npos);
    CHECK(what.find("spanish (es)") != std::string::npos);
    CHECK(what.find("english (en)") != std::string::npos);
  }
  // The sample's language is checked when applied.
  auto sample = augment::text::make_sample(word_tokens({"gatos"}, "xx"));
  CHECK_THROWS_WITH_AS(make_stem(nlohmann::json::object())->apply(sample, nlohmann::json::object()),
                       doctest::Contains("unknown stemmer language \"xx\""), augment::UsageError);
  auto bare = augment::text::make_sample(word_tokens({"gatos"}));
  CHECK_THROWS_WITH_AS(make_stem(nlohmann::json::object())->apply(bare, nlohmann::json::object()),
                       doctest::Contains("no language"), augment::UsageError);
  CHECK_THROWS_AS(augment::text::stem_word("x", "zz"), augment::UsageError);
}

TEST_CASE("stem is deterministic, across calls and threads") {
  const fs::path voc = kSnowballData / "spanish" / "voc.txt";
  std::vector<std::string> words = fs::exists(voc) ? read_lines(voc) : std::vector<std::string>{"gatos", "corriendo"};
  for (std::size_t i = 0; i < words.size(); i += 7)
    words[i][0] = static_cast<char>(std::toupper(static_cast<unsigned char>(words[i][0])));
  const auto op = make_stem({{"language", "es"}});
  auto reference = augment::text::make_sample(word_tokens(words));
  op->apply(reference, nlohmann::json::object());
  const std::string expected = augment::text::tokens_of(reference).join();

  auto again = augment::text::make_sample(word_tokens(words));
  op->apply(again, nlohmann::json::object());
  CHECK(augment::text::tokens_of(again).join() == expected);

  // One op shared by four threads, each with its own stemmers (and English in between).
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (std::size_t k = 0; k < results.size(); ++k)
    threads.emplace_back([&, k] {
      (void)augment::text::stem_word("cats", "en");
      auto s = augment::text::make_sample(word_tokens(words));
      op->apply(s, nlohmann::json::object());
      results[k] = augment::text::tokens_of(s).join();
    });
  for (auto& t : threads) t.join();
  for (const std::string& r : results) CHECK(r == expected);
}
