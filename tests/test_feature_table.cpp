// fit_table / run_table on CSV files in a temporary folder.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/features/feature_table.hpp"
#include "augment/features/feature_vector.hpp"
#include "fixture_table.hpp"

namespace fs = std::filesystem;
using augment::features::fit_table;
using augment::features::RunOptions;
using augment::features::run_table;
using augment::features::TableOptions;
using augment_test::check_matrix_close;
using augment_test::features_registry;
using augment_test::fixture_path;
using augment_test::Matrix;
using augment_test::read_bytes;
using augment_test::read_table;
using augment_test::TempDir;
using augment_test::write_bytes;
using nlohmann::json;

namespace {

augment::Pipeline pipeline_of(const json& stages, const json& extra = json::object()) {
  json spec = {{"kind", "features"}, {"stages", stages}};
  spec.update(extra);
  return augment::Pipeline::from_json(spec, features_registry());
}

/// Options that collect the reported bad rows.
template <class Options>
Options collecting(std::vector<std::string>& errors) {
  Options options;
  options.on_error = [&errors](const std::string& message) { errors.push_back(message); };
  return options;
}

using Strings = std::vector<std::string>;

/// "id,x,y" rows keyed 1000.. with two numeric features.
std::string keyed_table(std::size_t rows, const std::vector<std::size_t>& order = {}) {
  std::string text = "id,x,y\n";
  for (std::size_t k = 0; k < rows; ++k) {
    const std::size_t i = order.empty() ? k : order[k];
    text += std::to_string(1000 + i) + "," + std::to_string(i % 17) + ".5," + std::to_string(i % 5) + "\n";
  }
  return text;
}

std::map<std::string, Strings> rows_by_column(const augment_test::Table& table, const std::string& column) {
  std::map<std::string, Strings> out;
  const std::size_t j = table.column(column);
  for (const auto& row : table.rows) out[row[j]] = row;
  return out;
}

std::vector<fs::path> files_in(const fs::path& folder) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(folder)) out.push_back(entry.path().filename());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("feature table: fit and run on the fixture match StandardScaler, passthrough kept") {
  TempDir dir("table_fixture");
  const fs::path input = fixture_path("input.csv");
  auto pipeline = pipeline_of(json::array({{{"op", "standardize"}}}));

  const auto fitted = fit_table(pipeline, input, TableOptions{});
  CHECK(fitted.feature_columns == Strings{"a", "b", "c", "d"});
  CHECK(fitted.passthrough_columns == Strings{"id", "label"});
  CHECK(fitted.rows_read == 12);
  CHECK(fitted.rows_failed == 0);
  const auto sk_mean = augment_test::fitted_state_fixture()["standard_scaler"]["mean"].get<std::vector<double>>();
  augment_test::check_vector_close(sk_mean, pipeline.to_json()["stages"][0]["state"]["mean"].get<std::vector<double>>(),
                                   1e-12);

  const auto ran = run_table(pipeline, input, dir / "out.csv", RunOptions{});
  CHECK(ran.rows_read == 12);
  CHECK(ran.rows_written == 12);
  CHECK(ran.rows_failed == 0);
  CHECK(ran.feature_columns == Strings{"a", "b", "c", "d"});

  const auto in = read_table(input);
  const auto out = read_table(dir / "out.csv");
  CHECK(out.header == in.header);
  CHECK(out.text("id") == in.text("id"));
  CHECK(out.text("label") == in.text("label"));
  check_matrix_close(augment_test::fixture_matrix("standardize.csv"), out.numbers(augment_test::fixture_features()),
                     1e-12);
}

TEST_CASE("feature table: passthrough columns are kept byte for byte") {
  TempDir dir("table_passthrough");
  // Fields that need quoting, a doubled quote, a leading/trailing space, UTF-8, an empty field;
  // features written in their shortest form, so an identity pipeline must give the same bytes.
  const std::string text =
      "id,a,note,b,label\n"
      "r01,1.5,\"hello, world\",-2,cat\n"
      "r02,-0.25,\"say \"\"hi\"\"\",0.125,\" dog \"\n"
      "r03,3,h\xc3\xa9llo \xe2\x82\xac,1000,\n"
      "r04,0,\"two\nlines\",-7.75,x;y\n";
  write_bytes(dir / "in.csv", text);
  auto identity = pipeline_of(json::array({{{"op", "standardize"}, {"state", {{"mean", {0, 0}}, {"std", {1, 1}}}}}}));
  const auto summary = run_table(identity, dir / "in.csv", dir / "out.csv", RunOptions{});
  CHECK(summary.feature_columns == Strings{"a", "b"});
  CHECK(summary.passthrough_columns == Strings{"id", "note", "label"});
  CHECK(summary.rows_written == 4);
  CHECK(read_bytes(dir / "out.csv") == text);
}

