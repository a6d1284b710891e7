// The dataset runner over folders and manifests of ".vec" files (test_codec.hpp).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <unistd.h>

#include "augment/core/csv.hpp"
#include "augment/core/error.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/runner/dataset.hpp"
#include "augment/runner/run_dataset.hpp"
#include "test_codec.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using augment::runner::DatasetRunOptions;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() / ("augment-runner-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

void write_file(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every file under `root` (relative path → content), hidden ones included.
std::map<std::string, std::string> tree(const fs::path& root) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) out[fs::relative(e.path(), root).generic_string()] = read_file(e.path());
  return out;
}

const augment::Registry& registry() {
  static const augment::Registry r = test_ops::registry_with_codec();
  return r;
}

augment::Pipeline pipeline(const json& stages) {
  return augment::Pipeline::from_json({{"kind", "features"}, {"stages", stages}}, registry());
}

// 12 sources in nested folders, plus a file no codec reads and a hidden one.
void make_dataset(const fs::path& root) {
  for (int i = 0; i < 12; ++i)
    write_file(root / (i % 3 ? "a" : "b/c") / ("s" + std::to_string(i) + ".vec"), std::to_string(i) + " " + std::to_string(i * 2));
  write_file(root / "notes.txt", "not a sample");
  write_file(root / ".hidden.vec", "1");
}

DatasetRunOptions options(const fs::path& in, const fs::path& out) {
  DatasetRunOptions o;
  o.input = in;
  o.output = out;
  o.seed = 5;
  o.copies = 2;
  return o;
}

const json kStages = json::array({{{"op", "add"}, {"value", 1}}, {{"op", "jitter"}, {"amount", 3}}});

}  // namespace

TEST_CASE("runner: a folder is walked depth-first in name order; other and hidden files are left out") {
  TempDir t;
  make_dataset(t.path / "in");
  augment::runner::DatasetReader reader(t.path / "in", augment::Kind::features, registry());
  std::vector<std::string> keys;
  for (augment::runner::DatasetEntry e; reader.next(e);) {
    CHECK(e.index == keys.size());
    keys.push_back(e.key);
  }
  CHECK(keys == std::vector<std::string>{"a/s1.vec", "a/s10.vec", "a/s11.vec", "a/s2.vec", "a/s4.vec", "a/s5.vec",
                                         "a/s7.vec", "a/s8.vec", "b/c/s0.vec", "b/c/s3.vec", "b/c/s6.vec", "b/c/s9.vec"});
  CHECK(reader.ignored() == 1);
  CHECK_THROWS_AS(augment::runner::DatasetReader(t.path / "in", augment::Kind::image, registry()), augment::UsageError);
  CHECK_THROWS_AS(augment::runner::DatasetReader(t.path / "missing", augment::Kind::features, registry()),
                  augment::DataError);
}

TEST_CASE("runner: outputs mirror the tree, with a manifest of sources, copies and replayable params") {
  TempDir t;
  make_dataset(t.path / "in");
  const auto p = pipeline(kStages);
  const auto s = augment::runner::run_dataset(p, registry(), options(t.path / "in", t.path / "out"));
  CHECK(s.sources == 12);
  CHECK(s.written == 24);
  CHECK(s.failed == 0);
  CHECK(s.ignored == 1);
  const auto files = tree(t.path / "out");
  CHECK(files.count("a/s1_0.vec") == 1);
  CHECK(files.count("b/c/s9_1.vec") == 1);
  CHECK(files.size() == 24 + 2);  // + manifest.csv + the run's settings
  // Each manifest row's params replay to the written output.
  augment::CsvReader manifest(t.path / "out" / "manifest.csv");
  CHECK(manifest.header() == std::vector<std::string>{"index", "path", "source", "copy", "params"});
  std::size_t rows = 0;
  for (augment::CsvRow row; manifest.next(row); ++rows) {
    augment::Sample sample = test_ops::VecCodec().read(t.path / "in" / row.fields[2]);
    p.replay(sample, json::parse(row.fields[4]));
    std::ostringstream text;
    test_ops::VecCodec().write(sample, ".vec", text);
    CHECK(text.str() == files.at(row.fields[1]));
  }
  CHECK(rows == 24);
}

TEST_CASE("runner: byte-identical outputs whatever the jobs and shards") {
  TempDir t;
  make_dataset(t.path / "in");
  const auto p = pipeline(kStages);
  auto o = options(t.path / "in", t.path / "one");
  o.jobs = 1;
  augment::runner::run_dataset(p, registry(), o);
  o.output = t.path / "two";
  o.jobs = 2;
  augment::runner::run_dataset(p, registry(), o);
  CHECK(tree(t.path / "one") == tree(t.path / "two"));

  o.output = t.path / "sharded";
  std::size_t sources = 0;
  for (std::size_t k = 0; k < 3; ++k) {
    o.shard_index = k;
    o.shard_count = 3;
    sources += augment::runner::run_dataset(p, registry(), o).sources;
  }
  CHECK(sources == 12);
  CHECK(augment::runner::merge_manifests(t.path / "sharded") == 24);
  auto sharded = tree(t.path / "sharded"), single = tree(t.path / "one");
  for (auto* files : {&sharded, &single})
    for (auto it = files->begin(); it != files->end();)
      it = it->first.starts_with(".augment-run") || it->first.starts_with("manifest-") ? files->erase(it) : std::next(it);
  CHECK(sharded == single);
}

