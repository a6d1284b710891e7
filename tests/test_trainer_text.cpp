// Training from records of text (CSV, JSON Lines) with label columns: bag_of_words counts reach
// the network, fitting sees clean text, keys are `augment run`'s, the same bytes twice, and a bad
// record stops the run naming its file and line.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "augment/core/csv.hpp"
#include "augment/core/error.hpp"
#include "augment/features/register_transforms.hpp"
#include "augment/text/register_transforms.hpp"
#include "augment/text/text.hpp"
#include "augment/text/text_records.hpp"
#include "augment/trainer/batches.hpp"
#include "augment/trainer/trainer.hpp"
#include "fixture_table.hpp"

namespace fs = std::filesystem;
namespace tr = augment::trainer;
using augment_test::read_bytes;
using augment_test::TempDir;
using augment_test::write_bytes;
using nlohmann::json;

namespace {

const augment::Registry& text_registry() {
  static const augment::Registry registry =
      augment::make_registry({augment::features::register_transforms, augment::text::register_transforms});
  return registry;
}

// Vocabulary (sorted, words of 2+ characters): come el gato pan perro python sql.
const char* kRecords =
    "text,topic\n"
    "el gato come,animal\n"
    "el perro come pan,animal\n"
    "sql y python,code\n"
    "python python,code\n";

json pipeline(bool slips) {
  json stages = json::array();
  if (slips) stages.push_back({{"op", "keyboard_typo"}, {"unit_p", 0.3}, {"layout", "es-ES"}});
  stages.push_back({{"op", "tokenize"}});
  stages.push_back({{"op", "bag_of_words"}, {"mode", "counts"}});
  return {{"kind", "text"}, {"stages", stages}};
}

json config(bool slips) {
  return {{"seed", 3},
          {"data", {{"file", "records.csv"}, {"targets", {"topic"}}}},
          {"pipeline", pipeline(slips)},
          {"model",
           {{"trunk", {{{"type", "dense"}, {"units", 4}}, {{"type", "relu"}}}},
            {"heads", {{{"name", "topic"}, {"layers", {{{"type", "dense"}}}}}}}}},
          {"optimizer", {{"type", "adam"}, {"lr", 0.05}}},
          {"epochs", 4},
          {"batch_size", 2}};
}

tr::TrainResult run(const json& c, const fs::path& dir, const std::string& output = "", std::size_t prefetch = 4) {
  auto parsed = tr::TrainConfig::from_json(c, dir, &text_registry());
  parsed.output = output.empty() ? fs::path() : dir / output;
  parsed.fit.prefetch = prefetch;
  return tr::train(parsed);
}

// The fitted bag_of_words stage of a trained pipeline.
json bag_of_words_stage(const json& fitted) {
  for (const auto& stage : fitted.at("stages"))
    if (stage.at("op") == "bag_of_words") return stage;
  FAIL("no bag_of_words stage in " << fitted.dump());
  return {};
}

}  // namespace

TEST_CASE("text records: bag_of_words counts of each record reach the network, 7 inputs wide") {
  TempDir dir("train_text");
  write_bytes(dir / "records.csv", kRecords);
  const auto r = run(config(false), dir.path());
  CHECK(r.train_rows == 4);
  REQUIRE(r.targets.size() == 1);
  CHECK(r.targets[0].labels == std::vector<std::string>{"animal", "code"});
  CHECK(r.members[0].network.inputs() == 7);

  // What the network is fed (validation, test and prediction see the same): term counts.
  auto data = tr::Dataset::read_text_records({dir / "records.csv", "text", "", "", {{"topic"}}});
  data.set_input_shape({7});  // as the trainer sets it from the first sample
  CHECK(data.key(0) == "1");  // the record number, as augment run keys records
  CHECK(data.line(3) == 5);
  const auto fitted = augment::Pipeline::from_json(r.pipeline, text_registry());
  const auto inputs = tr::preprocess_inputs<double>(data, &fitted);
  REQUIRE(inputs.cols() == 7);
  Eigen::RowVectorXd second(7), fourth(7);
  second << 1, 1, 0, 1, 1, 0, 0;  // el perro come pan
  fourth << 0, 0, 0, 0, 0, 2, 0;  // python python
  CHECK(inputs.row(1) == second);
  CHECK(inputs.row(3) == fourth);
  CHECK(data.target_row(3)(1) == 1.0);
}

TEST_CASE("text records: slips drawn per epoch, the vocabulary fitted on clean text, the same bytes twice") {
  TempDir dir("train_text_slips");
  write_bytes(dir / "records.csv", kRecords);
  const auto clean = run(config(false), dir.path());
  const auto a = run(config(true), dir.path(), "a", 4);
  const auto b = run(config(true), dir.path(), "b", 0);
  CHECK(bag_of_words_stage(a.pipeline)["state"] == bag_of_words_stage(clean.pipeline)["state"]);
  CHECK(read_bytes(dir / "a" / "model.ckpt") == read_bytes(dir / "b" / "model.ckpt"));
  CHECK(read_bytes(dir / "a" / "metrics.csv") == read_bytes(dir / "b" / "metrics.csv"));
  // Not the clean run's weights: the typos changed what the network saw.
  CHECK(a.members[0].fit.history.back().metrics.get("loss") != clean.members[0].fit.history.back().metrics.get("loss"));
}

