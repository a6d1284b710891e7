#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "augment/core/number_text.hpp"

using augment::format_number;
using augment::parse_number;

TEST_CASE("format_number prints the shortest text that round-trips") {
  CHECK(format_number(0.1) == "0.1");
  CHECK(format_number(1e-300) == "1e-300");
  CHECK(format_number(3.0) == "3");
  CHECK(format_number(-0.5) == "-0.5");
  CHECK(format_number(0.0) == "0");
  CHECK(format_number(1.0 / 3.0) == "0.3333333333333333");
  CHECK(parse_number(format_number(1.0 / 3.0)) == 1.0 / 3.0);
  const double awkward[] = {0.1 + 0.2, 1e308, 5e-324, -123456.789, 2.0 / 7.0};
  for (const double value : awkward) CHECK(parse_number(format_number(value)) == value);
}

TEST_CASE("format_number spells non-finite values plainly") {
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(format_number(std::numeric_limits<double>::quiet_NaN()) == "nan");
  CHECK(format_number(-std::numeric_limits<double>::quiet_NaN()) == "nan");
  CHECK(format_number(inf) == "inf");
  CHECK(format_number(-inf) == "-inf");
}

TEST_CASE("parse_number accepts whole numbers with surrounding blanks and a plus sign") {
  CHECK(parse_number(" 2.5 ") == 2.5);
  CHECK(parse_number("+3") == 3.0);
  CHECK(parse_number("1e3") == 1000.0);
  CHECK(parse_number("-0.25") == -0.25);
  CHECK(parse_number("\t7\t") == 7.0);
  CHECK(parse_number(".5") == 0.5);
}

TEST_CASE("parse_number rejects anything that is not entirely a number") {
  CHECK_FALSE(parse_number("1.5x"));
  CHECK_FALSE(parse_number(""));
  CHECK_FALSE(parse_number("   "));
  CHECK_FALSE(parse_number("--1"));
  CHECK_FALSE(parse_number("+-1"));
  CHECK_FALSE(parse_number("++1"));
  CHECK_FALSE(parse_number("+"));
  CHECK_FALSE(parse_number("1 2"));
  CHECK_FALSE(parse_number("0x10"));
  CHECK_FALSE(parse_number("1e400"));  // beyond double
}

TEST_CASE("parse_number reads nan and inf, the policy is the caller's") {
  const auto nan = parse_number("nan");
  REQUIRE(nan);
  CHECK(std::isnan(*nan));
  CHECK(parse_number("inf") == std::numeric_limits<double>::infinity());
  CHECK(parse_number("-inf") == -std::numeric_limits<double>::infinity());
}
