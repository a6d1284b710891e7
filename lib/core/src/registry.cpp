#include "augment/core/registry.hpp"

#include <algorithm>
#include <stdexcept>

#include "augment/core/closest_names.hpp"

namespace augment {

bool Transform::is_random() const { return info().random; }

void Transform::set_state(const nlohmann::json& state) {
  if (!state.is_null()) throw std::invalid_argument("this op has no fitted state");
}

const ParamSpec* OpInfo::find_param(std::string_view param) const {
  for (const auto& p : params)
    if (p.name == param) return &p;
  return nullptr;
}

nlohmann::json OpInfo::resolve(const nlohmann::json& given) const {
  nlohmann::json settings = nlohmann::json::object();
  for (const auto& [key, value] : given.items()) {
    const ParamSpec* spec = find_param(key);
    if (!spec) {
      std::string known;
      std::vector<std::string> names;
      for (const auto& p : params) {
        known += (known.empty() ? "" : ", ") + p.name;
        names.push_back(p.name);
      }
      const std::string hint = did_you_mean(key, names);
      throw std::invalid_argument("unknown parameter '" + key + "'" +
                                  (known.empty() ? " (it takes none)"
                                                 : " (" + (hint.empty() ? "" : hint + "; ") + "known: " + known + ")"));
    }
    settings[key] = spec->validate(value);
  }
  for (const auto& p : params) {
    if (settings.contains(p.name)) continue;
    if (p.required) throw std::invalid_argument(p.name + " is required");
    settings[p.name] = p.default_value;
  }
  if (check) check(settings);
  return settings;
}

nlohmann::json OpInfo::describe() const {
  nlohmann::json ps = nlohmann::json::array();
  for (const auto& p : params) ps.push_back(p.describe());
  nlohmann::json out = {{"name", name},   {"input", to_string(input)}, {"output", to_string(output)},
                        {"doc", doc},     {"random", random},          {"fittable", fittable},
                        {"params", ps}};
  if (lifted_from) out["lifted_from"] = to_string(*lifted_from);
  return out;
}

Registry make_registry(std::initializer_list<void (*)(Registry&)> modules) {
  Registry registry;
  for (auto add_module : modules) add_module(registry);
  return registry;
}

void Registry::add(OpInfo info) {
  if (!info.create) throw std::logic_error("op " + info.name + " has no create function");
  if (find(info.name, info.input))
    throw std::logic_error("op " + info.name + " taking " + std::string(to_string(info.input)) + " is registered twice");
  // Pipeline nodes own these keys ("p": the chance a stage runs), so a parameter of that name
  // could never be set from a spec.
  for (const ParamSpec& param : info.params)
    if (param.name == "p" || param.name == "op")
      throw std::logic_error("op " + info.name + " declares parameter '" + param.name + "', a name pipeline specs reserve");
  std::string name = info.name;
  // Within a name, keep kinds in enum order so listings are stable.
  auto at = ops_.upper_bound(name);
  for (auto [lo, hi] = ops_.equal_range(name); lo != hi; ++lo)
    if (lo->second->input > info.input) {
      at = lo;
      break;
    }
  ops_.emplace_hint(at, std::move(name), std::make_unique<OpInfo>(std::move(info)));
}

const OpInfo* Registry::find(std::string_view name, Kind kind) const {
  for (auto [lo, hi] = ops_.equal_range(name); lo != hi; ++lo)
    if (lo->second->input == kind) return lo->second.get();
  return nullptr;
}

const OpInfo* Registry::find(std::string_view name) const {
  const auto it = ops_.find(name);
  return it == ops_.end() ? nullptr : it->second.get();
}

std::vector<const OpInfo*> Registry::ops(std::optional<Kind> kind) const {
  std::vector<const OpInfo*> out;
  for (const auto& [name, info] : ops_)
    if (!kind || info->input == *kind) out.push_back(info.get());
  return out;
}

std::vector<std::string> Registry::suggest(std::string_view name) const {
  std::vector<std::string> names;
  for (const auto& [candidate, info] : ops_) names.push_back(candidate);
  return closest_names(name, names);
}

void Registry::add_codec(std::shared_ptr<const SampleCodec> codec) {
  for (const auto& ext : codec->extensions())
    if (codec_for(codec->kind(), ext))
      throw std::logic_error("two codecs of kind " + std::string(to_string(codec->kind())) + " read " + ext);
  codecs_.push_back(std::move(codec));
}

void Registry::replace_codec(std::shared_ptr<const SampleCodec> codec) {
  std::erase_if(codecs_, [&](const std::shared_ptr<const SampleCodec>& old) {
    if (old->kind() != codec->kind()) return false;
    for (const auto& ext : codec->extensions())
      for (const auto& old_ext : old->extensions())
        if (old_ext == ext) return true;
    return false;
  });
  codecs_.push_back(std::move(codec));
}

const SampleCodec* Registry::codec_for(Kind kind, std::string_view extension) const {
  for (const auto& codec : codecs_) {
    if (codec->kind() != kind) continue;
    for (const auto& ext : codec->extensions())
      if (ext == extension) return codec.get();
  }
  return nullptr;
}

std::vector<const SampleCodec*> Registry::codecs(Kind kind) const {
  std::vector<const SampleCodec*> out;
  for (const auto& codec : codecs_)
    if (codec->kind() == kind) out.push_back(codec.get());
  return out;
}

}  // namespace augment
