// Fitting: each fittable stage learns from the data as the stages before it leave it.
#include <tbb/task_arena.h>

#include <functional>
#include <optional>

#include "augment/core/error.hpp"
#include "augment/core/ordered_blocks.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/core/registry.hpp"
#include "pipeline_nodes.hpp"

namespace augment {
namespace {

using detail::Node;
using detail::SequenceNode;
using detail::StageNode;

// A fitted stage anywhere below a choice (or a skippable sequence) would see part of the data.
void reject_fitted_inside(const Node& node, const std::string& where) {
  if (const auto* stage = dynamic_cast<const StageNode*>(&node)) {
    if (stage->transform->needs_fit())
      throw SpecError(stage->label() + ": a fitted stage cannot sit inside " + where +
                      "; put it in the main sequence");
  } else {
    for (const auto& c : static_cast<const detail::GroupNode&>(node).children)
      reject_fitted_inside(*c, where);
  }
}

// Fittable stages in the order data reaches them. Only plain sequences are walked: a stage
// inside a choice, or one that may be skipped, would see only part of the data, so when
// `fitting` such a placement is an error.
void collect_fittable(const SequenceNode& seq, std::vector<const StageNode*>& out, bool fitting) {
  for (const auto& child : seq.children) {
    if (const auto* stage = dynamic_cast<const StageNode*>(child.get())) {
      if (!stage->transform->needs_fit()) continue;
      if (fitting && stage->p < 1.0)
        throw SpecError(stage->label() + ": a fitted stage cannot have p < 1");
      out.push_back(stage);
    } else if (const auto* nested = dynamic_cast<const SequenceNode*>(child.get());
               nested && (nested->p >= 1.0 || !fitting)) {
      collect_fittable(*nested, out, fitting);
    } else if (fitting) {
      reject_fitted_inside(*child, child->label());
    }
  }
}

// Applies the deterministic preprocessing that comes before `target` (all of it when `target`
// is null), appending each node's record to `records`; returns true once `target` is reached.
// Random stages, choices and skippable nodes are augmentation: skipped (recorded as null).
bool preprocess_until(const SequenceNode& seq, const StageNode* target, Sample& sample, nlohmann::json& records,
                      std::size_t first_child = 0) {
  static const Rng kUnused(0);  // deterministic stages draw nothing
  for (std::size_t i = 0; i < seq.children.size(); ++i) {
    const auto& child = seq.children[i];
    if (child.get() == target) return true;
    if (i < first_child) {  // applied already
      records.push_back(nullptr);
      continue;
    }
    nlohmann::json record = nullptr;
    bool reached = false;
    if (child->p >= 1.0) {
      if (const auto* stage = dynamic_cast<const StageNode*>(child.get())) {
        if (!stage->transform->is_random()) record = stage->run(sample, kUnused);
      } else if (const auto* nested = dynamic_cast<const SequenceNode*>(child.get())) {
        nlohmann::json inner = nlohmann::json::array();
        reached = preprocess_until(*nested, target, sample, inner);
        record = {{"sequence", std::move(inner)}};
      }
    }
    records.push_back(std::move(record));
    if (reached) return true;
  }
  return false;
}

}  // namespace

nlohmann::json Pipeline::preprocess(Sample& sample) const { return preprocess_from(sample, 0); }

nlohmann::json Pipeline::preprocess_from(Sample& sample, std::size_t first_stage) const {
  nlohmann::json records = nlohmann::json::array();
  preprocess_until(*root_, nullptr, sample, records, first_stage);
  return records;
}

std::vector<std::string> Pipeline::unfitted_stages() const {
  std::vector<const StageNode*> stages;
  collect_fittable(*root_, stages, false);
  std::vector<std::string> out;
  for (const auto* s : stages)
    if (!s->transform->is_fitted()) out.push_back(s->label());
  return out;
}

void Pipeline::fit(const OpenSampleBlocks& open) {
  std::vector<const StageNode*> targets;
  collect_fittable(*root_, targets, true);
  // As many workers as the arena the caller runs us in (the CLI's --jobs).
  const auto jobs = static_cast<std::size_t>(tbb::this_task_arena::max_concurrency());

  for (const StageNode* target : targets) {
    SampleBlockReader read = open();
    std::unique_ptr<Fitter> total = target->transform->make_fitter();
    using Block = std::vector<Sample>;
    using Part = std::shared_ptr<Fitter>;
    run_ordered_blocks<Block, Part>(
        jobs,
        [&]() -> std::optional<Block> {
          Block block;
          if (!read(block)) return std::nullopt;
          return block;
        },
        [&](Block& block) -> Part {
          Part part = target->transform->make_fitter();
          for (Sample& sample : block) {
            nlohmann::json unused = nlohmann::json::array();
            preprocess_until(*root_, target, sample, unused);
            part->add(sample);
          }
          return part;
        },
        // Merged in block order, so the state does not depend on the thread count.
        [&](Part& part) { total->merge(*part); });
    try {
      target->transform->set_state(total->state());
    } catch (const std::invalid_argument& e) {
      throw DataError(target->label() + ": cannot fit: " + e.what());
    }
  }
}

}  // namespace augment