TEST_CASE("text records: record k's draws are augment run's (same key, seed and copy)") {
  TempDir dir("train_text_keys");
  write_bytes(dir / "records.csv", kRecords);
  const auto slips = augment::Pipeline::from_json(
      {{"kind", "text"}, {"stages", {{{"op", "keyboard_typo"}, {"unit_p", 0.5}, {"layout", "es-ES"}}}}}, text_registry());
  augment::text::TextRunOptions options;
  options.format = augment::text::RecordFormat::csv;
  options.seed = 11;
  options.copies = 2;
  augment::text::run_text_records(slips, dir / "records.csv", dir / "copies.csv", options);
  const auto data = tr::Dataset::read_text_records({dir / "records.csv", "text", "", "", {{"topic"}}});
  augment::CsvReader copies(dir / "copies.csv");
  augment::CsvRow row;
  for (std::size_t k = 0; k < data.rows(); ++k)
    for (std::size_t c = 0; c < 2; ++c) {
      REQUIRE(copies.next(row));
      augment::Sample s = data.sample(k);
      slips.run(s, augment::Rng::derive(11, data.key(k), c, 0));
      CHECK(augment::text::text_of(s).utf8 == row.fields[0]);
    }
}

TEST_CASE("text records: JSON Lines with another text field, a key field and numeric labels") {
  TempDir dir("train_text_jsonl");
  write_bytes(dir / "train.jsonl",
              "{\"id\": \"a\", \"body\": \"el gato come\", \"stars\": 1}\n\n"
              "{\"id\": \"b\", \"body\": \"sql y python\", \"stars\": 10}\n"
              "{\"id\": \"c\", \"body\": \"python python\", \"stars\": 2}\n");
  json c = config(false);
  c["data"] = {{"file", "train.jsonl"}, {"text_column", "body"}, {"key_column", "id"}, {"targets", {"stars"}}};
  const auto r = run(c, dir.path());
  CHECK(r.targets[0].labels == std::vector<std::string>{"1", "2", "10"});  // numeric order
  const auto data = tr::Dataset::read_text_records({dir / "train.jsonl", "body", "id", "es", {{"stars"}}});
  CHECK(data.key(1) == "b");
  CHECK(data.line(1) == 3);  // the blank line is not a record
  CHECK(augment::text::text_of(data.sample(2)).language == "es");
}

TEST_CASE("text records: a CSV with a path column is a manifest of files, a .jsonl is records") {
  TempDir dir("train_text_kind");
  write_bytes(dir / "records.csv", kRecords);
  write_bytes(dir / "manifest.csv", "path,text\na.txt,x\n");
  write_bytes(dir / "r.jsonl", "{\"text\": \"x\"}\n");
  CHECK(tr::Dataset::is_text_records(dir / "records.csv", "text"));
  CHECK_FALSE(tr::Dataset::is_text_records(dir / "records.csv", "body"));
  CHECK_FALSE(tr::Dataset::is_text_records(dir / "manifest.csv", "text"));
  CHECK(tr::Dataset::is_text_records(dir / "r.jsonl", "text"));
  CHECK_FALSE(tr::Dataset::is_text_records(dir.path(), "text"));
}

TEST_CASE("text records: a bad record stops training naming its file and line") {
  TempDir dir("train_text_errors");
  write_bytes(dir / "records.csv", kRecords);
  const auto fails_with = [&](const json& c, const std::string& message) {
    INFO(message);
    CHECK_THROWS_WITH_AS(run(c, dir.path()), doctest::Contains(message.c_str()), augment::DataError);
  };
  json c = config(false);
  c["data"]["targets"] = {"label"};
  fails_with(c, "records.csv: no column 'label' (columns: text, topic)");

  write_bytes(dir / "test.csv", "text,topic\npython,code\nel gato,plant\n");
  c = config(false);
  c["data"]["test"] = {{"file", "test.csv"}};
  fails_with(c, "test.csv:3: column 'topic'");

  write_bytes(dir / "bad.jsonl", "{\"text\": \"el gato\", \"topic\": \"a\"}\n{\"topic\": \"b\"}\n");
  c = config(false);
  c["data"]["file"] = "bad.jsonl";
  fails_with(c, "bad.jsonl:2: no string field \"text\"");

  write_bytes(dir / "nolabel.jsonl", "{\"text\": \"el gato\", \"topic\": \"a\"}\n{\"text\": \"sql\"}\n");
  c["data"]["file"] = "nolabel.jsonl";
  fails_with(c, "nolabel.jsonl:2: no field \"topic\"");

  write_bytes(dir / "utf8.jsonl", "{\"text\": \"el gato\", \"topic\": \"a\"}\n{\"text\": \"s\xff\", \"topic\": \"b\"}\n");
  c["data"]["file"] = "utf8.jsonl";
  fails_with(c, "utf8.jsonl:2: invalid UTF-8");
}