TEST_CASE("feature table: columns in the spec, and in the options, choose the features") {
  TempDir dir("table_columns");
  const fs::path input = fixture_path("input.csv");
  const auto in = read_table(input);

  SUBCASE("the spec's columns override detection") {
    auto pipeline = pipeline_of(json::array({{{"op", "standardize"}}}), {{"columns", {"a", "d"}}});
    const auto fitted = fit_table(pipeline, input, TableOptions{});
    CHECK(fitted.feature_columns == Strings{"a", "d"});
    CHECK(fitted.passthrough_columns == Strings{"id", "b", "c", "label"});
    CHECK(pipeline.to_json()["stages"][0]["state"]["mean"].size() == 2);

    run_table(pipeline, input, dir / "out.csv", RunOptions{});
    const auto out = read_table(dir / "out.csv");
    for (const char* kept : {"id", "b", "c", "label"}) CHECK(out.text(kept) == in.text(kept));
    const Matrix expected = augment_test::read_fixture("standardize.csv").numbers({"a", "d"});
    check_matrix_close(expected, out.numbers({"a", "d"}), 1e-12);
  }
  SUBCASE("the options' columns override the spec's") {
    auto pipeline = pipeline_of(json::array({{{"op", "rescale"}}}), {{"columns", {"a", "d"}}});
    TableOptions options;
    options.columns = {"c", "b"};
    const auto fitted = fit_table(pipeline, input, options);
    CHECK(fitted.feature_columns == Strings{"b", "c"});  // in file order
    RunOptions run;
    run.columns = options.columns;
    run_table(pipeline, input, dir / "out.csv", run);
    const auto out = read_table(dir / "out.csv");
    for (const char* kept : {"id", "a", "d", "label"}) CHECK(out.text(kept) == in.text(kept));
    check_matrix_close(augment_test::read_fixture("rescale_0_1.csv").numbers({"b", "c"}), out.numbers({"b", "c"}),
                       1e-12);
  }
  SUBCASE("an unknown column is a DataError") {
    auto pipeline = pipeline_of(json::array({{{"op", "rescale"}}}), {{"columns", {"a", "nope"}}});
    CHECK_THROWS_AS(fit_table(pipeline, input, TableOptions{}), augment::DataError);
  }
  SUBCASE("columns in the spec must be a list of names") {
    auto pipeline = pipeline_of(json::array({{{"op", "rescale"}}}), {{"columns", "a"}});
    CHECK_THROWS_AS(fit_table(pipeline, input, TableOptions{}), augment::SpecError);
  }
}

TEST_CASE("feature table: a key column makes the output independent of row order") {
  TempDir dir("table_key");
  std::vector<std::size_t> shuffled(60);
  for (std::size_t i = 0; i < shuffled.size(); ++i) shuffled[i] = (i * 37 + 11) % shuffled.size();  // a permutation
  write_bytes(dir / "in.csv", keyed_table(60));
  write_bytes(dir / "shuffled.csv", keyed_table(60, shuffled));
  const auto pipeline = pipeline_of(json::array({{{"op", "gaussian_noise"}, {"sigma", 1.0}}}));

  RunOptions options;
  options.seed = 17;
  options.key_column = "id";
  const auto summary = run_table(pipeline, dir / "in.csv", dir / "out.csv", options);
  // The key column is numeric but not a feature.
  CHECK(summary.feature_columns == Strings{"x", "y"});
  CHECK(summary.passthrough_columns == Strings{"id"});
  run_table(pipeline, dir / "shuffled.csv", dir / "out_shuffled.csv", options);
  const auto by_key = rows_by_column(read_table(dir / "out.csv"), "id");
  const auto by_key_shuffled = rows_by_column(read_table(dir / "out_shuffled.csv"), "id");
  CHECK(by_key.size() == 60);
  CHECK(by_key == by_key_shuffled);

  SUBCASE("without a key column the row number keys the draws") {
    RunOptions plain;
    plain.seed = 17;
    plain.columns = {"x", "y"};
    run_table(pipeline, dir / "in.csv", dir / "plain.csv", plain);
    run_table(pipeline, dir / "shuffled.csv", dir / "plain_shuffled.csv", plain);
    CHECK(rows_by_column(read_table(dir / "plain.csv"), "id") !=
          rows_by_column(read_table(dir / "plain_shuffled.csv"), "id"));
  }
  SUBCASE("without a key column a numeric id is detected as a feature") {
    const auto detected = run_table(pipeline, dir / "in.csv", dir / "detected.csv", RunOptions{});
    CHECK(detected.feature_columns == Strings{"id", "x", "y"});
  }
}

