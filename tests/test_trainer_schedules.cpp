// The EWMA (hand-computed), learning-rate schedules (hand cases) and gradient clipping (against
// torch.nn.utils.clip_grad_norm_ / clip_grad_value_, in fixtures/trainer/optimizers.json).
#include <cmath>
#include <cstring>
#include <fstream>
#include <numbers>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "augment/core/error.hpp"
#include "augment/trainer/clip.hpp"
#include "augment/trainer/ewma.hpp"
#include "augment/trainer/schedule.hpp"

using augment::trainer::Matrix;
using augment::trainer::Parameter;
using augment::trainer::Schedule;
using nlohmann::json;

namespace {

const json& clip_fixture() {
  static const json j = [] {
    std::ifstream in(std::string(AUGMENT_FIXTURES) + "/trainer/optimizers.json");
    REQUIRE(in.good());
    return json::parse(in)["clip"];
  }();
  return j;
}

/// Two parameters (3x4 "w", 1x4 "b") holding the fixture's gradients.
std::vector<Parameter<double>> clip_parameters() {
  std::vector<Parameter<double>> ps(2);
  const Eigen::Index rows[] = {3, 1};
  for (std::size_t k = 0; k < 2; ++k) {
    ps[k].name = k == 0 ? "w" : "b";
    ps[k].value = Matrix<double>::Zero(rows[k], 4);
    ps[k].grad.resize(rows[k], 4);
    for (Eigen::Index i = 0; i < ps[k].grad.size(); ++i) {
      ps[k].grad.data()[i] = clip_fixture()["grads"][k][i].get<double>();
    }
  }
  return ps;
}

double max_relative(const Matrix<double>& got, const json& want) {
  double worst = 0;
  for (Eigen::Index i = 0; i < got.size(); ++i) {
    const double w = want[i].get<double>();
    worst = std::max(worst, std::abs(got.data()[i] - w) / std::max(std::abs(w), 1e-12));
  }
  return worst;
}

std::string spec_error(const json& spec) {
  try {
    Schedule::from_json(spec, 0.1);
  } catch (const augment::SpecError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("the EWMA follows e(t+1) = beta e(t) + (1 - beta) v(t) from e(0) = 0") {
  // beta = 0.5, values 4, 8, 2: e = 2, 5, 3.5; corrected by 1 - 0.5^t: 4, 6.666..., 4.
  const std::vector<double> raw = augment::trainer::ewma({4, 8, 2}, 0.5);
  CHECK(raw == std::vector<double>{2, 5, 3.5});
  const std::vector<double> corrected = augment::trainer::ewma({4, 8, 2}, 0.5, true);
  CHECK(corrected[0] == 4);
  CHECK(corrected[1] == doctest::Approx(20.0 / 3).epsilon(1e-15));
  CHECK(corrected[2] == 4);
  // beta = 0.9: e(2) = 0.9 * 0.1 * 10 + 0.1 * 20 = 2.9; corrected 2.9 / 0.19.
  augment::trainer::Ewma<double> e(0.9, true);
  Matrix<double> v(1, 2);
  v << 10, -1;
  CHECK(e.update(v)(0, 0) == doctest::Approx(10).epsilon(1e-15));  // bias correction: v(0) itself
  v << 20, -1;
  e.update(v);
  CHECK(e.raw()(0, 0) == doctest::Approx(2.9).epsilon(1e-15));
  CHECK(e.value()(0, 0) == doctest::Approx(2.9 / 0.19).epsilon(1e-15));
  CHECK(e.value()(0, 1) == doctest::Approx(-1).epsilon(1e-15));  // a constant stays itself
  CHECK(e.count() == 2);
  CHECK_THROWS_AS(e.update(Matrix<double>::Zero(2, 2)), augment::UsageError);
  CHECK_THROWS_AS(augment::trainer::Ewma<float>(1.0), augment::SpecError);
}

TEST_CASE("step, exponential and cosine schedules by hand") {
  const Schedule constant = Schedule::from_json(nullptr, 0.1);
  CHECK(constant.lr(0, 0) == 0.1);
  CHECK(constant.lr(12345, 67) == 0.1);

  const Schedule step = Schedule::from_json({{"type", "step"}, {"every", 2}, {"gamma", 0.5}}, 0.1);
  CHECK(step.lr(0, 0) == 0.1);
  CHECK(step.lr(99, 1) == 0.1);  // epochs by default: the step count does not matter
  CHECK(step.lr(0, 2) == doctest::Approx(0.05));
  CHECK(step.lr(0, 5) == doctest::Approx(0.025));
  const Schedule by_steps =
      Schedule::from_json({{"type", "step"}, {"every", 10}, {"unit", "step"}}, 0.1);  // gamma 0.1
  CHECK(by_steps.lr(9, 0) == 0.1);
  CHECK(by_steps.lr(10, 0) == doctest::Approx(0.01));

  const Schedule exponential = Schedule::from_json({{"type", "exponential"}, {"gamma", 0.5}}, 0.1);
  CHECK(exponential.lr(0, 3) == doctest::Approx(0.0125));

  const Schedule cosine = Schedule::from_json({{"type", "cosine"}, {"period", 4}}, 0.1);
  CHECK(cosine.lr(0, 0) == 0.1);
  CHECK(cosine.lr(0, 1) == doctest::Approx(0.1 * (1 + std::cos(std::numbers::pi / 4)) / 2));
  CHECK(cosine.lr(0, 2) == doctest::Approx(0.05));
  CHECK(cosine.lr(0, 4) == doctest::Approx(0).epsilon(1e-12));
  CHECK(cosine.lr(0, 9) == doctest::Approx(0).epsilon(1e-12));  // stays at the floor
  const Schedule floor =
      Schedule::from_json({{"type", "cosine"}, {"period", 10}, {"min_lr", 0.01}, {"unit", "step"}}, 0.1);
  CHECK(floor.lr(5, 0) == doctest::Approx(0.055));
  CHECK(floor.lr(10, 0) == doctest::Approx(0.01));
}

TEST_CASE("a linear warm-up multiplies any schedule") {
  const Schedule warm =
      Schedule::from_json({{"type", "constant"}, {"warmup", {{"steps", 4}, {"start_factor", 0.2}}}}, 0.1);
  CHECK(warm.lr(0, 0) == doctest::Approx(0.02));
  CHECK(warm.lr(2, 0) == doctest::Approx(0.06));
  CHECK(warm.lr(4, 0) == doctest::Approx(0.1));
  CHECK(warm.lr(400, 3) == doctest::Approx(0.1));
  // Warm-up over 2 epochs (start factor 0.1) on a cosine over 10 epochs, on its own clock.
  const json spec = {{"type", "cosine"}, {"period", 10}, {"warmup", {{"epochs", 2}}}};
  const Schedule both = Schedule::from_json(spec, 1.0);
  const Schedule cosine = Schedule::from_json({{"type", "cosine"}, {"period", 10}}, 1.0);
  CHECK(both.lr(0, 0) == doctest::Approx(0.1));
  CHECK(both.lr(50, 1) == doctest::Approx(0.55 * cosine.lr(50, 1)));
  CHECK(both.lr(50, 2) == doctest::Approx(cosine.lr(50, 2)));
  // The spec with defaults filled in builds the same schedule.
  const Schedule again = Schedule::from_json(both.to_json(), 1.0);
  for (std::int64_t epoch = 0; epoch < 12; ++epoch) CHECK(again.lr(epoch, epoch) == both.lr(epoch, epoch));
  CHECK(both.to_json()["warmup"]["start_factor"] == 0.1);
}

TEST_CASE("bad schedules name the field") {
  CHECK(spec_error({{"type", "cyclic"}}).find("unknown type 'cyclic'") != std::string::npos);
  CHECK(spec_error({{"type", "step"}}) == "schedule (step): every is required");
  CHECK(spec_error({{"type", "step"}, {"every", 0}}).find("every must be an integer >= 1") != std::string::npos);
  CHECK(spec_error({{"type", "exponential"}}) == "schedule (exponential): gamma is required");
  CHECK(spec_error({{"type", "step"}, {"every", 1}, {"gamma", -1}}).find("gamma must be > 0") != std::string::npos);
  CHECK(spec_error({{"type", "cosine"}, {"period", 5}, {"min_lr", 0.5}}).find("min_lr") != std::string::npos);
  CHECK(spec_error({{"type", "cosine"}, {"period", 5}, {"unit", "batch"}}).find("unit") != std::string::npos);
  CHECK(spec_error({{"type", "constant"}, {"warmup", {{"steps", 2}, {"epochs", 2}}}}).find("warmup") !=
        std::string::npos);
  CHECK(spec_error({{"type", "constant"}, {"period", 3}}).find("unknown key 'period'") != std::string::npos);
}

TEST_CASE("clipping by global norm and by value matches torch") {
  for (const json& c : clip_fixture()["by_norm"]) {
    CAPTURE(c["max_norm"].get<double>());
    auto ps = clip_parameters();
    const double norm = augment::trainer::clip_grad_norm<double>({&ps[0], &ps[1]}, c["max_norm"].get<double>());
    CHECK(norm == doctest::Approx(c["total_norm"].get<double>()).epsilon(1e-10));
    CHECK(max_relative(ps[0].grad, c["grads"][0]) < 1e-10);
    CHECK(max_relative(ps[1].grad, c["grads"][1]) < 1e-10);
  }
  // A frozen parameter is neither counted nor scaled.
  const json& second = clip_fixture()["by_norm_second_only"];
  auto ps = clip_parameters();
  ps[0].frozen = true;
  const Matrix<double> frozen = ps[0].grad;
  const double norm = augment::trainer::clip_grad_norm<double>({&ps[0], &ps[1]}, second["max_norm"].get<double>());
  CHECK(norm == doctest::Approx(second["total_norm"].get<double>()).epsilon(1e-10));
  CHECK(max_relative(ps[1].grad, second["grad"]) < 1e-10);
  CHECK(std::memcmp(frozen.data(), ps[0].grad.data(), sizeof(double) * std::size_t(frozen.size())) == 0);

  const json& by_value = clip_fixture()["by_value"];
  ps = clip_parameters();
  augment::trainer::clip_grad_value<double>({&ps[0], &ps[1]}, by_value["clip_value"].get<double>());
  CHECK(max_relative(ps[0].grad, by_value["grads"][0]) < 1e-12);
  CHECK(max_relative(ps[1].grad, by_value["grads"][1]) < 1e-12);

  // float: the same scale to float precision.
  std::vector<Parameter<float>> fs(1);
  fs[0].value = Matrix<float>::Zero(1, 2);
  fs[0].grad = Matrix<float>(1, 2);
  fs[0].grad << 3, 4;
  CHECK(augment::trainer::clip_grad_norm<float>({&fs[0]}, 1.0) == doctest::Approx(5.0));
  CHECK(fs[0].grad(0, 1) == doctest::Approx(0.8).epsilon(1e-6));
  CHECK_THROWS_AS(augment::trainer::clip_grad_norm<float>({&fs[0]}, 0.0), augment::SpecError);
}
