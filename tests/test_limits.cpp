// Resource limits: parsing of --limit values, the over-limit messages, and the readers that
// enforce them (JSON depth and number range, CSV record size, whole-number parameters).
#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "augment/core/csv.hpp"
#include "augment/core/error.hpp"
#include "augment/core/json_text.hpp"
#include "augment/core/limits.hpp"
#include "augment/core/param_spec.hpp"

using augment::DataError;
using augment::Limits;
using augment::SpecError;
using augment::UsageError;

namespace {

// Sets limits for one test and puts the defaults back after it.
struct ScopedLimits {
  explicit ScopedLimits(const Limits& limits) { augment::set_limits(limits); }
  ~ScopedLimits() { augment::set_limits(Limits{}); }
};

std::string nested_arrays(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

std::string message_of(auto&& call) {
  try {
    call();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("limits: --limit NAME=VALUE, with K/M/G on byte limits") {
  Limits limits;
  augment::apply_limit(limits, "image_pixels=1000");
  CHECK(limits.image_pixels == 1000);
  augment::apply_limit(limits, "record_bytes=2M");
  CHECK(limits.record_bytes == 2u * 1024 * 1024);
  augment::apply_limit(limits, "allocation_bytes=3g");
  CHECK(limits.allocation_bytes == 3ull << 30);
  CHECK_THROWS_AS(augment::apply_limit(limits, "json_depth=2K"), UsageError);  // not a byte limit
  CHECK_THROWS_AS(augment::apply_limit(limits, "pixels=5"), UsageError);
  CHECK_THROWS_AS(augment::apply_limit(limits, "image_pixels"), UsageError);
  CHECK_THROWS_AS(augment::apply_limit(limits, "image_pixels=0"), UsageError);
  CHECK_THROWS_AS(augment::apply_limit(limits, "image_pixels=-3"), UsageError);
  CHECK_THROWS_AS(augment::apply_limit(limits, "image_pixels=99999999999999999999"), UsageError);
  CHECK_THROWS_AS(augment::apply_limit(limits, "record_bytes=99999999999999G"), UsageError);
  CHECK(message_of([&] { augment::apply_limit(limits, "pixels=5"); }).find("image_pixels, record_bytes") !=
        std::string::npos);
}

TEST_CASE("limits: the over-limit message names the value, the limit and how to raise it") {
  Limits limits;
  limits.image_pixels = 100;
  ScopedLimits scoped(limits);
  CHECK_NOTHROW(augment::check_limit("image_pixels", 100, "image of 10x10"));
  CHECK(message_of([] { augment::check_limit("image_pixels", 101, "image of 101x1"); }) ==
        "image of 101x1: 101 is over the image_pixels limit of 100 (raise it with --limit image_pixels=N)");
  CHECK_THROWS_AS(augment::check_limit("image_pixels", 101, "x"), DataError);
  CHECK_THROWS_AS(augment::check_requested("image_pixels", 101, "x"), SpecError);
}

TEST_CASE("json: nesting deeper than json_depth is refused, not a stack overflow") {
  CHECK(augment::parse_json(nested_arrays(500), "d.json").is_array());
  // 100,000 levels: the case that used to crash the spec builder.
  const std::string message = message_of([] { (void)augment::parse_json(nested_arrays(100000), "d.json"); });
  CHECK(message == "d.json: JSON nested deeper than 512 levels (raise it with --limit json_depth=N)");
  CHECK_THROWS_AS((void)augment::parse_json(nested_arrays(100000), "s.json", augment::JsonSource::spec), SpecError);
  CHECK_THROWS_AS((void)augment::parse_ordered_json("{\"a\":" + nested_arrays(1000) + "}", "r"), DataError);

  Limits limits;
  limits.json_depth = 3;
  ScopedLimits scoped(limits);
  CHECK_NOTHROW((void)augment::parse_json("[[[1]]]", "x"));
  CHECK_THROWS_AS((void)augment::parse_json("[[[[1]]]]", "x"), DataError);
  CHECK_THROWS_AS((void)augment::parse_json(R"({"a": {"b": {"c": {}}}})", "x"), DataError);
}

TEST_CASE("json: numbers beyond double range and syntax errors name the file") {
  const std::string overflow = message_of([] { (void)augment::parse_json(R"({"sigma": 1e999})", "spec.json"); });
  CHECK(overflow.starts_with("spec.json: not valid JSON: "));
  CHECK(overflow.find("1e999") != std::string::npos);
  CHECK_THROWS_AS((void)augment::parse_json("[-1e400]", "x", augment::JsonSource::spec), SpecError);
  CHECK(augment::parse_json("[1e308, 5e-324]", "x")[0] == 1e308);
  const std::string syntax = message_of([] { (void)augment::parse_json("{\"a\": ", "spec.json"); });
  CAPTURE(syntax);
  CHECK(syntax.starts_with("spec.json: not valid JSON: parse error at line 1, column 7"));
  std::string why;
  CHECK(augment::try_parse_json(nested_arrays(2000), &why).is_discarded());
  CHECK(why.find("nested deeper") != std::string::npos);
}

TEST_CASE("csv: a record over record_bytes is refused and the next one read") {
  Limits limits;
  limits.record_bytes = 200;
  ScopedLimits scoped(limits);
  // Row 2: 150 bytes in one field: under the limit (150 + one string of overhead).
  // Row 3: 300 bytes: over. Row 4: 60 empty fields: 60 strings of overhead are over the limit too.
  const std::string fits(150, 'x'), too_long(300, 'y');
  std::istringstream input("a\n" + fits + "\n" + too_long + "\n" + std::string(59, ',') + "\nlast\n");
  augment::CsvReader reader(input, "t.csv");
  augment::CsvRow row;
  REQUIRE(reader.next(row));
  CHECK(row.fields[0] == fits);
  const std::string message = message_of([&] { reader.next(row); });
  CHECK(message.starts_with("t.csv:3: record size in bytes (its text and fields): "));
  CHECK(message.find("over the record_bytes limit of 200") != std::string::npos);
  CHECK_THROWS_AS(reader.next(row), DataError);
  REQUIRE(reader.next(row));
  CHECK(row.line == 5);
  CHECK(row.fields[0] == "last");
}

TEST_CASE("csv: a header of many columns is checked for duplicates in linear time") {
  std::string header;
  for (int i = 0; i < 200000; ++i) header += (i ? ",c" : "c") + std::to_string(i);
  std::istringstream ok(header + "\n");
  CHECK(augment::CsvReader(ok, "h.csv").header().size() == 200000);
  std::istringstream duplicate(header + ",c7\n");
  CHECK(message_of([&] { augment::CsvReader(duplicate, "h.csv"); }) ==
        "h.csv:1: duplicate column name \"c7\" (columns 8 and 200001)");
}

TEST_CASE("params: whole numbers beyond 2^53 are refused, not cast") {
  augment::ParamSpec spec;
  spec.name = "n";
  spec.type = augment::ParamType::integer;
  CHECK(spec.validate(9007199254740992.0) == 9007199254740992);
  CHECK_THROWS_AS(spec.validate(1e300), std::invalid_argument);
  spec.drawable = true;
  CHECK(spec.validate(nlohmann::json::array({1, 2})) == nlohmann::json::array({1, 2}));
  CHECK_THROWS_AS(spec.validate(nlohmann::json::array({1, 1e19})), std::invalid_argument);
}