TEST_CASE("feature table: one or two jobs give the same bytes") {
  TempDir dir("table_jobs");
  write_bytes(dir / "in.csv", keyed_table(5000));  // several 1024-row blocks
  const json stages = json::array({{{"op", "standardize"}},
                                   {{"op", "gaussian_noise"}, {"sigma", {0.1, 1.0}}, {"p", 0.7}},
                                   {{"op", "rescale"}, {"min", -1}, {"max", 1}}});

  std::vector<json> specs;
  std::vector<std::string> outputs, params;
  for (std::size_t jobs : {std::size_t{1}, std::size_t{2}, std::size_t{0}}) {
    auto pipeline = pipeline_of(stages);
    TableOptions fit_options;
    fit_options.jobs = jobs;
    fit_options.key_column = "id";
    fit_table(pipeline, dir / "in.csv", fit_options);
    specs.push_back(pipeline.to_json());

    RunOptions options;
    options.jobs = jobs;
    options.seed = 99;
    options.copies = 2;
    options.key_column = "id";
    options.params_output = dir / ("params" + std::to_string(jobs) + ".jsonl");
    const auto summary = run_table(pipeline, dir / "in.csv", dir / ("out" + std::to_string(jobs) + ".csv"), options);
    CHECK(summary.rows_read == 5000);
    CHECK(summary.rows_written == 10000);
    outputs.push_back(read_bytes(dir / ("out" + std::to_string(jobs) + ".csv")));
    params.push_back(read_bytes(options.params_output));
  }
  CHECK(specs[0] == specs[1]);
  CHECK(specs[0] == specs[2]);
  CHECK(outputs[0] == outputs[1]);
  CHECK(outputs[0] == outputs[2]);
  CHECK(params[0] == params[1]);
  CHECK(params[0] == params[2]);

  SUBCASE("the params file replays to the written rows") {
    const auto pipeline = augment::Pipeline::from_json(specs[0], features_registry());
    const auto in = read_table(dir / "in.csv");
    const auto out = read_table(dir / "out1.csv");
    const Matrix in_values = in.numbers({"x", "y"});
    const Matrix out_values = out.numbers({"x", "y"});
    std::istringstream lines(params[0]);
    std::string line;
    std::size_t n = 0;
    while (std::getline(lines, line)) {
      const json entry = json::parse(line);
      REQUIRE(n < out_values.size());
      const std::size_t row = n / 2;
      CHECK(entry["key"] == in.rows[row][0]);
      CHECK(entry["copy"] == n % 2);
      CHECK(entry["line"] == row + 2);
      augment::Sample sample = augment::features::make_sample(in_values[row]);
      pipeline.replay(sample, entry["record"]);
      CHECK(augment::features::values_of(sample) == out_values[n]);  // exact: numbers round-trip as text
      ++n;
    }
    CHECK(n == 10000);
  }
}

