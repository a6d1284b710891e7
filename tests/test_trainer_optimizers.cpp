// Optimizers: ten steps of every optimizer and convention against PyTorch (float64) or, for the
// course's conventions torch lacks, independent numpy formulas (fixture made by
// fixtures/trainer/make_optimizer_fixtures.py); frozen parameters; state round trips; bad configs.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "augment/core/error.hpp"
#include "augment/trainer/optimizer.hpp"
#include "augment/trainer/parameter.hpp"

using augment::trainer::make_optimizer;
using augment::trainer::Matrix;
using augment::trainer::Optimizer;
using augment::trainer::Parameter;
using nlohmann::json;

namespace {

const json& fixture() {
  static const json j = [] {
    std::ifstream in(std::string(AUGMENT_FIXTURES) + "/trainer/optimizers.json");
    REQUIRE(in.good());
    return json::parse(in);
  }();
  return j;
}

template <class T>
Matrix<T> matrix(const json& values, std::size_t k) {
  const json& shape = fixture()["shapes"][k];
  Matrix<T> m(shape[0].get<Eigen::Index>(), shape[1].get<Eigen::Index>());
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<T>(values[i].get<double>());
  return m;
}

/// The fixture's two parameters ("w" 3x4, "b" 1x4) at their initial values.
template <class T>
std::vector<Parameter<T>> initial_parameters() {
  std::vector<Parameter<T>> ps(2);
  for (std::size_t k = 0; k < 2; ++k) {
    ps[k].name = k == 0 ? "w" : "b";
    ps[k].is_bias = k == 1;
    ps[k].value = matrix<T>(fixture()["initial"][k], k);
    ps[k].grad = Matrix<T>::Zero(ps[k].value.rows(), ps[k].value.cols());
  }
  return ps;
}

template <class T>
std::vector<Parameter<T>*> pointers(std::vector<Parameter<T>>& ps) {
  std::vector<Parameter<T>*> out;
  for (auto& p : ps) out.push_back(&p);
  return out;
}

template <class T>
void set_grads(std::vector<Parameter<T>>& ps, std::size_t step) {
  for (std::size_t k = 0; k < ps.size(); ++k) ps[k].grad = matrix<T>(fixture()["grads"][step][k], k);
}

double lr_of(const json& run, std::size_t step) {
  return run.contains("lrs") ? run["lrs"][step].get<double>() : run["config"]["lr"].get<double>();
}

/// Ten steps of `run`; the largest |ours − reference| / max(|reference|, floor) over every
/// parameter value after every step.
template <class T>
double run_error(const json& run, double floor) {
  auto optimizer = make_optimizer<T>(run["config"]);
  auto ps = initial_parameters<T>();
  double worst = 0;
  for (std::size_t t = 0; t < run["params"].size(); ++t) {
    set_grads(ps, t);
    optimizer->step(pointers(ps), lr_of(run, t));
    for (std::size_t k = 0; k < ps.size(); ++k) {
      const json& expected = run["params"][t][k];
      for (Eigen::Index i = 0; i < ps[k].value.size(); ++i) {
        const double want = expected[i].get<double>(), got = static_cast<double>(ps[k].value.data()[i]);
        worst = std::max(worst, std::abs(got - want) / std::max(std::abs(want), floor));
      }
    }
  }
  return worst;
}

template <class T>
Matrix<T> run_steps(Optimizer<T>& optimizer, std::vector<Parameter<T>>& ps, std::size_t from, std::size_t to,
                    double lr) {
  for (std::size_t t = from; t < to; ++t) {
    set_grads(ps, t);
    optimizer.step(pointers(ps), lr);
  }
  return ps[0].value;
}

}  // namespace

TEST_CASE("every optimizer matches its reference to 1e-6 in double and 1e-5 in float") {
  REQUIRE(fixture()["runs"].size() >= 20);
  for (const json& run : fixture()["runs"]) {
    const std::string name = run["name"];
    CAPTURE(name);
    const double in_double = run_error<double>(run, 1e-9);
    const double in_float = run_error<float>(run, 1);  // relative above 1, absolute below
    MESSAGE(name << " (" << run["reference"].get<std::string>() << "): max relative error "
                 << in_double << " double, " << in_float << " float");
    CHECK(in_double < 1e-6);
    CHECK(in_float < 1e-5);
  }
}

TEST_CASE("course and pytorch momentum coincide for a constant lr and differ under a schedule") {
  for (const std::string type : {"momentum", "nesterov"}) {
    CAPTURE(type);
    for (const bool scheduled : {false, true}) {
      std::vector<Matrix<double>> finals;
      for (const std::string convention : {"pytorch", "course"}) {
        auto optimizer = make_optimizer<double>({{"type", type}, {"momentum", 0.9}, {"convention", convention}});
        auto ps = initial_parameters<double>();
        for (std::size_t t = 0; t < 10; ++t) {
          set_grads(ps, t);
          optimizer->step(pointers(ps), scheduled ? 0.1 / double(t + 1) : 0.05);
        }
        finals.push_back(ps[0].value);
      }
      const double gap = (finals[0] - finals[1]).cwiseAbs().maxCoeff();
      if (scheduled) {
        CHECK(gap > 1e-3);
      } else {
        CHECK(gap < 1e-14);
      }
    }
  }
}

