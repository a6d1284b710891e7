#pragma once
// Small ops for testing the core pipeline machinery without any media module.
#include <string>
#include <vector>

#include "augment/core/registry.hpp"

namespace test_ops {

using Row = std::vector<double>;

inline augment::Sample row(Row values) { return augment::Sample(augment::Kind::features, std::move(values)); }

// add: x + value (deterministic)
struct Add final : augment::Transform {
  using Transform::Transform;
  void apply(augment::Sample& s, const nlohmann::json&) const override {
    for (double& x : s.as<Row>()) x += settings()["value"].get<double>();
  }
};

// jitter: x + delta, delta drawn from [-amount, amount) once per sample (random)
struct Jitter final : augment::Transform {
  using Transform::Transform;
  nlohmann::json draw(augment::Rng& rng, const augment::Sample&) const override {
    const double a = augment::draw_number(settings()["amount"], rng);
    return {{"delta", rng.uniform(-a, a)}};
  }
  void apply(augment::Sample& s, const nlohmann::json& p) const override {
    for (double& x : s.as<Row>()) x += p["delta"].get<double>();
  }
};

// center: x - mean, the mean learned per element by fit
struct Center final : augment::Transform {
  using Transform::Transform;
  Row mean;
  struct Sum final : augment::Fitter {
    Row sum;
    double n = 0;
    void add(const augment::Sample& s) override {
      const Row& r = s.as<Row>();
      if (sum.empty()) sum.assign(r.size(), 0.0);
      for (std::size_t i = 0; i < r.size(); ++i) sum[i] += r[i];
      ++n;
    }
    void merge(const augment::Fitter& o) override {
      const auto& other = dynamic_cast<const Sum&>(o);
      if (sum.empty()) sum.assign(other.sum.size(), 0.0);
      for (std::size_t i = 0; i < other.sum.size(); ++i) sum[i] += other.sum[i];
      n += other.n;
    }
    nlohmann::json state() const override {
      if (n == 0) throw std::invalid_argument("no rows to fit on");
      Row m = sum;
      for (double& x : m) x /= n;
      return {{"mean", m}};
    }
  };
  bool needs_fit() const override { return true; }
  bool is_fitted() const override { return !mean.empty(); }
  std::unique_ptr<augment::Fitter> make_fitter() const override { return std::make_unique<Sum>(); }
  nlohmann::json state() const override { return mean.empty() ? nlohmann::json(nullptr) : nlohmann::json{{"mean", mean}}; }
  void set_state(const nlohmann::json& st) override {
    if (!st.contains("mean") || !st["mean"].is_array()) throw std::invalid_argument("state needs a list \"mean\"");
    mean = st["mean"].get<Row>();
  }
  void apply(augment::Sample& s, const nlohmann::json&) const override {
    Row& r = s.as<Row>();
    if (r.size() != mean.size()) throw augment::UsageError("width mismatch");
    for (std::size_t i = 0; i < r.size(); ++i) r[i] -= mean[i];
  }
};

// identity: changes nothing (for parameter validation tests)
struct Identity final : augment::Transform {
  using Transform::Transform;
  void apply(augment::Sample&, const nlohmann::json&) const override {}
};

// to_text: features -> text (kind-changing)
struct ToText final : augment::Transform {
  using Transform::Transform;
  void apply(augment::Sample& s, const nlohmann::json&) const override {
    std::string text;
    for (double x : s.as<Row>()) text += std::to_string(x) + " ";
    s = augment::Sample(augment::Kind::text, text);
  }
};

inline augment::Registry registry() {
  using augment::Kind;
  using augment::ParamType;
  augment::Registry r;
  r.add({.name = "add", .doc = "add a constant",
         .params = {{.name = "value", .default_value = 1.0, .minimum = -100.0, .maximum = 100.0, .doc = "what to add"}},
         .create = augment::make_transform<Add>});
  r.add({.name = "jitter", .doc = "add a random constant",
         .params = {{.name = "amount", .default_value = 1.0, .drawable = true, .minimum = 0.0, .doc = "half-width"}},
         .random = true, .create = augment::make_transform<Jitter>});
  r.add({.name = "center", .doc = "subtract the fitted mean", .fittable = true,
         .create = augment::make_transform<Center>});
  r.add({.name = "to_text", .output = Kind::text, .doc = "print as text", .create = augment::make_transform<ToText>});
  r.add({.name = "count", .doc = "integer and string params",
         .params = {{.name = "times", .type = ParamType::integer, .default_value = 2, .drawable = true,
                     .minimum = 0, .maximum = 10, .doc = "how many"},
                    {.name = "mode", .type = ParamType::string, .default_value = "fast", .choices = {"fast", "slow"},
                     .doc = "how"},
                    {.name = "flag", .type = ParamType::boolean, .default_value = false, .doc = "a switch"},
                    {.name = "weights", .type = ParamType::number_list, .minimum = 0.0, .doc = "per column"}},
         .create = augment::make_transform<Add>});
  return r;
}

}  // namespace test_ops
