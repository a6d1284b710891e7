// The dataset runner over folders and manifests of ".vec" files (test_codec.hpp).
#include <doctest/doctest.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <unistd.h>

#include "augment/core/atomic_file.hpp"
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
    // index: the output's own, source position × copies + copy; with no failed source, the row's.
    CHECK(row.fields[0] == std::to_string(rows));
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

// --- merge-manifests refuses an incomplete or mixed set of shards ---------------------------

namespace {

// Runs the 12-source dataset in `count` shards (seed 5, 2 copies) into `out`.
void run_shards(const fs::path& in, const fs::path& out, std::size_t count, std::uint64_t seed = 5) {
  auto o = options(in, out);
  o.seed = seed;
  o.shard_count = count;
  for (std::size_t k = 0; k < count; ++k) {
    o.shard_index = k;
    augment::runner::run_dataset(pipeline(kStages), registry(), o);
  }
}

// The DataError message merge_manifests(out) throws; fails the test if it succeeds.
std::string merge_error(const fs::path& out) {
  try {
    augment::runner::merge_manifests(out);
  } catch (const augment::DataError& e) {
    return e.what();
  }
  FAIL("merge_manifests accepted the set");
  return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("merge: a missing shard is refused by number and nothing is written") {
  TempDir t;
  make_dataset(t.path / "in");
  run_shards(t.path / "in", t.path / "out", 3);
  fs::remove(t.path / "out" / "manifest-1-of-3.csv");
  const std::string message = merge_error(t.path / "out");
  CHECK(message == (t.path / "out").string() +
                       ": cannot merge an incomplete or mixed set of shards: missing shard 1 of 3 "
                       "(no manifest-K-of-3.csv); nothing written");
  CHECK_FALSE(fs::exists(t.path / "out" / "manifest.csv"));
}

TEST_CASE("merge: shards of another seed, another shard count, a duplicate or an unfinished shard are refused") {
  TempDir t;
  make_dataset(t.path / "in");
  SUBCASE("another seed") {
    run_shards(t.path / "in", t.path / "out", 2);
    run_shards(t.path / "in", t.path / "other", 2, 6);
    fs::copy_file(t.path / "other" / "manifest-1-of-2.csv", t.path / "out" / "manifest-1-of-2.csv",
                  fs::copy_options::overwrite_existing);
    fs::copy_file(t.path / "other" / ".augment-run-1-of-2.json", t.path / "out" / ".augment-run-1-of-2.json",
                  fs::copy_options::overwrite_existing);
    CHECK(contains(merge_error(t.path / "out"), "shard 1/2 was made with other settings than shard 0 (seed)"));
  }
  SUBCASE("another shard count") {
    run_shards(t.path / "in", t.path / "out", 2);
    run_shards(t.path / "in", t.path / "out", 3);
    CHECK(contains(merge_error(t.path / "out"), "shard manifests of different runs"));
  }
  SUBCASE("a shard twice") {
    run_shards(t.path / "in", t.path / "out", 2);
    fs::copy_file(t.path / "out" / "manifest-0-of-2.csv", t.path / "out" / "manifest-00-of-2.csv");
    CHECK(contains(merge_error(t.path / "out"),
                   "shard 0/2 has several manifests (manifest-0-of-2.csv, manifest-00-of-2.csv)"));
  }
  SUBCASE("rows of another shard") {
    run_shards(t.path / "in", t.path / "out", 2);
    // shard 1's rows under shard 0's name: each row's source hashes to shard 1
    fs::copy_file(t.path / "out" / "manifest-1-of-2.csv", t.path / "out" / "manifest-0-of-2.csv",
                  fs::copy_options::overwrite_existing);
    const std::string message = merge_error(t.path / "out");
    CHECK((contains(message, "does not belong to shard 0/2") || contains(message, "rows but its run wrote")));
  }
  SUBCASE("an unfinished shard") {
    run_shards(t.path / "in", t.path / "out", 2);
    // what a rerun of shard 1 killed midway leaves: its state says unfinished
    write_file(t.path / "out" / ".augment-run-1-of-2.json",
               json{{"settings", json::parse(read_file(t.path / "out" / ".augment-run-1-of-2.json"))["settings"]},
                    {"complete", false},
                    {"rows", 0}}
                   .dump());
    CHECK(contains(merge_error(t.path / "out"), "shard 1/2 has not finished (run it again with --resume)"));
  }
  SUBCASE("a listed output missing") {
    run_shards(t.path / "in", t.path / "out", 2);
    augment::CsvReader manifest(t.path / "out" / "manifest-0-of-2.csv");
    augment::CsvRow row;
    REQUIRE(manifest.next(row));
    fs::remove(t.path / "out" / row.fields[1]);
    CHECK(contains(merge_error(t.path / "out"), "manifest-0-of-2.csv: 1 listed output is missing (" + row.fields[1] + ")"));
  }
  SUBCASE("no run state") {
    run_shards(t.path / "in", t.path / "out", 2);
    fs::remove(t.path / "out" / ".augment-run-0-of-2.json");
    CHECK(contains(merge_error(t.path / "out"), "shard 0/2: no run state .augment-run-0-of-2.json"));
  }
  CHECK_FALSE(fs::exists(t.path / "out" / "manifest.csv"));
}

// --- resume trusts earlier outputs only through a sound run state ----------------------------

TEST_CASE("resume: an empty, truncated or incomplete run state is refused, outputs untouched") {
  TempDir t;
  make_dataset(t.path / "in");
  auto o = options(t.path / "in", t.path / "out");
  augment::runner::run_dataset(pipeline(kStages), registry(), o);
  const fs::path state = t.path / "out" / ".augment-run.json";
  const std::string good = read_file(state);
  const auto before = tree(t.path / "out");
  o.resume = true;
  for (const std::string& damaged : {std::string(), good.substr(0, good.size() / 2), std::string("{\"settings\": {}}"),
                                     std::string("[1, 2]"), std::string("{\"complete\": true, \"rows\": 24}")}) {
    CAPTURE(damaged);
    write_file(state, damaged);
    try {
      augment::runner::run_dataset(pipeline(kStages), registry(), o);
      FAIL("a damaged run state was trusted");
    } catch (const augment::UsageError& e) {
      const std::string message = e.what();
      CHECK(message.starts_with(state.string() + ": the run state "));
      CHECK(contains(message, "remove that folder (or this file, to make every output again) and rerun"));
    }
    auto now = tree(t.path / "out");
    now.erase(".augment-run.json");
    auto expected = before;
    expected.erase(".augment-run.json");
    CHECK(now == expected);
  }
  // Without the state file nothing is trusted: every output is made again, the same bytes.
  fs::remove(state);
  const auto s = augment::runner::run_dataset(pipeline(kStages), registry(), o);
  CHECK(s.resumed == 0);
  CHECK(s.written == 24);
  CHECK(tree(t.path / "out") == before);
}

TEST_CASE("resume: a stopped run with other settings does not keep the outputs of the finished one before it") {
  TempDir t;
  make_dataset(t.path / "in");
  auto o = options(t.path / "in", t.path / "out");
  augment::runner::run_dataset(pipeline(kStages), registry(), o);  // seed 5, complete
  // seed 6, stopped by a broken file midway: manifest.csv is still seed 5's
  write_file(t.path / "in" / "a" / "s5.vec", "broken");
  o.seed = 6;
  o.fail_fast = true;
  o.jobs = 1;
  CHECK_THROWS_AS(augment::runner::run_dataset(pipeline(kStages), registry(), o), augment::DataError);
  write_file(t.path / "in" / "a" / "s5.vec", "5 10");
  o.fail_fast = false;
  o.resume = true;
  const auto s = augment::runner::run_dataset(pipeline(kStages), registry(), o);
  CHECK(s.resumed + s.written == 24);
  o.resume = false;
  o.output = t.path / "clean";
  augment::runner::run_dataset(pipeline(kStages), registry(), o);
  CHECK(tree(t.path / "out") == tree(t.path / "clean"));
}

// --- the output folder ----------------------------------------------------------------------

TEST_CASE("runner: an output that is a file is a usage error naming it") {
  TempDir t;
  make_dataset(t.path / "in");
  write_file(t.path / "file.txt", "keep me");
  CHECK_THROWS_WITH_AS(augment::runner::run_dataset(pipeline(kStages), registry(), options(t.path / "in", t.path / "file.txt")),
                       ((t.path / "file.txt").string() + ": exists and is not a folder; --output takes a folder for a dataset").c_str(),
                       augment::UsageError);
  CHECK_THROWS_WITH_AS(
      augment::runner::run_dataset(pipeline(kStages), registry(), options(t.path / "in", t.path / "file.txt" / "sub")),
      ((t.path / "file.txt" / "sub").string() + ": cannot create the output folder: Not a directory").c_str(),
      augment::UsageError);
  CHECK(read_file(t.path / "file.txt") == "keep me");
}

namespace {

// A tmpfs mounted on `folder` with `options` ("size=64k", "ro"); false when mounting is not allowed.
bool mount_tmpfs(const fs::path& folder, const std::string& mount_options) {
  fs::create_directories(folder);
  return std::system(("mount -t tmpfs -o " + mount_options + " tmpfs '" + folder.string() + "' 2>/dev/null").c_str()) == 0;
}
void unmount(const fs::path& folder) { std::system(("umount '" + folder.string() + "'").c_str()); }

}  // namespace

TEST_CASE("runner: an output folder on a read-only file system is a usage error with the system's reason") {
  TempDir t;
  make_dataset(t.path / "in");
  if (!mount_tmpfs(t.path / "ro", "ro,size=64k")) {
    MESSAGE("skipped: cannot mount a tmpfs here");
    return;
  }
  CHECK_THROWS_WITH_AS(augment::runner::run_dataset(pipeline(kStages), registry(), options(t.path / "in", t.path / "ro" / "out")),
                       ((t.path / "ro" / "out").string() + ": cannot create the output folder: Read-only file system").c_str(),
                       augment::UsageError);
  CHECK_THROWS_WITH_AS(augment::runner::run_dataset(pipeline(kStages), registry(), options(t.path / "in", t.path / "ro")),
                       ((t.path / "ro").string() + ": cannot write into the output folder: Read-only file system").c_str(),
                       augment::UsageError);
  unmount(t.path / "ro");
}

TEST_CASE("runner: a full disk stops the run naming the output and the reason; no temporaries; resume completes") {
  TempDir t;
  // 200 sources of about 2 KB each, 400 KB of output into 64 KB.
  std::string big;
  for (int i = 0; i < 400; ++i) big += std::to_string(1000 + i) + " ";
  for (int i = 0; i < 200; ++i) write_file(t.path / "in" / ("s" + std::to_string(1000 + i) + ".vec"), big);
  if (!mount_tmpfs(t.path / "disk", "size=64k")) {
    MESSAGE("skipped: cannot mount a tmpfs here");
    return;
  }
  auto o = options(t.path / "in", t.path / "disk" / "out");
  o.copies = 1;
  std::vector<std::string> errors;
  o.on_error = [&](const std::string& e) { errors.push_back(e); };
  std::string message;
  try {
    augment::runner::run_dataset(pipeline(kStages), registry(), o);
  } catch (const augment::OutputWriteError& e) {
    message = e.what();
    CHECK(e.error() == ENOSPC);
  }
  CHECK(errors.empty());  // not reported source by source
  CHECK(message.starts_with((t.path / "disk" / "out").string() + "/"));
  CHECK(contains(message, ": No space left on device; the run stopped"));
  CHECK_FALSE(fs::exists(t.path / "disk" / "out" / "manifest.csv"));
  for (const auto& e : fs::recursive_directory_iterator(t.path / "disk" / "out"))
    CHECK(e.path().filename().string().find(".tmp.") == std::string::npos);
  // Room again: move what landed to a roomy folder and resume there.
  fs::create_directories(t.path / "roomy");
  fs::copy(t.path / "disk" / "out", t.path / "roomy" / "out", fs::copy_options::recursive);
  unmount(t.path / "disk");
  o.output = t.path / "roomy" / "out";
  o.resume = true;
  const auto s = augment::runner::run_dataset(pipeline(kStages), registry(), o);
  CHECK(s.resumed > 0);
  CHECK(s.resumed + s.written == 200);
  o.output = t.path / "clean";
  o.resume = false;
  augment::runner::run_dataset(pipeline(kStages), registry(), o);
  CHECK(tree(t.path / "roomy" / "out") == tree(t.path / "clean"));
}

// --- stopping on request (a signal handler sets the flag) -----------------------------------

TEST_CASE("runner: a stop request ends the run early with the journal kept; resume completes it") {
  TempDir t;
  make_dataset(t.path / "in");
  write_file(t.path / "in" / "a" / "s4.vec", "broken");  // the 5th source: raises the flag when reported
  std::atomic<int> stop{0};
  auto o = options(t.path / "in", t.path / "out");
  o.jobs = 1;
  o.stop = &stop;
  o.on_error = [&](const std::string&) { stop = 2; };
  const auto s = augment::runner::run_dataset(pipeline(kStages), registry(), o);
  CHECK(s.interrupted);
  CHECK(s.total == 12);
  CHECK(s.sources >= 5);
  CHECK(s.sources < 12);
  CHECK_FALSE(fs::exists(t.path / "out" / "manifest.csv"));
  CHECK(fs::exists(t.path / "out" / ".augment-journal.jsonl"));
  for (const auto& [name, content] : tree(t.path / "out")) CHECK(name.find(".tmp") == std::string::npos);
  // A stop requested before the start writes nothing but the state.
  auto early = options(t.path / "in", t.path / "early");
  early.stop = &stop;
  const auto e = augment::runner::run_dataset(pipeline(kStages), registry(), early);
  CHECK(e.interrupted);
  CHECK(e.written == 0);
  // Resume (no stop now, the broken file fixed) equals an uninterrupted run.
  write_file(t.path / "in" / "a" / "s4.vec", "4 8");
  stop = 0;
  o.resume = true;
  o.on_error = nullptr;
  const auto r = augment::runner::run_dataset(pipeline(kStages), registry(), o);
  CHECK_FALSE(r.interrupted);
  CHECK(r.resumed > 0);
  CHECK(r.resumed + r.written == 24);
  o.output = t.path / "clean";
  o.resume = false;
  o.stop = nullptr;
  augment::runner::run_dataset(pipeline(kStages), registry(), o);
  CHECK(tree(t.path / "out") == tree(t.path / "clean"));
}

TEST_CASE("runner: a path listed twice in a manifest is reported on its second line; the first is written") {
  TempDir t;
  write_file(t.path / "in" / "x.vec", "1 2");
  write_file(t.path / "in" / "list.csv", "path,label\nx.vec,cat\n./x.vec,dog\n");
  auto o = options(t.path / "in" / "list.csv", t.path / "out");
  std::vector<std::string> errors;
  o.on_error = [&](const std::string& e) { errors.push_back(e); };
  const auto s = augment::runner::run_dataset(pipeline(kStages), registry(), o);
  CHECK(s.failed == 1);
  CHECK(s.written == 2);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == (t.path / "in" / "list.csv").string() +
                         ":3: ./x.vec is listed again (first on line 2); its outputs would overwrite each other");
}

// --- keys relative to the dataset root ------------------------------------------------------

namespace {

// Every file of an output folder but the run state, which records the input's path: what a
// run writes that depends on the data alone.
std::map<std::string, std::string> outputs_of(const fs::path& out) {
  auto files = tree(out);
  files.erase(".augment-run.json");
  return files;
}

}  // namespace

TEST_CASE("runner: the same dataset through a symlink or moved elsewhere writes the same outputs and manifest") {
  TempDir t;
  write_file(t.path / "data" / "images" / "a" / "x.vec", "1 2");
  write_file(t.path / "data" / "images" / "b" / "y.vec", "3 4");
  // A manifest beside the images: one path going up from its folder, one absolute.
  write_file(t.path / "data" / "lists" / "train.csv",
             "path,label\n../images/a/x.vec,cat\n" + (t.path / "data" / "images" / "b" / "y.vec").string() + ",dog\n");
  fs::create_directory_symlink(t.path / "data", t.path / "link");
  const auto p = pipeline(kStages);
  auto run = [&](const fs::path& input, const fs::path& root, const std::string& out) {
    auto o = options(input, t.path / out);
    o.root = root;
    std::vector<std::string> errors;
    o.on_error = [&](const std::string& e) { errors.push_back(e); };
    const auto s = augment::runner::run_dataset(p, registry(), o);
    CHECK(errors.empty());
    CHECK(s.written == 4);
    return outputs_of(t.path / out);
  };
  const auto real = run(t.path / "data" / "lists" / "train.csv", t.path / "data", "real");
  CHECK(real.count("images/a/x_1.vec") == 1);
  CHECK(real.count("images/b/y_0.vec") == 1);
  CHECK(real == run(t.path / "link" / "lists" / "train.csv", t.path / "link", "through-link"));
  // The root written another way (relative, with a trailing slash) is the same root.
  const fs::path here = fs::current_path();
  fs::current_path(t.path);
  const auto relative = run(fs::path("link/lists/train.csv"), fs::path("link/"), "relative");
  fs::current_path(here);
  CHECK(real == relative);

  // A copy elsewhere (its manifest's paths relative) draws what the original draws.
  write_file(t.path / "data" / "lists" / "relative.csv", "path,label\n../images/a/x.vec,cat\n../images/b/y.vec,dog\n");
  fs::create_directories(t.path / "moved" / "deeper");
  fs::copy(t.path / "data", t.path / "moved" / "deeper" / "data", fs::copy_options::recursive);
  CHECK(run(t.path / "data" / "lists" / "relative.csv", t.path / "data", "a") ==
        run(t.path / "moved" / "deeper" / "data" / "lists" / "relative.csv", t.path / "moved" / "deeper" / "data", "b"));

  // A folder is keyed from the root too: through the symlink, or under a root above it.
  auto folder = options(t.path / "link" / "images", t.path / "folder-link");
  augment::runner::run_dataset(p, registry(), folder);
  folder = options(t.path / "data" / "images", t.path / "folder-real");
  augment::runner::run_dataset(p, registry(), folder);
  CHECK(outputs_of(t.path / "folder-link") == outputs_of(t.path / "folder-real"));
  CHECK(outputs_of(t.path / "folder-real").count("a/x_0.vec") == 1);
  augment::runner::DatasetReader under(t.path / "link" / "images", augment::Kind::features, registry(), t.path / "data");
  augment::runner::DatasetEntry entry;
  REQUIRE(under.next(entry));
  CHECK(entry.key == "images/a/x.vec");
}

TEST_CASE("runner: a manifest path outside the root is refused in its row; a folder outside the root is a usage error") {
  TempDir t;
  write_file(t.path / "data" / "images" / "x.vec", "1 2");
  write_file(t.path / "elsewhere" / "z.vec", "5 6");
  write_file(t.path / "data" / "lists" / "train.csv",
             "path\n../images/x.vec\n../../elsewhere/z.vec\n" + (t.path / "elsewhere" / "z.vec").string() + "\n");
  augment::runner::DatasetReader reader(t.path / "data" / "lists" / "train.csv", augment::Kind::features, registry(),
                                        t.path / "data");
  std::vector<augment::runner::DatasetEntry> entries;
  for (augment::runner::DatasetEntry e; reader.next(e);) entries.push_back(e);
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].error.empty());
  CHECK(entries[0].key == "images/x.vec");
  const std::string leaves = ": path leaves the dataset root " + (t.path / "data").string() + ": ";
  CHECK(entries[1].error.find(":3" + leaves + "../../elsewhere/z.vec") != std::string::npos);
  CHECK(entries[2].error.find(":4" + leaves + (t.path / "elsewhere" / "z.vec").string()) != std::string::npos);
  // Without a root, the manifest's folder is the root: going up from it leaves it.
  augment::runner::DatasetReader own(t.path / "data" / "lists" / "train.csv", augment::Kind::features, registry());
  REQUIRE(own.next(entries[0]));
  CHECK(entries[0].error.find(":2: path leaves the manifest's folder: ../images/x.vec") != std::string::npos);
  CHECK_THROWS_AS(augment::runner::DatasetReader(t.path / "elsewhere", augment::Kind::features, registry(), t.path / "data"),
                  augment::UsageError);
  CHECK_THROWS_AS(augment::runner::DatasetReader(t.path / "data", augment::Kind::features, registry(), t.path / "missing"),
                  augment::DataError);
  CHECK_THROWS_AS(
      augment::runner::DatasetReader(t.path / "data", augment::Kind::features, registry(), t.path / "elsewhere" / "z.vec"),
      augment::UsageError);
}