TEST_CASE("a frozen parameter and its state never change") {
  for (const json& run : fixture()["runs"]) {
    CAPTURE(run["name"].get<std::string>());
    const double lr = lr_of(run, 0);
    auto optimizer = make_optimizer<float>(run["config"]);
    auto ps = initial_parameters<float>();
    ps[1].frozen = true;  // from the start: never updated, no state
    const Matrix<float> initial = ps[1].value;
    run_steps(*optimizer, ps, 0, 3, lr);
    CHECK(std::memcmp(initial.data(), ps[1].value.data(), sizeof(float) * std::size_t(initial.size())) == 0);
    CHECK_FALSE(optimizer->state()["parameters"].contains("b"));
    CHECK(ps[0].value != matrix<float>(fixture()["initial"][0], 0));
    // Trained, then frozen (fine-tuning): value and state stay as they were.
    const Matrix<float> trained = ps[0].value;
    const json state = optimizer->state()["parameters"]["w"];
    ps[1].frozen = false;
    ps[0].frozen = true;
    run_steps(*optimizer, ps, 3, 10, lr);
    CHECK(optimizer->state()["parameters"].contains("b"));
    CHECK(std::memcmp(trained.data(), ps[0].value.data(), sizeof(float) * std::size_t(trained.size())) == 0);
    CHECK(optimizer->state()["parameters"]["w"] == state);
  }
}

TEST_CASE("a state round trip through JSON text continues bit-identically") {
  for (const json& run : fixture()["runs"]) {
    CAPTURE(run["name"].get<std::string>());
    const double lr = lr_of(run, 0);
    auto first = make_optimizer<float>(run["config"]);
    auto ps = initial_parameters<float>();
    run_steps(*first, ps, 0, 4, lr);
    auto resumed_ps = ps;
    // A new optimizer from the saved config and state, as a checkpoint restores it.
    auto resumed = make_optimizer<float>(json::parse(first->config().dump()));
    resumed->set_state(json::parse(first->state().dump()));
    CHECK(resumed->config() == first->config());
    const Matrix<float> a = run_steps(*first, ps, 4, 10, lr);
    const Matrix<float> b = run_steps(*resumed, resumed_ps, 4, 10, lr);
    CHECK(std::memcmp(a.data(), b.data(), sizeof(float) * std::size_t(a.size())) == 0);
    CHECK(first->state() == resumed->state());
  }
  // The state carries the step count (Adam's bias correction) per parameter.
  auto adam = make_optimizer<double>({{"type", "adam"}});
  auto ps = initial_parameters<double>();
  run_steps(*adam, ps, 0, 3, 1e-3);
  CHECK(adam->state()["parameters"]["w"]["step"] == 3);
  CHECK(adam->state()["parameters"]["w"]["exp_avg"]["rows"] == 3);
}

TEST_CASE("optimizer configs fill in torch's defaults and round trip") {
  const json adam = make_optimizer<float>({{"type", "adam"}})->config();
  CHECK(adam["lr"] == 1e-3);
  CHECK(adam["beta1"] == 0.9);
  CHECK(adam["beta2"] == 0.999);
  CHECK(adam["eps"] == 1e-8);
  CHECK(adam["epsilon"] == "outside");
  const json rmsprop = make_optimizer<float>({{"type", "rmsprop"}})->config();
  CHECK(rmsprop["lr"] == 0.01);
  CHECK(rmsprop["rho"] == 0.99);
  CHECK(make_optimizer<float>({{"type", "adamw"}})->config()["decoupled"] == true);
  for (const json& run : fixture()["runs"]) {
    const json config = make_optimizer<double>(run["config"])->config();
    CHECK(make_optimizer<double>(config)->config() == config);
  }
}

TEST_CASE("bad optimizer configs and states name the field") {
  auto message = [](const json& config) {
    try {
      make_optimizer<float>(config);
    } catch (const augment::SpecError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message({{"type", "adagrad"}}).find("unknown type 'adagrad'") != std::string::npos);
  CHECK(message({{"lr", 0.1}}).find("\"type\"") != std::string::npos);
  CHECK(message({{"type", "adam"}, {"beta2", 1.0}}) == "optimizer (adam): beta2 must be in [0.0, 1.0), got 1.0");
  CHECK(message({{"type", "sgd"}, {"lr", -1}}).find("lr must be > 0") != std::string::npos);
  CHECK(message({{"type", "sgd"}, {"momentum", 0.9}}).find("unknown key 'momentum'") != std::string::npos);
  CHECK(message({{"type", "rmsprop"}, {"epsilon", "under"}}).find("epsilon must be") != std::string::npos);
  CHECK(message({{"type", "momentum"}, {"convention", "keras"}}).find("convention") != std::string::npos);
  CHECK(message({{"type", "momentum"}, {"dampening", 0.1}, {"convention", "course"}}).find("dampening") !=
        std::string::npos);
  CHECK(message({{"type", "adam"}, {"amsgrad", 1}}).find("amsgrad must be true or false") != std::string::npos);

  auto adam = make_optimizer<float>({{"type", "adam"}});
  CHECK_THROWS_AS(adam->set_state({{"type", "sgd"}, {"parameters", json::object()}}), augment::DataError);
  json state = {{"type", "adam"}, {"parameters", {{"w", {{"step", 1}}}}}};
  CHECK_THROWS_AS(adam->set_state(state), augment::DataError);  // buffers missing
  // A restored buffer of another shape is refused at the step, naming the parameter.
  auto other = make_optimizer<float>({{"type", "adam"}});
  auto ps = initial_parameters<float>();
  run_steps(*other, ps, 0, 1, 1e-3);
  state = other->state();
  std::swap(state["parameters"]["w"], state["parameters"]["b"]);
  adam->set_state(state);
  CHECK_THROWS_AS(run_steps(*adam, ps, 1, 2, 1e-3), augment::UsageError);
}
