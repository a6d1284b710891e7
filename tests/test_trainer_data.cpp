// The trainer's data side: tables to target matrices, label encodings, shuffles and batches,
// noise on targets and on weights, parameter-name prefixes.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "augment/core/error.hpp"
#include "augment/trainer/batches.hpp"
#include "augment/trainer/target_noise.hpp"
#include "augment/trainer/transfer.hpp"
#include "augment/trainer/weight_noise.hpp"
#include "fixture_table.hpp"

namespace tr = augment::trainer;
using augment_test::TempDir;
using augment_test::write_bytes;

namespace {

std::string load_error(const tr::TableSpec& spec) {
  try {
    tr::Dataset::read_csv(spec);
  } catch (const augment::DataError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("dataset: class columns one-hot over sorted labels, value columns as numbers") {
  TempDir dir("trainer_data");
  write_bytes(dir / "t.csv", "id,x,grade,score,name\nq,1.5,10,0.25,b\nr,2,9,-1,a\ns,3,10,4,b\n");
  const auto d = tr::Dataset::read_csv(
      {dir / "t.csv", {}, {{"grade"}, {"score", tr::TargetType::value}, {"name"}}, "id"});
  CHECK(d.feature_names() == std::vector<std::string>{"x"});  // numeric, not a target or the key
  CHECK(d.targets()[0].labels == std::vector<std::string>{"9", "10"});  // numbers sort as numbers
  CHECK(d.targets()[2].labels == std::vector<std::string>{"a", "b"});
  CHECK(d.targets()[1].offset == 2);
  CHECK(d.target_width() == 5);
  tr::Matrix<double> expected(3, 5);
  expected << 0, 1, 0.25, 0, 1,  //
      1, 0, -1, 1, 0,            //
      0, 1, 4, 0, 1;
  CHECK(d.target_matrix() == expected);
  CHECK(d.features(1) == std::vector<double>{2});
  CHECK(d.key(2) == "s");
  const auto s = d.subset({2, 0, 2, 2});
  CHECK(s.key(0) == "s");
  CHECK(s.key(2) == "s#1");  // repeats of a row draw their own augmentations
  CHECK(s.key(3) == "s#2");
  CHECK(s.features(1) == std::vector<double>{1.5});
}

TEST_CASE("dataset: bad values and unknown labels stop with the file, line and column") {
  TempDir dir("trainer_data_bad");
  write_bytes(dir / "t.csv", "x,y\n1,a\n,b\n");
  CHECK(load_error({dir / "t.csv", {}, {{"y"}}, ""}).find("t.csv:3: column 'x': empty value") != std::string::npos);
  write_bytes(dir / "u.csv", "x,y\n1,a\n2,c\n");
  tr::TargetColumn fixed{"y"};
  fixed.labels = {"a", "b"};
  CHECK(load_error({dir / "u.csv", {}, {fixed}, ""}).find("u.csv:3: column 'y': label 'c' is not one of the model's 2 labels") !=
        std::string::npos);
  CHECK(load_error({dir / "u.csv", {}, {{"nope"}}, ""}).find("nope") != std::string::npos);
}

TEST_CASE("epoch order: a seeded permutation, new each epoch, identity without shuffling") {
  const auto a = tr::epoch_order(100, 5, 1), b = tr::epoch_order(100, 5, 2);
  auto sorted = a;
  std::sort(sorted.begin(), sorted.end());
  CHECK(sorted == tr::epoch_order(100, 5, 1, false));
  CHECK(a == tr::epoch_order(100, 5, 1));
  CHECK(a != b);
  CHECK(a != tr::epoch_order(100, 6, 1));
}

TEST_CASE("batches: drop_last leaves the short batch out") {
  TempDir dir("trainer_batches");
  std::string csv = "x,y\n";
  for (int i = 0; i < 10; ++i) csv += std::to_string(i) + "," + (i % 2 ? "a" : "b") + "\n";
  write_bytes(dir / "t.csv", csv);
  const auto d = tr::Dataset::read_csv({dir / "t.csv", {}, {{"y"}}, ""});
  for (bool drop : {false, true}) {
    tr::BatchOptions o;
    o.batch_size = 4;
    o.drop_last = drop;
    o.prefetch = 0;
    tr::BatchStream<float> stream(d, nullptr, o);
    std::vector<Eigen::Index> sizes;
    while (auto b = stream.next()) sizes.push_back(b->inputs.rows());
    CHECK(sizes == (drop ? std::vector<Eigen::Index>{4, 4} : std::vector<Eigen::Index>{4, 4, 2}));
  }
}

TEST_CASE("target noise: label smoothing keeps a distribution, value noise is seeded") {
  std::vector<tr::TargetColumn> columns(2);
  columns[0] = {"c", tr::TargetType::class_label, {"a", "b", "c", "d"}, 0};
  columns[1] = {"v", tr::TargetType::value, {}, 4};
  tr::Matrix<double> row(1, 5);
  row << 0, 0, 1, 0, 2.5;
  tr::TargetNoise noise{0.2, 0.5};
  augment::Rng rng(3), same(3);
  tr::Matrix<double> a = row, b = row;
  tr::apply_target_noise(noise, columns, a.row(0), rng);
  tr::apply_target_noise(noise, columns, b.row(0), same);
  CHECK(a(0, 2) == doctest::Approx(0.8 + 0.05));
  CHECK(a(0, 0) == doctest::Approx(0.05));
  CHECK(a.leftCols(4).sum() == doctest::Approx(1));
  CHECK(a(0, 4) != 2.5);
  CHECK(a == b);
  CHECK_THROWS_WITH(tr::TargetNoise::from_json({{"label_smoothing", 1}}),
                    doctest::Contains("regularizers.target_noise.label_smoothing"));
}

TEST_CASE("weight noise: weights only, never frozen ones, removed bit for bit") {
  tr::Parameter<float> w{"w", tr::Matrix<float>::Constant(3, 4, 0.1f), {}, false, false, {}};
  tr::Parameter<float> b{"b", tr::Matrix<float>::Constant(1, 4, 0.2f), {}, true, false, {}};
  tr::Parameter<float> f{"f", tr::Matrix<float>::Constant(2, 2, 0.3f), {}, false, true, {}};
  std::vector<tr::Parameter<float>*> params{&w, &b, &f};
  const tr::Matrix<float> w0 = w.value;
  tr::WeightNoise<float> noise(0.01, 9);
  noise.add(params, 7);
  const tr::Matrix<float> noisy = w.value;
  CHECK(noisy != w0);
  CHECK((noisy - w0).cwiseAbs().maxCoeff() < 0.1f);
  CHECK(b.value.isConstant(0.2f));
  CHECK(f.value.isConstant(0.3f));
  noise.remove(params);
  CHECK(std::memcmp(w.value.data(), w0.data(), sizeof(float) * 12) == 0);
  noise.add(params, 7);  // the same step draws the same noise; another step other noise
  CHECK(w.value == noisy);
  noise.remove(params);
  noise.add(params, 8);
  CHECK(w.value != noisy);
  noise.remove(params);
}

TEST_CASE("transfer prefixes: a layer's path, not a string prefix") {
  CHECK(tr::under_prefix("trunk.1.weight", "trunk.1"));
  CHECK(tr::under_prefix("trunk.1.weight", "trunk"));
  CHECK(tr::under_prefix("trunk.1.weight", "trunk.1.weight"));
  CHECK_FALSE(tr::under_prefix("trunk.10.weight", "trunk.1"));
  CHECK_FALSE(tr::under_prefix("heads.a.0.bias", "trunk"));
}
