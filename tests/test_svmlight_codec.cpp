// The .svm feature-vector files against hand-written lines (scikit-learn 1.2.1's
// load_svmlight_file(zero_based=False) reads "0 2:0.5 4:2" — the same pairs behind a label — as
// [[0, 0.5, 0, 2]], checked by hand with Debian's python3-sklearn).
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "augment/core/error.hpp"
#include "augment/features/svmlight_codec.hpp"

using augment::features::from_svmlight;
using augment::features::to_svmlight;

TEST_CASE("svmlight lines hold the non-zero values with 1-based indices") {
  CHECK(to_svmlight({0.0, 0.5, 0.0, 2.0}) == "2:0.5 4:2\n");
  CHECK(to_svmlight({0.0, 0.0}) == "\n");
  CHECK(to_svmlight({0.1, -3e-300}) == "1:0.1 2:-3e-300\n");
  CHECK_THROWS_AS(to_svmlight({std::nan("")}), augment::DataError);
}

TEST_CASE("svmlight lines read back to the same values, trailing zeros aside") {
  const std::vector<double> v = {0.0, 0.1, 0.0, 1.0 / 3.0, 0.0, 0.0};
  CHECK(from_svmlight(to_svmlight(v)) == std::vector<double>{0.0, 0.1, 0.0, 1.0 / 3.0});
  CHECK(from_svmlight("2:0.5 4:2\r\n") == std::vector<double>{0.0, 0.5, 0.0, 2.0});
  CHECK(from_svmlight("").empty());
}

TEST_CASE("malformed svmlight lines are refused with the pair named") {
  CHECK_THROWS_WITH_AS(from_svmlight("0:1"), doctest::Contains("'0:1'"), augment::DataError);
  CHECK_THROWS_WITH_AS(from_svmlight("3:1 2:1"), doctest::Contains("indices must increase"), augment::DataError);
  CHECK_THROWS_WITH_AS(from_svmlight("1:x"), doctest::Contains("'1:x'"), augment::DataError);
  CHECK_THROWS_WITH_AS(from_svmlight("1:inf"), doctest::Contains("not finite"), augment::DataError);
  CHECK_THROWS_AS(from_svmlight("1.5:2"), augment::DataError);
}
