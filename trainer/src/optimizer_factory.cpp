// make_optimizer: the JSON config of an optimizer to its object. Field types and unknown keys
// are checked here, value ranges by each optimizer's constructor; both throw SpecError naming
// the field, e.g. "optimizer (adam): beta2 must be in [0, 1), got 1.0".
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "augment/core/error.hpp"
#include "augment/trainer/adam.hpp"
#include "augment/trainer/momentum.hpp"
#include "augment/trainer/nesterov.hpp"
#include "augment/trainer/optimizer.hpp"
#include "augment/trainer/rmsprop.hpp"
#include "augment/trainer/sgd.hpp"

namespace augment::trainer {

namespace {

class Fields {
 public:
  Fields(const nlohmann::json& config, std::string label, const std::set<std::string>& known)
      : config_(config), label_(std::move(label)) {
    for (const auto& [key, value] : config.items()) {
      if (known.count(key) == 0) {
        std::string list;
        for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
        throw SpecError(label_ + ": unknown key '" + key + "' (known: " + list + ")");
      }
    }
  }

  double number(const char* key, double fallback) const {
    if (!config_.contains(key)) return fallback;
    if (!config_[key].is_number()) throw bad(key, "a number");
    return config_[key].get<double>();
  }

  bool boolean(const char* key, bool fallback) const {
    if (!config_.contains(key)) return fallback;
    if (!config_[key].is_boolean()) throw bad(key, "true or false");
    return config_[key].get<bool>();
  }

  MomentumConvention convention(MomentumConvention fallback) const {
    if (!config_.contains("convention")) return fallback;
    if (config_["convention"] == "pytorch") return MomentumConvention::pytorch;
    if (config_["convention"] == "course") return MomentumConvention::course;
    throw bad("convention", "\"pytorch\" or \"course\"");
  }

  EpsilonPlacement epsilon(EpsilonPlacement fallback) const {
    if (!config_.contains("epsilon")) return fallback;
    if (config_["epsilon"] == "outside") return EpsilonPlacement::outside;
    if (config_["epsilon"] == "inside") return EpsilonPlacement::inside;
    throw bad("epsilon", "\"outside\" or \"inside\"");
  }

 private:
  SpecError bad(const char* key, const char* expected) const {
    return SpecError(label_ + ": " + key + " must be " + expected + ", got " + config_[key].dump());
  }

  const nlohmann::json& config_;
  std::string label_;
};

}  // namespace

template <class T>
std::unique_ptr<Optimizer<T>> make_optimizer(const nlohmann::json& config) {
  if (!config.is_object() || !config.contains("type") || !config["type"].is_string()) {
    throw SpecError("optimizer: expected an object with a \"type\" (sgd, momentum, nesterov, rmsprop, "
                    "adam, adamw), got " + config.dump());
  }
  const std::string type = config["type"].get<std::string>();
  const std::string label = "optimizer (" + type + ")";
  if (type == "sgd") {
    const Fields f(config, label, {"type", "lr", "weight_decay"});
    SgdOptions o;
    o.lr = f.number("lr", o.lr);
    o.weight_decay = f.number("weight_decay", o.weight_decay);
    return std::make_unique<Sgd<T>>(o);
  }
  if (type == "momentum") {
    const Fields f(config, label, {"type", "lr", "momentum", "dampening", "weight_decay", "convention"});
    MomentumOptions o;
    o.lr = f.number("lr", o.lr);
    o.momentum = f.number("momentum", o.momentum);
    o.dampening = f.number("dampening", o.dampening);
    o.weight_decay = f.number("weight_decay", o.weight_decay);
    o.convention = f.convention(o.convention);
    return std::make_unique<Momentum<T>>(o);
  }
  if (type == "nesterov") {
    const Fields f(config, label, {"type", "lr", "momentum", "weight_decay", "convention"});
    NesterovOptions o;
    o.lr = f.number("lr", o.lr);
    o.momentum = f.number("momentum", o.momentum);
    o.weight_decay = f.number("weight_decay", o.weight_decay);
    o.convention = f.convention(o.convention);
    return std::make_unique<Nesterov<T>>(o);
  }
  if (type == "rmsprop") {
    const Fields f(config, label,
                   {"type", "lr", "rho", "eps", "epsilon", "momentum", "centered", "weight_decay"});
    RmspropOptions o;
    o.lr = f.number("lr", o.lr);
    o.rho = f.number("rho", o.rho);
    o.eps = f.number("eps", o.eps);
    o.epsilon = f.epsilon(o.epsilon);
    o.momentum = f.number("momentum", o.momentum);
    o.centered = f.boolean("centered", o.centered);
    o.weight_decay = f.number("weight_decay", o.weight_decay);
    return std::make_unique<Rmsprop<T>>(o);
  }
  if (type == "adam" || type == "adamw") {
    const Fields f(config, label, {"type", "lr", "beta1", "beta2", "eps", "epsilon", "weight_decay",
                                   "decoupled", "amsgrad"});
    AdamOptions o;
    o.lr = f.number("lr", o.lr);
    o.beta1 = f.number("beta1", o.beta1);
    o.beta2 = f.number("beta2", o.beta2);
    o.eps = f.number("eps", o.eps);
    o.epsilon = f.epsilon(o.epsilon);
    o.weight_decay = f.number("weight_decay", type == "adamw" ? 0.01 : o.weight_decay);
    o.decoupled = f.boolean("decoupled", type == "adamw");
    if (type == "adamw" && !o.decoupled) {
      throw SpecError(label + ": decoupled must be true for adamw (use \"adam\" for coupled decay)");
    }
    o.amsgrad = f.boolean("amsgrad", o.amsgrad);
    return std::make_unique<Adam<T>>(o);
  }
  throw SpecError("optimizer: unknown type '" + type + "' (known: sgd, momentum, nesterov, rmsprop, adam, adamw)");
}

template std::unique_ptr<Optimizer<float>> make_optimizer<float>(const nlohmann::json&);
template std::unique_ptr<Optimizer<double>> make_optimizer<double>(const nlohmann::json&);

}  // namespace augment::trainer
