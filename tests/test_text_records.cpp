// Records of text: lines of a .txt, a CSV text column, JSON Lines. Expected outputs are worked
// out by hand from the formats' rules (text_records.hpp); random runs are checked for the same
// bytes across thread counts and record order.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "augment/core/error.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/text/text_records.hpp"
#include "file_test_helpers.hpp"
#include "text_test_helpers.hpp"

namespace fs = std::filesystem;
using augment::text::RecordFormat;
using augment::text::TextRunOptions;

namespace {

using file_test::read_all;
using file_test::ScratchFolder;
using file_test::write_all;
augment::Pipeline pipeline(const nlohmann::json& stages) {
  return augment::Pipeline::from_json({{"kind", "text"}, {"stages", stages}}, text_test::registry());
}

// Strips accents (keeping ñ) and folds case: a deterministic pipeline whose output is easy to
// write by hand.
augment::Pipeline fold_and_strip() {
  return pipeline({{{"op", "normalize"}, {"form", "nfc"}, {"case_fold", true}}, {{"op", "strip_accents"}}});
}

TextRunOptions options_for(RecordFormat format, std::vector<std::string>& errors) {
  TextRunOptions o;
  o.format = format;
  o.on_error = [&errors](const std::string& e) { errors.push_back(e); };
  return o;
}

}  // namespace

TEST_CASE("text records: lines keep their ends, empty lines are records, a BOM is dropped, bad UTF-8 is reported by file offset") {
  ScratchFolder dir;
  // Bytes: BOM (0-2), "Árbol\r\n" (3-10, Á is two bytes), "\n" (11), "Ca" (12-13): the bad byte is at 14.
  write_all(dir / "in.txt", "\xEF\xBB\xBF\xC3\x81rbol\r\n\nCa\xFFn\nNi\xC3\xB1o Ping\xC3\xBC\xC3\xADno");
  std::vector<std::string> errors;
  const auto s = augment::text::run_text_records(fold_and_strip(), dir / "in.txt", dir / "out.txt",
                                                 options_for(RecordFormat::lines, errors));
  CHECK(s.read == 4);
  CHECK(s.written == 3);
  CHECK(s.failed == 1);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == (dir / "in.txt").string() + ":3: invalid UTF-8 at byte 14");
  // The last line had no end: it gets LF.
  CHECK(read_all(dir / "out.txt") == "arbol\r\n\nniño pingüino\n");

  errors.clear();
  auto repair = options_for(RecordFormat::lines, errors);
  repair.invalid_utf8 = augment::text::InvalidUtf8::repair;
  augment::text::run_text_records(fold_and_strip(), dir / "in.txt", dir / "repaired.txt", repair);
  CHECK(errors.empty());
  CHECK(read_all(dir / "repaired.txt") == "arbol\r\n\nca\xEF\xBF\xBDn\nniño pingüino\n");
}

TEST_CASE("text records: CSV columns pass through, the language column picks the stop list, copies add a column") {
  ScratchFolder dir;
  write_all(dir / "in.csv",
              "id,text,language,label\n"
              "a,\"El perro, y el gato\",es,1\n"
              "b,the dog and the cat,en,0\n"
              "c,\"multi\nline, kept\",,2\n");
  std::vector<std::string> errors;
  auto o = options_for(RecordFormat::csv, errors);
  o.language = "en";  // for the row without one
  o.copies = 2;
  const auto stop = pipeline({{{"op", "tokenize"}}, {{"op", "remove_stopwords"}}, {{"op", "join"}}});
  const auto s = augment::text::run_text_records(stop, dir / "in.csv", dir / "out.csv", o);
  CHECK(errors.empty());
  CHECK(s.read == 3);
  CHECK(s.written == 6);
  CHECK(read_all(dir / "out.csv") ==
        "id,text,language,label,copy\n"
        "a,\"perro, gato\",es,1,0\n"
        "a,\"perro, gato\",es,1,1\n"
        "b,dog cat,en,0,0\n"
        "b,dog cat,en,0,1\n"
        "c,\"multi\nline, kept\",,2,0\n"
        "c,\"multi\nline, kept\",,2,1\n");
  o.text_column = "body";
  CHECK_THROWS_AS(augment::text::run_text_records(stop, dir / "in.csv", dir / "x.csv", o), augment::DataError);
}

TEST_CASE("text records: JSON Lines keep field order, skip blank lines, report bad lines") {
  ScratchFolder dir;
  write_all(dir / "in.jsonl",
              "{\"id\": 7, \"text\": \"ÁRBOL\", \"score\": 1.5, \"tags\": [\"x\"]}\n"
              "\n"
              "[1, 2]\n"
              "{\"id\": 8}\n"
              "{\"id\": 9, \"text\": 3}\n"
              "{oops\n"
              "{\"text\": \"Ca\xFF\"}\n"
              "{\"text\": \"Pingüino\", \"id\": 10}\n");
  std::vector<std::string> errors;
  const auto s = augment::text::run_text_records(fold_and_strip(), dir / "in.jsonl", dir / "out.jsonl",
                                                 options_for(RecordFormat::jsonl, errors));
  CHECK(s.read == 7);
  CHECK(s.written == 2);
  const std::string name = (dir / "in.jsonl").string();
  REQUIRE(errors.size() == 5);
  CHECK(errors[0] == name + ":3: expected a JSON object, got array");
  CHECK(errors[1] == name + ":4: no string field \"text\"");
  CHECK(errors[2] == name + ":5: no string field \"text\"");
  CHECK(errors[3].starts_with(name + ":6: not valid JSON: "));
  // The bad byte is the 13th of line 7 ({"text": "Ca then FF).
  const std::size_t line7 = std::string("{\"id\": 7, \"text\": \"ÁRBOL\", \"score\": 1.5, \"tags\": [\"x\"]}\n"
                                        "\n[1, 2]\n{\"id\": 8}\n{\"id\": 9, \"text\": 3}\n{oops\n")
                                .size();
  CHECK(errors[4] == name + ":7: invalid UTF-8 at byte " + std::to_string(line7 + 12));
  CHECK(read_all(dir / "out.jsonl") ==
        "{\"id\":7,\"text\":\"arbol\",\"score\":1.5,\"tags\":[\"x\"]}\n"
        "{\"text\":\"pingüino\",\"id\":10}\n");
}

