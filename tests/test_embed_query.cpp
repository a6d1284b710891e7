// Queries on hand-made vectors: nearest neighbours, 3CosAdd and 3CosMul analogies worked out by
// hand, ties, and evaluate_analogies on a small questions file.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "augment/core/error.hpp"
#include "augment/embed/analogy_eval.hpp"
#include "augment/embed/embeddings.hpp"
#include "embed_test_helpers.hpp"

using augment::DataError;
using augment::UsageError;
using augment::embed::AnalogyMethod;
using augment::embed::AnalogyReport;
using augment::embed::Embeddings;
using augment::embed::evaluate_analogies;
using augment::embed::Neighbour;
using embed_test::ScratchFolder;
using embed_test::write_all;

namespace {

double radians(double degrees) { return degrees * std::numbers::pi / 180; }

/// 2-D vectors at the given angles (degrees) and lengths, so cosines are cos(angle difference).
Embeddings on_circle(const std::vector<std::pair<std::string, double>>& words, double length = 1) {
  std::vector<std::string> names;
  std::vector<float> values;
  for (const auto& [word, degrees] : words) {
    names.push_back(word);
    values.push_back(static_cast<float>(length * std::cos(radians(degrees))));
    values.push_back(static_cast<float>(length * std::sin(radians(degrees))));
  }
  return Embeddings(names, 2, values);
}

std::vector<std::string> words_of(const std::vector<Neighbour>& neighbours) {
  std::vector<std::string> out;
  for (const auto& n : neighbours) out.push_back(n.word);
  return out;
}

}  // namespace

TEST_CASE("nearest ranks by cosine, excludes the word itself, and breaks ties toward the lower index") {
  // Lengths differ on purpose: cosine ignores them.
  const Embeddings vectors({"a", "b", "c", "d", "e"}, 2, {1, 0, 0, 3, 2, 2, 4, 4, -1, 0});
  const auto near_a = vectors.nearest("a", 10);
  CHECK(words_of(near_a) == std::vector<std::string>{"c", "d", "b", "e"});  // c and d tie: c first
  CHECK(near_a[0].similarity == doctest::Approx(std::cos(radians(45))));
  CHECK(near_a[1].similarity == doctest::Approx(std::cos(radians(45))));
  CHECK(near_a[2].similarity == doctest::Approx(0).epsilon(1e-7));
  CHECK(near_a[3].similarity == doctest::Approx(-1));
  CHECK(words_of(vectors.nearest("e", 1)) == std::vector<std::string>{"b"});  // b (90°) beats c, d (135°)
  CHECK(vectors.nearest("a", 0).empty());
  CHECK_THROWS_AS(vectors.nearest("zzz", 3), UsageError);

  const std::vector<float> query = {0, -7};
  CHECK(words_of(vectors.nearest(query, 2)) == std::vector<std::string>{"a", "e"});  // 90° each: a first
  CHECK(words_of(vectors.nearest(query, 2, {0})) == std::vector<std::string>{"e", "c"});
  CHECK_THROWS_AS(vectors.nearest(std::vector<float>{1, 2, 3}, 2), UsageError);
}

TEST_CASE("3CosAdd and 3CosMul answer a hand-worked analogy differently") {
  // a 0°, b 30°, c 60°; candidates at 90° and 150°.
  //   add: cos(d,b) − cos(d,a) + cos(d,c) is 1.366 at 90°, 0.366 at 150° → 90°, reported as
  //        its cosine to b̂ − â + ĉ = (0.366, 1.366), which points at 75°: cos 15°.
  //   mul: (1+cos(d,b))/2 · (1+cos(d,c))/2 / ((1+cos(d,a))/2 + 0.001) is 1.3967 at 90° and
  //        1.8385 at 150° → 150°: a candidate far from a wins by the division.
  const Embeddings vectors = on_circle({{"a", 0}, {"b", 30}, {"c", 60}, {"right", 90}, {"far", 150}}, 2.5);
  const auto add = vectors.analogy("a", "b", "c", 5);
  CHECK(words_of(add) == std::vector<std::string>{"right", "far"});
  CHECK(add[0].similarity == doctest::Approx(std::cos(radians(15))).epsilon(1e-6));
  CHECK(add[1].similarity == doctest::Approx(std::cos(radians(75))).epsilon(1e-6));

  const auto mul = vectors.analogy("a", "b", "c", 5, AnalogyMethod::mul);
  CHECK(words_of(mul) == std::vector<std::string>{"far", "right"});
  auto score = [](double to_a, double to_b, double to_c) {
    auto shifted = [](double degrees) { return (1 + std::cos(radians(degrees))) / 2; };
    return shifted(to_b) * shifted(to_c) / (shifted(to_a) + 1e-3);
  };
  CHECK(mul[0].similarity == doctest::Approx(score(150, 120, 90)).epsilon(1e-5));
  CHECK(mul[1].similarity == doctest::Approx(score(90, 60, 30)).epsilon(1e-5));
  CHECK(mul[0].similarity == doctest::Approx(1.8385).epsilon(1e-4));

  // By index, with the candidates restricted to the 4 most frequent words.
  CHECK(words_of(vectors.analogy(0, 1, 2, 5, AnalogyMethod::mul, 4)) == std::vector<std::string>{"right"});
  CHECK_THROWS_AS(vectors.analogy("a", "b", "nope", 1), UsageError);
  CHECK_THROWS_AS(vectors.analogy(0, 1, 9, 1, AnalogyMethod::add), UsageError);
}