TEST_CASE("runner: labels from folders: a label column from each file's class subfolder") {
  TempDir t;
  make_dataset(t.path / "in");
  write_file(t.path / "in" / "loose.vec", "7 8");  // in no class folder
  auto o = options(t.path / "in", t.path / "out");
  o.labels_from_folders = true;
  std::vector<std::string> errors;
  o.on_error = [&](const std::string& e) { errors.push_back(e); };
  const auto s = augment::runner::run_dataset(pipeline(kStages), registry(), o);
  CHECK(s.written == 24);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == (t.path / "in" / "loose.vec").string() +
                         ": not in a class subfolder (labels from folders take one subfolder per class)");
  augment::CsvReader manifest(t.path / "out" / "manifest.csv");
  CHECK(manifest.header() == std::vector<std::string>{"index", "path", "source", "copy", "label", "params"});
  std::map<std::string, std::string> label_of;
  for (augment::CsvRow row; manifest.next(row);) label_of[row.fields[2]] = row.fields[4];
  CHECK(label_of.size() == 12);
  CHECK(label_of.at("a/s1.vec") == "a");
  CHECK(label_of.at("b/c/s9.vec") == "b");  // the first subfolder, however deep the file

  // Under a root above the folder, the class is still the folder's own subfolder.
  fs::create_directories(t.path / "data");
  fs::rename(t.path / "in", t.path / "data" / "in");
  o.input = t.path / "data" / "in";
  o.output = t.path / "rooted";
  o.root = t.path / "data";
  augment::runner::run_dataset(pipeline(kStages), registry(), o);
  CHECK(read_file(t.path / "rooted" / "manifest.csv").find(",in/a/s1_0.vec,in/a/s1.vec,0,a,") != std::string::npos);

  // A manifest's labels are its own columns.
  write_file(t.path / "list.csv", "path\nin/a/s1.vec\n");
  o = options(t.path / "list.csv", t.path / "out2");
  o.labels_from_folders = true;
  CHECK_THROWS_AS(augment::runner::run_dataset(pipeline(kStages), registry(), o), augment::UsageError);
}