TEST_CASE("text records: random edits give the same bytes with 1 and 2 jobs, and follow the key column") {
  ScratchFolder dir;
  std::string forward = "id,text\n", backward = "id,text\n";
  std::vector<std::string> rows;
  for (int i = 0; i < 1500; ++i)  // three blocks
    rows.push_back("r" + std::to_string(i) + ",El murciélago come kiwi número " + std::to_string(i) + "\n");
  for (const auto& r : rows) forward += r;
  for (auto r = rows.rbegin(); r != rows.rend(); ++r) backward += *r;
  write_all(dir / "forward.csv", forward);
  write_all(dir / "backward.csv", backward);
  const auto typos = pipeline({{{"op", "char_swap"}, {"unit_p", 0.2}}});
  std::vector<std::string> errors;
  auto o = options_for(RecordFormat::csv, errors);
  o.seed = 42;
  o.key_column = "id";
  o.jobs = 1;
  augment::text::run_text_records(typos, dir / "forward.csv", dir / "one.csv", o);
  o.jobs = 2;
  augment::text::run_text_records(typos, dir / "forward.csv", dir / "two.csv", o);
  augment::text::run_text_records(typos, dir / "backward.csv", dir / "reversed.csv", o);
  const std::string one = read_all(dir / "one.csv");
  CHECK(one == read_all(dir / "two.csv"));
  CHECK(one != forward);  // edits happened
  // The same rows, in reverse: keyed by id, each row gets the same edits.
  std::vector<std::string> lines_one, lines_reversed;
  std::istringstream a(one), b(read_all(dir / "reversed.csv"));
  for (std::string l; std::getline(a, l);) lines_one.push_back(l);
  for (std::string l; std::getline(b, l);) lines_reversed.push_back(l);
  REQUIRE(lines_one.size() == lines_reversed.size());
  std::reverse(lines_reversed.begin() + 1, lines_reversed.end());
  CHECK(lines_one == lines_reversed);
}

TEST_CASE("text records: bag_of_words fitted on records, written as labelled svmlight lines") {
  ScratchFolder dir;
  write_all(dir / "in.jsonl",
              "{\"text\": \"b a b\", \"label\": \"pos\"}\n"
              "{\"text\": \"c a\", \"label\": 3}\n");
  // min_token_length 1 keeps the one-letter words; vocabulary a, b, c.
  auto bow = pipeline({{{"op", "tokenize"}}, {{"op", "bag_of_words"}, {"mode", "counts"}, {"min_token_length", 1}}});
  std::vector<std::string> errors;
  auto o = options_for(RecordFormat::jsonl, errors);
  const auto fitted = augment::text::fit_text_records(bow, dir / "in.jsonl", o);
  CHECK(fitted.read == 2);
  o.label_column = "label";
  augment::text::run_text_records(bow, dir / "in.jsonl", dir / "out.svm", o);
  CHECK(errors.empty());
  CHECK(read_all(dir / "out.svm") == "pos 1:1 2:2\n3 1:1 3:1\n");
  CHECK_THROWS_AS(augment::text::run_text_records(bow, dir / "in.jsonl", dir / "out.jsonl", o), augment::UsageError);
}

TEST_CASE("text records: formats by extension, outputs of another format refused, nothing left on failure") {
  CHECK(augment::text::record_format("a.CSV") == RecordFormat::csv);
  CHECK(augment::text::record_format("a.ndjson") == RecordFormat::jsonl);
  CHECK(augment::text::record_format("a.txt") == RecordFormat::lines);
  ScratchFolder dir;
  write_all(dir / "in.txt", "hola\n");
  std::vector<std::string> errors;
  auto o = options_for(RecordFormat::lines, errors);
  CHECK_THROWS_AS(augment::text::run_text_records(fold_and_strip(), dir / "in.txt", dir / "out.csv", o),
                  augment::UsageError);
  CHECK_THROWS_AS(augment::text::run_text_records(fold_and_strip(), dir / "in.txt", dir / "in.txt", o),
                  augment::UsageError);
  // fail_fast: the first bad record ends the run and no output appears.
  write_all(dir / "bad.txt", "ok\n\xC3\n");
  o.fail_fast = true;
  CHECK_THROWS_AS(augment::text::run_text_records(fold_and_strip(), dir / "bad.txt", dir / "out.txt", o),
                  augment::DataError);
  CHECK_FALSE(fs::exists(dir / "out.txt"));
  std::size_t leftovers = 0;
  for (const auto& entry : fs::directory_iterator(dir.path())) leftovers += entry.path().filename().string().starts_with(".");
  CHECK(leftovers == 0);
}