TEST_CASE("a 3-D analogy: king − man + woman is queen") {
  // Axes: royalty, maleness, fruitiness.
  const Embeddings vectors({"man", "woman", "king", "queen", "apple", "prince"}, 3,
                           {0, 1, 0, 0, -1, 0, 1, 1, 0, 1, -1, 0, 0, 0, 1, 0.8f, 1.2f, 0.3f});
  CHECK(vectors.analogy("man", "king", "woman", 1)[0].word == "queen");
  CHECK(vectors.analogy("man", "king", "woman", 1, AnalogyMethod::mul)[0].word == "queen");
  CHECK(vectors.analogy("king", "man", "queen", 1)[0].word == "woman");
}

TEST_CASE("evaluate_analogies scores sections, skips unknown words and folds case") {
  ScratchFolder dir;
  const Embeddings vectors = on_circle(
      {{"man", 0}, {"king", 90}, {"woman", 30}, {"queen", 120}, {"apple", 200}, {"car", 250}, {"Queen", 121}});
  write_all(dir / "q.txt",
            ": royalty\n"
            "man king woman queen\n"     // b − a + c points at 95°: queen (120°), right
            "king man queen woman\n"     // points at −15°: woman (30°), right
            "man woman king car\n"       // points at 95°: queen, wrong
            "man king woman princess\n"  // princess unknown: skipped
            "woman queen man king\n"     // points at 135°: Queen (121°) is queen respelt, passed over: king
            "\n"
            ": shouting\r\n"
            "MAN KING WOMAN QUEEN\r\n");
  const AnalogyReport report = evaluate_analogies(vectors, dir / "q.txt");
  REQUIRE(report.sections.size() == 2);
  CHECK(report.sections[0].name == "royalty");
  CHECK(report.sections[0].correct == 3);
  CHECK(report.sections[0].asked == 4);
  CHECK(report.sections[0].skipped == 1);
  CHECK(report.sections[0].accuracy() == doctest::Approx(3.0 / 4));
  CHECK(report.sections[1].name == "shouting");
  CHECK(report.sections[1].correct == 1);
  CHECK(report.total.name == "total");
  CHECK(report.total.correct == 4);
  CHECK(report.total.asked == 5);
  CHECK(report.total.skipped == 1);

  // Case kept: the shouted words are unknown, and Queen is a word of its own, so the last
  // question of the first section answers Queen: wrong.
  const AnalogyReport cased = evaluate_analogies(vectors, dir / "q.txt", AnalogyMethod::add, 0, false);
  CHECK(cased.sections[0].correct == 2);
  CHECK(cased.sections[0].asked == 4);
  CHECK(cased.sections[1].asked == 0);
  CHECK(cased.sections[1].skipped == 1);

  // Only the 4 most frequent words: questions naming car or princess are skipped, and each
  // answer comes from man, king, woman, queen alone.
  const AnalogyReport top4 = evaluate_analogies(vectors, dir / "q.txt", AnalogyMethod::mul, 4);
  CHECK(top4.sections[0].skipped == 2);
  CHECK(top4.sections[0].asked == 3);
  CHECK(top4.total.correct == 4);
}

TEST_CASE("evaluate_analogies rejects malformed lines with the file and line") {
  ScratchFolder dir;
  const Embeddings vectors = on_circle({{"a", 0}, {"b", 90}, {"c", 180}, {"d", 270}});
  write_all(dir / "three.txt", ": s\na b c d\na b c\n");
  CHECK_THROWS_WITH_AS(evaluate_analogies(vectors, dir / "three.txt"),
                       ((dir / "three.txt").string() + ":3: expected four words 'a b c d' or a ': section' line, got 3 words").c_str(),
                       DataError);
  write_all(dir / "orphan.txt", "a b c d\n");
  CHECK_THROWS_WITH_AS(evaluate_analogies(vectors, dir / "orphan.txt"),
                       ((dir / "orphan.txt").string() + ":1: a question before the first ': section' line").c_str(), DataError);
  CHECK_THROWS_AS(evaluate_analogies(vectors, dir / "missing.txt"), DataError);
}
