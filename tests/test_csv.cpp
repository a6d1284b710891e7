#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "augment/core/csv.hpp"
#include "augment/core/error.hpp"

namespace fs = std::filesystem;
using augment::CsvReader;
using augment::CsvRow;
using augment::CsvWriter;
using augment::DataError;
using Fields = std::vector<std::string>;

namespace {

/// Every record of `text` (after the header), read through a CsvReader named "t.csv".
std::vector<CsvRow> read_rows(const std::string& text) {
  std::istringstream input(text);
  CsvReader reader(input, "t.csv");
  std::vector<CsvRow> rows;
  CsvRow row;
  while (reader.next(row)) rows.push_back(row);
  return rows;
}

}  // namespace

TEST_CASE("csv: plain records, header and line numbers") {
  std::istringstream input("a,b,c\n1,2,3\n4,,6\n");
  CsvReader reader(input, "t.csv");
  CHECK(reader.header() == Fields{"a", "b", "c"});
  CsvRow row;
  REQUIRE(reader.next(row));
  CHECK(row.fields == Fields{"1", "2", "3"});
  CHECK(row.line == 2);
  REQUIRE(reader.next(row));
  CHECK(row.fields == Fields{"4", "", "6"});
  CHECK(row.line == 3);
  CHECK_FALSE(reader.next(row));
  CHECK_FALSE(reader.next(row));  // stays at the end
}

TEST_CASE("csv: quoted fields hold commas, doubled quotes and newlines") {
  const auto rows = read_rows(
      "name,note\n"
      "\"Smith, J\",\"said \"\"hi\"\"\"\n"
      "\"two\nlines\",\"\"\n"
      "x,\"a\r\nb\"\n"
      "last,\"\"\"\"\n");
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].fields == Fields{"Smith, J", "said \"hi\""});
  CHECK(rows[0].line == 2);
  CHECK(rows[1].fields == Fields{"two\nlines", ""});
  CHECK(rows[1].line == 3);
  CHECK(rows[2].fields == Fields{"x", "a\r\nb"});  // bytes inside quotes are kept as they are
  CHECK(rows[2].line == 5);
  CHECK(rows[3].fields == Fields{"last", "\""});
  CHECK(rows[3].line == 7);
}

TEST_CASE("csv: CRLF, BOM, missing final newline, empty lines") {
  const auto rows = read_rows("\xEF\xBB\xBF" "a,b\r\n1,2\r\n\r\n\n3,4");
  std::istringstream input("\xEF\xBB\xBF" "a,b\r\n");
  CHECK(CsvReader(input, "t.csv").header() == Fields{"a", "b"});  // BOM not part of "a"
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].fields == Fields{"1", "2"});
  CHECK(rows[0].line == 2);
  CHECK(rows[1].fields == Fields{"3", "4"});
  CHECK(rows[1].line == 5);
}

TEST_CASE("csv: trailing comma is an empty last field, spaces are kept") {
  const auto rows = read_rows("a,b\n1,\n  x , y\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].fields == Fields{"1", ""});
  CHECK(rows[1].fields == Fields{"  x ", " y"});
}

TEST_CASE("csv: a ragged row is reported with its line and reading continues") {
  std::istringstream input("a,b,c\n1,2,3\n4,5\n\"6\n\",7,8,9\n10,11,12\n");
  CsvReader reader(input, "letters.csv");
  CsvRow row;
  REQUIRE(reader.next(row));
  CHECK_THROWS_WITH_AS(reader.next(row), "letters.csv:3: expected 3 fields, got 2", DataError);
  CHECK_THROWS_WITH_AS(reader.next(row), "letters.csv:4: expected 3 fields, got 4", DataError);
  REQUIRE(reader.next(row));
  CHECK(row.fields == Fields{"10", "11", "12"});
  CHECK(row.line == 6);
  CHECK_FALSE(reader.next(row));
}

TEST_CASE("csv: an unterminated quote names the line where it opened") {
  std::istringstream input("a,b\n1,2\n3,\"open\nstill open\n");
  CsvReader reader(input, "t.csv");
  CsvRow row;
  REQUIRE(reader.next(row));
  CHECK_THROWS_WITH_AS(reader.next(row),
                       "t.csv:3: unterminated quoted field (no closing quote before end of file)",
                       DataError);
  CHECK_FALSE(reader.next(row));
}

TEST_CASE("csv: stray quotes are errors that do not derail the next record") {
  std::istringstream input("a,b\n\"x\"y,1\nab\"c,2\nok,3\n");
  CsvReader reader(input, "t.csv");
  CsvRow row;
  CHECK_THROWS_WITH_AS(reader.next(row), "t.csv:2: text after closing quote in field 1",
                       DataError);
  CHECK_THROWS_WITH_AS(reader.next(row), "t.csv:3: quote inside an unquoted field in field 1",
                       DataError);
  REQUIRE(reader.next(row));
  CHECK(row.fields == Fields{"ok", "3"});
}

TEST_CASE("csv: invalid UTF-8 names the line and column, then reading continues") {
  std::istringstream input(
      "id,text\n"
      "1,\xC3\x28\n"           // C3 needs a continuation byte
      "2,\xC0\xAF\n"           // overlong '/'
      "3,\xED\xA0\x80\n"       // UTF-16 surrogate U+D800
      "4,caf\xC3\xA9 \xF0\x9F\x98\x80\n");  // valid: é and an emoji
  CsvReader reader(input, "t.csv");
  CsvRow row;
  CHECK_THROWS_WITH_AS(reader.next(row), "t.csv:2: invalid UTF-8 in column text", DataError);
  CHECK_THROWS_WITH_AS(reader.next(row), "t.csv:3: invalid UTF-8 in column text", DataError);
  CHECK_THROWS_WITH_AS(reader.next(row), "t.csv:4: invalid UTF-8 in column text", DataError);
  REQUIRE(reader.next(row));
  CHECK(row.fields[1] == "caf\xC3\xA9 \xF0\x9F\x98\x80");
}

TEST_CASE("utf-8 validator edge cases") {
  using augment::is_valid_utf8;
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("\xE0\xA0\x80"));       // U+0800, smallest 3-byte
  CHECK(is_valid_utf8("\xED\x9F\xBF"));       // U+D7FF, just below the surrogates
  CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));   // U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xE0\x9F\xBF"));      // overlong 3-byte
  CHECK_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));  // overlong 4-byte
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(is_valid_utf8("\x80"));              // lone continuation
  CHECK_FALSE(is_valid_utf8("\xE2\x82"));          // truncated
  CHECK_FALSE(is_valid_utf8("\xFF"));
}