TEST_CASE("runner: broken sources are reported one line each; the good ones are all written") {
  TempDir t;
  make_dataset(t.path / "in");
  write_file(t.path / "in" / "a" / "broken.vec", "1 two 3");
  write_file(t.path / "in" / "a" / "empty.vec", "");
  std::vector<std::string> errors;
  auto o = options(t.path / "in", t.path / "out");
  o.on_error = [&](const std::string& e) { errors.push_back(e); };
  const auto s = augment::runner::run_dataset(pipeline(kStages), registry(), o);
  CHECK(s.failed == 2);
  CHECK(s.written == 24);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0] == (t.path / "in" / "a" / "broken.vec").string() + ": not a number: 'two'");
  CHECK(errors[1] == (t.path / "in" / "a" / "empty.vec").string() + ": empty file");
  for (const auto& [name, content] : tree(t.path / "out")) CHECK(name.find(".tmp") == std::string::npos);
}

TEST_CASE("runner: resume after an interrupted run gives what an uninterrupted run gives") {
  TempDir t;
  make_dataset(t.path / "in");
  write_file(t.path / "in" / "a" / "s5.vec", "broken");  // stops a fail-fast run in the middle
  const auto p = pipeline(kStages);
  auto o = options(t.path / "in", t.path / "out");
  o.fail_fast = true;
  o.jobs = 1;
  CHECK_THROWS_AS(augment::runner::run_dataset(p, registry(), o), augment::DataError);
  CHECK_FALSE(fs::exists(t.path / "out" / "manifest.csv"));
  write_file(t.path / "in" / "a" / "s5.vec", "5 10");
  o.resume = true;
  o.fail_fast = false;
  const auto s = augment::runner::run_dataset(p, registry(), o);
  CHECK(s.resumed > 0);
  CHECK(s.resumed + s.written == 24);
  o.output = t.path / "clean";
  o.resume = false;
  augment::runner::run_dataset(p, registry(), o);
  auto resumed = tree(t.path / "out"), clean = tree(t.path / "clean");
  resumed.erase(".augment-run.json");
  clean.erase(".augment-run.json");
  CHECK(resumed == clean);

  o.output = t.path / "out";
  o.resume = true;
  o.seed = 6;
  CHECK_THROWS_WITH_AS(augment::runner::run_dataset(p, registry(), o),
                       ((t.path / "out").string() + ": --resume: the earlier run used other settings (seed); "
                                                    "rerun without --resume or into another folder").c_str(),
                       augment::UsageError);
}

TEST_CASE("runner: a manifest carries its label columns; copy 0 can be the preprocessed original") {
  TempDir t;
  write_file(t.path / "in" / "x.vec", "1 2");
  write_file(t.path / "in" / "sub" / "y.vec", "3 4");
  write_file(t.path / "in" / "list.csv", "path,label\nsub/y.vec,dog\nx.vec,cat\nmissing.vec,cow\n../z.vec,eel\n");
  auto o = options(t.path / "in" / "list.csv", t.path / "out");
  o.original = true;
  std::vector<std::string> errors;
  o.on_error = [&](const std::string& e) { errors.push_back(e); };
  const auto s = augment::runner::run_dataset(pipeline(kStages), registry(), o);
  CHECK(s.sources == 4);
  CHECK(s.failed == 2);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].find("missing.vec: cannot open") != std::string::npos);
  CHECK(errors[1].find("list.csv:5: path leaves the manifest's folder: ../z.vec") != std::string::npos);
  CHECK(read_file(t.path / "out" / "sub" / "y_0.vec") == "4 5\n");  // add 1 only: the jitter is augmentation
  augment::CsvReader manifest(t.path / "out" / "manifest.csv");
  CHECK(manifest.header() == std::vector<std::string>{"index", "path", "source", "copy", "label", "params"});
  augment::CsvRow row;
  REQUIRE(manifest.next(row));
  CHECK(row.fields == std::vector<std::string>{"0", "sub/y_0.vec", "sub/y.vec", "0", "dog", R"([{"op":"add"},null])"});
}

TEST_CASE("runner: refuses an output inside the input, an unfitted pipeline, bad shards; dry run writes nothing") {
  TempDir t;
  make_dataset(t.path / "in");
  const auto p = pipeline(kStages);
  CHECK_THROWS_AS(augment::runner::run_dataset(p, registry(), options(t.path / "in", t.path / "in" / "out")), augment::UsageError);
  CHECK_THROWS_AS(augment::runner::run_dataset(p, registry(), options(t.path / "in", t.path / "in")), augment::UsageError);
  auto o = options(t.path / "in", t.path / "out");
  o.shard_index = 2;
  o.shard_count = 2;
  CHECK_THROWS_AS(augment::runner::run_dataset(p, registry(), o), augment::UsageError);
  CHECK_THROWS_AS(augment::runner::run_dataset(pipeline(json::array({{{"op", "center"}}})), registry(),
                                               options(t.path / "in", t.path / "out")),
                  augment::UsageError);
  o = options(t.path / "in", t.path / "out");
  o.dry_run = true;
  CHECK(augment::runner::run_dataset(p, registry(), o).sources == 12);
  CHECK_FALSE(fs::exists(t.path / "out"));
}
