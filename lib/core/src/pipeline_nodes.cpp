#include "pipeline_nodes.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "augment/core/error.hpp"
#include "augment/core/param_spec.hpp"
#include "augment/core/registry.hpp"

namespace augment::detail {

nlohmann::json Node::run(Sample& sample, const Rng& sample_rng) const {
  Rng own = sample_rng.fork(stream);
  if (p < 1.0 && !own.bernoulli(p)) return nullptr;
  return run_body(sample, own, sample_rng);
}

void Node::replay(Sample& sample, const nlohmann::json& record) const {
  if (record.is_null()) return;  // skipped by p when recorded
  replay_body(sample, record);
}

nlohmann::json Node::to_spec() const {
  nlohmann::json spec = spec_body();
  if (p < 1.0) spec["p"] = p;
  return spec;
}

void Node::record_mismatch(const nlohmann::json& record) const {
  throw UsageError(label() + ": the record does not fit this pipeline: " + record.dump());
}

// --- stage ---

std::string StageNode::label() const { return path + " (" + transform->info().name + ")"; }

void StageNode::apply_checked(Sample& sample, const nlohmann::json& params) const {
  if (!transform->is_fitted())
    throw UsageError(label() + ": not fitted; run `augment fit` first or give its state");
  if (sample.kind() != input)
    throw UsageError(label() + ": takes " + std::string(to_string(input)) + ", got a " +
                     std::string(to_string(sample.kind())) + " sample");
  try {
    transform->apply(sample, params);
  } catch (const UsageError& e) {
    throw UsageError(label() + ": " + e.what());
  } catch (const DataError& e) {
    throw DataError(label() + ": " + e.what());
  }
}

nlohmann::json StageNode::run_body(Sample& sample, Rng& own, const Rng&) const {
  nlohmann::json params = transform->draw(own, sample);
  apply_checked(sample, params);
  nlohmann::json record = {{"op", transform->info().name}};
  if (!params.empty()) record["params"] = std::move(params);
  return record;
}

void StageNode::replay_body(Sample& sample, const nlohmann::json& record) const {
  if (!record.is_object() || record.value("op", "") != transform->info().name) record_mismatch(record);
  apply_checked(sample, record.value("params", nlohmann::json::object()));
}

nlohmann::json StageNode::spec_body() const {
  nlohmann::json spec = {{"op", transform->info().name}};
  for (const auto& [key, value] : transform->settings().items())
    if (!value.is_null()) spec[key] = value;
  if (nlohmann::json state = transform->state(); !state.is_null()) spec["state"] = std::move(state);
  return spec;
}

// --- sequence ---

nlohmann::json SequenceNode::run_children(Sample& sample, const Rng& sample_rng) const {
  nlohmann::json records = nlohmann::json::array();
  for (const auto& child : children) records.push_back(child->run(sample, sample_rng));
  return records;
}

void SequenceNode::replay_children(Sample& sample, const nlohmann::json& records) const {
  if (!records.is_array() || records.size() != children.size()) record_mismatch(records);
  for (std::size_t i = 0; i < children.size(); ++i) children[i]->replay(sample, records[i]);
}

nlohmann::json SequenceNode::run_body(Sample& sample, Rng&, const Rng& sample_rng) const {
  return {{"sequence", run_children(sample, sample_rng)}};
}

void SequenceNode::replay_body(Sample& sample, const nlohmann::json& record) const {
  if (!record.is_object() || !record.contains("sequence")) record_mismatch(record);
  replay_children(sample, record["sequence"]);
}

namespace {
nlohmann::json specs_of(const std::vector<std::unique_ptr<Node>>& children) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& child : children) out.push_back(child->to_spec());
  return out;
}
}  // namespace

nlohmann::json SequenceNode::spec_body() const { return {{"sequence", specs_of(children)}}; }

// --- one_of ---

nlohmann::json OneOfNode::run_body(Sample& sample, Rng& own, const Rng& sample_rng) const {
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  const double target = own.uniform() * total;
  std::size_t chosen = 0;
  double cumulative = 0.0;
  for (; chosen + 1 < weights.size(); ++chosen) {
    cumulative += weights[chosen];
    if (target < cumulative) break;
  }
  while (weights[chosen] == 0.0) --chosen;  // rounding at the top end never picks a 0-weight tail
  return {{"one_of", chosen}, {"then", children[chosen]->run(sample, sample_rng)}};
}

void OneOfNode::replay_body(Sample& sample, const nlohmann::json& record) const {
  if (!record.is_object() || !record.contains("one_of") || !record["one_of"].is_number_unsigned() ||
      record["one_of"].get<std::size_t>() >= children.size() || !record.contains("then"))
    record_mismatch(record);
  children[record["one_of"].get<std::size_t>()]->replay(sample, record["then"]);
}

nlohmann::json OneOfNode::spec_body() const {
  return {{"one_of", specs_of(children)}, {"weights", weights}};
}

// --- some_of ---

nlohmann::json SomeOfNode::run_body(Sample& sample, Rng& own, const Rng& sample_rng) const {
  const auto count = static_cast<std::size_t>(draw_integer(n, own));
  // Partial Fisher-Yates: the first `count` entries become a uniform draw without replacement.
  std::vector<std::size_t> order(children.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  for (std::size_t i = 0; i < count; ++i) std::swap(order[i], order[i + own.index(order.size() - i)]);
  order.resize(count);
  if (!random_order) std::sort(order.begin(), order.end());
  nlohmann::json records = nlohmann::json::array();
  for (std::size_t i : order) records.push_back(children[i]->run(sample, sample_rng));
  return {{"some_of", order}, {"then", records}};
}

void SomeOfNode::replay_body(Sample& sample, const nlohmann::json& record) const {
  if (!record.is_object() || !record.contains("some_of") || !record["some_of"].is_array() ||
      !record.contains("then") || !record["then"].is_array() ||
      record["then"].size() != record["some_of"].size())
    record_mismatch(record);
  const auto& chosen = record["some_of"];
  for (std::size_t k = 0; k < chosen.size(); ++k) {
    if (!chosen[k].is_number_unsigned() || chosen[k].get<std::size_t>() >= children.size())
      record_mismatch(record);
    children[chosen[k].get<std::size_t>()]->replay(sample, record["then"][k]);
  }
}

nlohmann::json SomeOfNode::spec_body() const {
  return {{"some_of", specs_of(children)}, {"n", n}, {"random_order", random_order}};
}

}  // namespace augment::detail