TEST_CASE("csv: header problems") {
  std::istringstream empty("");
  CHECK_THROWS_WITH_AS(CsvReader(empty, "e.csv"), "e.csv: empty file, expected a header row",
                       DataError);
  std::istringstream blank("\n\r\n");
  CHECK_THROWS_WITH_AS(CsvReader(blank, "e.csv"), "e.csv: empty file, expected a header row",
                       DataError);
  std::istringstream duplicate("a,b,a\n");
  CHECK_THROWS_WITH_AS(CsvReader(duplicate, "d.csv"),
                       "d.csv:1: duplicate column name \"a\" (columns 1 and 3)", DataError);
}

TEST_CASE("csv: column lookup") {
  std::istringstream input("x,y,label\n");
  CsvReader reader(input, "t.csv");
  CHECK(reader.column_index("label") == 2);
  CHECK(reader.find_column("y") == 1);
  CHECK_FALSE(reader.find_column("z"));
  CHECK_THROWS_WITH_AS((void)reader.column_index("z"),
                       "t.csv: no column \"z\"; columns are: x, y, label", DataError);
}

TEST_CASE("csv: files on disk") {
  std::random_device random;
  const fs::path folder = fs::temp_directory_path() /
                          ("augment-csv-test-" + std::to_string(random()) + std::to_string(random()));
  fs::create_directories(folder);
  const fs::path path = folder / "data.csv";
  std::ofstream(path, std::ios::binary) << "a,b\n1,2\n";
  {
    CsvReader reader(path);
    CHECK(reader.name() == path.string());
    CsvRow row;
    REQUIRE(reader.next(row));
    CHECK(row.fields == Fields{"1", "2"});
  }
  const fs::path missing = folder / "missing.csv";
  CHECK_THROWS_WITH_AS(CsvReader{missing},
                       (missing.string() + ": cannot open: No such file or directory").c_str(),
                       DataError);
  CHECK_THROWS_WITH_AS(CsvReader{folder}, (folder.string() + ": cannot open: Is a directory").c_str(),
                       DataError);
  fs::remove_all(folder);
}

TEST_CASE("csv: writer quotes only what needs it") {
  std::ostringstream output;
  CsvWriter writer(output);
  writer.write_row(Fields{"plain", "with,comma", "say \"hi\"", "two\nlines", "cr\r", " lead",
                          "trail ", ""});
  writer.write_row(Fields{""});
  const std::vector<std::string_view> views{"1", "2"};
  writer.write_row(views);
  CHECK(output.str() ==
        "plain,\"with,comma\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\",\" lead\",\"trail \",\n"
        "\"\"\n"
        "1,2\n");
}

TEST_CASE("csv: writer output reads back to the same fields") {
  const std::vector<Fields> records{
      {"h1", "h2", "h3"},
      {"a,b", "\"quoted\"", "multi\r\nline"},
      {"", " spaced ", "caf\xC3\xA9"},
      {"\"", ",", "\n"},
  };
  std::stringstream buffer;
  CsvWriter writer(buffer);
  for (const auto& record : records) writer.write_row(record);
  CsvReader reader(buffer, "round.csv");
  CHECK(reader.header() == records[0]);
  CsvRow row;
  for (std::size_t i = 1; i < records.size(); ++i) {
    REQUIRE(reader.next(row));
    CHECK(row.fields == records[i]);
  }
  CHECK_FALSE(reader.next(row));

  std::stringstream single;
  CsvWriter single_writer(single);
  single_writer.write_row(Fields{"only"});
  single_writer.write_row(Fields{""});
  CsvReader single_reader(single, "single.csv");
  REQUIRE(single_reader.next(row));
  CHECK(row.fields == Fields{""});
}