TEST_CASE("feature table: bad rows are reported with FILE:LINE and skipped") {
  TempDir dir("table_bad");
  const fs::path input = dir / "in.csv";
  write_bytes(input,
              "id,a,b,label\n"         // line 1
              "r1,1,2,x\n"             // 2
              "r2,abc,3,y\n"           // 3: not a number
              "r3,4,,z\n"              // 4: empty value
              "r4,nan,1,w\n"           // 5: NaN
              "r5,1,2\n"               // 6: too few fields
              "r6,7,8,\"two\nlines\"\n"  // 7-8: fine
              "r7,inf,1,u\n"           // 9: infinity
              "r8,5,6,t\n");           // 10
  const std::vector<std::string> bad_lines = {":3:", ":4:", ":5:", ":6:", ":9:"};
  auto check_errors = [&](const std::vector<std::string>& errors) {
    REQUIRE(errors.size() == bad_lines.size());
    for (std::size_t i = 0; i < errors.size(); ++i) {
      INFO(errors[i]);
      CHECK(errors[i].rfind(input.string() + bad_lines[i], 0) == 0);
    }
  };

  auto pipeline = pipeline_of(json::array({{{"op", "standardize"}}, {{"op", "rescale"}}}));
  std::vector<std::string> fit_errors;
  const auto fitted = fit_table(pipeline, input, collecting<TableOptions>(fit_errors));
  check_errors(fit_errors);  // once each, though two stages were fitted
  CHECK(fitted.rows_read == 8);
  CHECK(fitted.rows_failed == 5);
  // Fitted on r1, r6 and r8 only: a = 1, 7, 5 and b = 2, 8, 6.
  const json state = pipeline.to_json()["stages"][0]["state"];
  CHECK(state["mean"][0].get<double>() == doctest::Approx(13.0 / 3.0).epsilon(1e-15));
  CHECK(state["mean"][1].get<double>() == doctest::Approx(16.0 / 3.0).epsilon(1e-15));
  CHECK(state["count"] == 3);

  std::vector<std::string> run_errors;
  const auto ran = run_table(pipeline, input, dir / "out.csv", collecting<RunOptions>(run_errors));
  check_errors(run_errors);
  CHECK(ran.rows_read == 8);
  CHECK(ran.rows_failed == 5);
  CHECK(ran.rows_written == 3);
  const auto out = read_table(dir / "out.csv");
  CHECK(out.text("id") == Strings{"r1", "r6", "r8"});
  CHECK(out.text("label") == Strings{"x", "two\nlines", "t"});
  // standardize then rescale to [0, 1]: a = 1, 7, 5 -> 0, 1, 2/3.
  check_matrix_close({{0.0, 0.0}, {1.0, 1.0}, {4.0 / 6.0, 4.0 / 6.0}}, out.numbers({"a", "b"}), 1e-14);
}

TEST_CASE("feature table: fail_fast stops at the first bad row and leaves no output") {
  TempDir dir("table_fail_fast");
  const fs::path input = dir / "in.csv";
  write_bytes(input, "id,a\nr1,1\nr2,x\nr3,3\nr4,y\n");
  auto pipeline = pipeline_of(json::array({{{"op", "rescale"}}}));
  std::vector<std::string> errors;
  auto options = collecting<TableOptions>(errors);
  options.fail_fast = true;
  // The first bad row is reported once: by the exception, not also through on_error.
  try {
    fit_table(pipeline, input, options);
    FAIL("expected a DataError");
  } catch (const augment::DataError& e) {
    CHECK(std::string(e.what()).rfind(input.string() + ":3:", 0) == 0);
  }
  CHECK(errors.empty());
  CHECK_FALSE(pipeline.unfitted_stages().empty());

  auto fitted = pipeline_of(json::array({{{"op", "rescale"}, {"state", {{"data_min", {0}}, {"data_max", {4}}}}}}));
  errors.clear();
  auto run = collecting<RunOptions>(errors);
  run.fail_fast = true;
  try {
    run_table(fitted, input, dir / "out.csv", run);
    FAIL("expected a DataError");
  } catch (const augment::DataError& e) {
    CHECK(std::string(e.what()).rfind(input.string() + ":3:", 0) == 0);
  }
  CHECK(errors.empty());
  CHECK_FALSE(fs::exists(dir / "out.csv"));
  CHECK(files_in(dir.path()) == std::vector<fs::path>{"in.csv"});  // no temporary file left

  SUBCASE("an existing output is left as it was") {
    write_bytes(dir / "out.csv", "old\n");
    CHECK_THROWS_AS(run_table(fitted, input, dir / "out.csv", run), augment::DataError);
    CHECK(read_bytes(dir / "out.csv") == "old\n");
    CHECK(files_in(dir.path()) == std::vector<fs::path>{"in.csv", "out.csv"});
  }
}

