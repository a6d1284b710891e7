// remove_stopwords: the bundled Snowball lists (es, en), user lists, the spacing rule.
#include <doctest/doctest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "augment/core/error.hpp"
#include "augment/core/registry.hpp"
#include "augment/text/register_transforms.hpp"
#include "augment/text/stopwords.hpp"
#include "augment/text/text.hpp"
#include "text_test_helpers.hpp"

namespace {

namespace fs = std::filesystem;
using augment::Kind;
using augment::text::Token;
using augment::text::Tokens;


std::unique_ptr<augment::Transform> make_op(const nlohmann::json& params) {
  return text_test::make_op("remove_stopwords", Kind::tokens, params);
}

// A stand-in for the tokenizer, enough for these texts: runs of letters and digits (any
// non-ASCII byte counts as a letter) are words, runs of spaces and tabs one piece, any other
// byte a piece of its own.
Tokens cut(const std::string& text, const std::string& language = "") {
  Tokens t;
  t.language = language;
  const auto kind = [](char c) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || std::isalnum(u) || c == '\'') return 0;
    return c == ' ' || c == '\t' ? 1 : 2;
  };
  for (std::size_t i = 0; i < text.size();) {
    const int k = kind(text[i]);
    std::size_t j = i + 1;
    if (k != 2)
      while (j < text.size() && kind(text[j]) == k) ++j;
    t.pieces.push_back({text.substr(i, j - i), k == 0, i});
    i = j;
  }
  return t;
}

std::string remove(const std::string& text, const nlohmann::json& params, const std::string& sample_language = "") {
  auto sample = augment::text::make_sample(cut(text, sample_language));
  make_op(params)->apply(sample, nlohmann::json::object());
  return augment::text::tokens_of(sample).join();
}

fs::path write_temp(const std::string& name, const std::string& content) {
  const fs::path path = fs::temp_directory_path() / ("augment_test_" + name);
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

}  // namespace

TEST_CASE("remove_stopwords in Spanish") {
  const nlohmann::json es = {{"language", "es"}};
  CHECK(remove("el perro y el gato", es) == "perro gato");
  CHECK(remove("El perro, y el gato.", es) == "perro, gato.");
  CHECK(remove("EL PERRO DE LA CASA", es) == "PERRO CASA");        // case-insensitive, case kept
  CHECK(remove("Él también corría por ahí", es) == "corría ahí");  // accented entries
  CHECK(remove("perro  y  gato", es) == "perro  gato");             // one spacing piece goes, not both
  CHECK(remove("fin de\nlínea", es) == "fin\nlínea");                // line breaks stay
  CHECK(remove("perro y\tgato", es) == "perro gato");              // a tab counts as a space
  CHECK(remove("(qué es eso)", es) == "()");                         // between punctuation: the word alone
  CHECK(remove("y el", es) == "");
  CHECK(remove("", es) == "");
  CHECK(remove("perros gatos", es) == "perros gatos");
  CHECK(remove("el perro y el gato", {{"language", "spanish"}}) == "perro gato");
  CHECK(remove("el perro y el gato", nlohmann::json::object(), "es") == "perro gato");  // the sample's language
}

TEST_CASE("remove_stopwords in English") {
  const nlohmann::json en = {{"language", "en"}};
  CHECK(remove("the cat, and the dog.", en) == "cat, dog.");
  CHECK(remove("The Cat and THE Dog", en) == "Cat Dog");
  CHECK(remove("a cat and.", en) == "cat.");
  CHECK(remove("She is here\nand there", en) == "\n");
  CHECK(remove("cats dogs", en) == "cats dogs");
  CHECK(remove("it is what it is", {{"language", "English"}}) == "");
}