TEST_CASE("feature table: copies > 1 adds a copy column") {
  TempDir dir("table_copies");
  write_bytes(dir / "in.csv", "id,a,b,label\nr1,1,2,x\nr2,3,4,y\n");
  const auto pipeline = pipeline_of(json::array({{{"op", "gaussian_noise"}, {"sigma", 0.5}}}));
  RunOptions options;
  options.copies = 3;
  const auto summary = run_table(pipeline, dir / "in.csv", dir / "out.csv", options);
  CHECK(summary.rows_written == 6);
  const auto out = read_table(dir / "out.csv");
  CHECK(out.header == Strings{"id", "a", "b", "label", "copy"});
  CHECK(out.text("id") == Strings{"r1", "r1", "r1", "r2", "r2", "r2"});
  CHECK(out.text("label") == Strings{"x", "x", "x", "y", "y", "y"});
  CHECK(out.text("copy") == Strings{"0", "1", "2", "0", "1", "2"});
  const Matrix values = out.numbers({"a", "b"});
  CHECK(values[0] != values[1]);
  CHECK(values[1] != values[2]);

  SUBCASE("one copy adds no column") {
    options.copies = 1;
    run_table(pipeline, dir / "in.csv", dir / "one.csv", options);
    CHECK(read_table(dir / "one.csv").header == Strings{"id", "a", "b", "label"});
    // Copy 0 draws the same numbers whatever the number of copies.
    CHECK(read_table(dir / "one.csv").numbers({"a", "b"})[0] == values[0]);
  }
  SUBCASE("an input that has a copy column already is refused") {
    write_bytes(dir / "has_copy.csv", "id,a,copy\nr1,1,z\n");
    CHECK_THROWS_AS(run_table(pipeline, dir / "has_copy.csv", dir / "out2.csv", options), augment::DataError);
  }
  SUBCASE("zero copies is a UsageError") {
    options.copies = 0;
    CHECK_THROWS_AS(run_table(pipeline, dir / "in.csv", dir / "out3.csv", options), augment::UsageError);
  }
}

TEST_CASE("feature table: unusable pipelines and inputs") {
  TempDir dir("table_misuse");
  write_bytes(dir / "in.csv", "id,a\nr1,1\n");
  write_bytes(dir / "empty.csv", "id,a\n");
  SUBCASE("an unfitted pipeline does not run") {
    const auto pipeline = pipeline_of(json::array({{{"op", "standardize"}}}));
    CHECK_THROWS_AS(run_table(pipeline, dir / "in.csv", dir / "out.csv", RunOptions{}), augment::UsageError);
    CHECK_FALSE(fs::exists(dir / "out.csv"));
  }
  SUBCASE("the output may not overwrite the input") {
    const auto pipeline = pipeline_of(json::array({{{"op", "unit_norm"}}}));
    CHECK_THROWS_AS(run_table(pipeline, dir / "in.csv", dir / "in.csv", RunOptions{}), augment::UsageError);
    CHECK(read_bytes(dir / "in.csv") == "id,a\nr1,1\n");
  }
  SUBCASE("fitting on a table without rows is a DataError") {
    auto pipeline = pipeline_of(json::array({{{"op", "standardize"}}}));
    TableOptions options;
    options.columns = {"a"};
    CHECK_THROWS_AS(fit_table(pipeline, dir / "empty.csv", options), augment::DataError);
  }
}

// Regression: a malformed FIRST data row, with the feature columns auto-detected, used to spin
// forever (the detector kept reading back the row it had set aside).
TEST_CASE("feature table: a malformed first row is reported, detection uses the next good row") {
  TempDir dir("table_bad_first_row");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"ragged", "a,b\n1\n2,3\n4,5\n"},
      {"unbalanced quote", "a,b\n1,\"x\"y\n2,3\n4,5\n"},
      {"invalid UTF-8", "a,b\n1,\xff\n2,3\n4,5\n"},
  };
  for (const auto& [what, text] : cases) {
    CAPTURE(what);
    write_bytes(dir / "in.csv", text);
    std::vector<std::string> errors;
    auto options = collecting<RunOptions>(errors);
    options.seed = 1;
    auto pipeline = pipeline_of(json::array({{{"op", "gaussian_noise"}, {"sigma", 0.5}}}));
    const auto summary = run_table(pipeline, dir / "in.csv", dir / "out.csv", options);
    CHECK(summary.rows_read == 3);
    CHECK(summary.rows_failed == 1);
    CHECK(summary.rows_written == 2);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("in.csv:2: ") != std::string::npos);
    // Both columns were detected from row 2 ("2,3"): the output has the input's header.
    CHECK(read_table(dir / "out.csv").header == Strings{"a", "b"});
  }
  SUBCASE("every row malformed: each one is reported, none is kept") {
    write_bytes(dir / "in.csv", "a,b\n1\n2\n");
    std::vector<std::string> errors;
    auto options = collecting<RunOptions>(errors);
    auto pipeline = pipeline_of(json::array({{{"op", "gaussian_noise"}, {"sigma", 0.5}}}));
    const auto summary = run_table(pipeline, dir / "in.csv", dir / "out.csv", options);
    CHECK(summary.rows_failed == 2);
    CHECK(summary.rows_written == 0);
    CHECK(errors.size() == 2);
  }
}