TEST_CASE("remove_stopwords keeps the kept pieces and their offsets") {
  auto sample = augment::text::make_sample(cut("el perro y el gato", "es"));
  make_op(nlohmann::json::object())->apply(sample, nlohmann::json::object());
  const Tokens& t = augment::text::tokens_of(sample);
  REQUIRE(t.pieces.size() == 3);
  CHECK(t.pieces[0].text == "perro");
  CHECK(t.pieces[0].offset == 3);
  CHECK(t.pieces[1].text == " ");
  CHECK(t.pieces[1].offset == 8);  // the space after "perro"; the one after "y" went with it
  CHECK(t.pieces[2].text == "gato");
  CHECK(t.pieces[2].offset == 14);
  CHECK(t.language == "es");
}

TEST_CASE("remove_stopwords with a user list") {
  const fs::path path =
      write_temp("stop.txt", "# my list\r\nPerro\r\n  straße  # trailing comment\n\n#only a comment\ngatos\n");
  const nlohmann::json params = {{"words", path.string()}};
  CHECK(remove("el perro y los gatos", params) == "el y los");
  CHECK(remove("la STRASSE mayor", params) == "la mayor");  // full case folding: ß ~ ss
  CHECK(remove("el perro y el gato", params, "en") == "el y el gato");  // the list wins over the sample
  CHECK(augment::text::parse_stopwords("# c\n a \nb#c\n", "x") == std::vector<std::string>{"a", "b"});
  fs::remove(path);

  const fs::path two = write_temp("stop_two.txt", "uno\ndos tres\n");
  const std::string where = two.string() + ":2: one word per line";
  CHECK_THROWS_WITH_AS(make_op({{"words", two.string()}}), doctest::Contains(where.c_str()), augment::DataError);
  fs::remove(two);
  CHECK_THROWS_WITH_AS(make_op({{"words", "/nonexistent/stop.txt"}}), doctest::Contains("/nonexistent/stop.txt"),
                       augment::DataError);
}

TEST_CASE("remove_stopwords errors name the problem") {
  const augment::OpInfo* info = text_test::registry().find("remove_stopwords", Kind::tokens);
  REQUIRE(info != nullptr);
  CHECK_THROWS_WITH_AS((void)info->resolve({{"language", "fr"}}), doctest::Contains("no bundled stop list for \"fr\""),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS((void)info->resolve({{"language", "es"}, {"words", "x.txt"}}), doctest::Contains("not both"),
                       std::invalid_argument);
  auto no_language = augment::text::make_sample(cut("el perro"));
  CHECK_THROWS_WITH_AS(make_op(nlohmann::json::object())->apply(no_language, nlohmann::json::object()),
                       doctest::Contains("no language"), augment::UsageError);
  auto french = augment::text::make_sample(cut("le chat", "fr"));
  CHECK_THROWS_WITH_AS(make_op(nlohmann::json::object())->apply(french, nlohmann::json::object()),
                       doctest::Contains("bundled: en, es"), augment::UsageError);
}

TEST_CASE("the bundled lists are the corpora files") {
  CHECK(augment::text::bundled_stopword_languages() == std::vector<std::string>{"en", "es"});
  for (const std::string code : {"en", "es"}) {
    CAPTURE(code);
    const fs::path path = fs::path(AUGMENT_SOURCE_DIR) / "corpora/text/stopwords" / (code + ".txt");
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto words = augment::text::parse_stopwords(text, path.string());
    CHECK(words == augment::text::bundled_stopwords(code));
    CHECK(text.find("# Source:") != std::string::npos);
    CHECK(text.find("# Licence:") != std::string::npos);
  }
  CHECK(augment::text::bundled_stopwords("es").size() == 313);
  CHECK(augment::text::bundled_stopwords("english").size() == 127);
  CHECK(augment::text::StopwordSet::bundled("es").contains("TAMBIÉN"));
  CHECK_FALSE(augment::text::StopwordSet::bundled("es").contains("perro"));
}

TEST_CASE("remove_stopwords is deterministic") {
  const std::string text = "El perro y el gato, de la casa de al lado, corren por el jardín.\nY el sol.";
  const std::string first = remove(text, {{"language", "es"}});
  CHECK(first == "perro gato, casa lado, corren jardín.\nsol.");
  for (int i = 0; i < 3; ++i) CHECK(remove(text, {{"language", "es"}}) == first);
}
