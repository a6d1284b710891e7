#pragma once
// The pipeline's tree. Private to core: users see Pipeline and JSON specs and records.
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "augment/core/kind.hpp"
#include "augment/core/rng.hpp"
#include "augment/core/sample.hpp"
#include "augment/core/transform.hpp"

namespace augment::detail {

struct Node {
  virtual ~Node() = default;
  std::string path;          // "stage 2.1"
  std::uint64_t stream = 0;  // preorder index: names this node's RNG stream
  double p = 1.0;
  Kind input = Kind::features;
  Kind output = Kind::features;

  /// "stage 2.1 (rescale)"
  virtual std::string label() const = 0;
  /// Draws and applies, returns the record; a node skipped by `p` records null.
  nlohmann::json run(Sample& sample, const Rng& sample_rng) const;
  void replay(Sample& sample, const nlohmann::json& record) const;
  nlohmann::json to_spec() const;

 protected:
  virtual nlohmann::json run_body(Sample& sample, Rng& own, const Rng& sample_rng) const = 0;
  virtual void replay_body(Sample& sample, const nlohmann::json& record) const = 0;
  virtual nlohmann::json spec_body() const = 0;
  [[noreturn]] void record_mismatch(const nlohmann::json& record) const;
};

struct StageNode final : Node {
  std::unique_ptr<Transform> transform;
  std::string label() const override;

 protected:
  nlohmann::json run_body(Sample& sample, Rng& own, const Rng& sample_rng) const override;
  void replay_body(Sample& sample, const nlohmann::json& record) const override;
  nlohmann::json spec_body() const override;

 private:
  void apply_checked(Sample& sample, const nlohmann::json& params) const;
};

struct GroupNode : Node {
  std::vector<std::unique_ptr<Node>> children;
};

struct SequenceNode final : GroupNode {
  std::string label() const override { return path + " (sequence)"; }
  /// The records of the children, in order.
  nlohmann::json run_children(Sample& sample, const Rng& sample_rng) const;
  void replay_children(Sample& sample, const nlohmann::json& records) const;

 protected:
  nlohmann::json run_body(Sample& sample, Rng& own, const Rng& sample_rng) const override;
  void replay_body(Sample& sample, const nlohmann::json& record) const override;
  nlohmann::json spec_body() const override;
};

struct OneOfNode final : GroupNode {
  std::vector<double> weights;  // as given; drawn in proportion
  std::string label() const override { return path + " (one_of)"; }

 protected:
  nlohmann::json run_body(Sample& sample, Rng& own, const Rng& sample_rng) const override;
  void replay_body(Sample& sample, const nlohmann::json& record) const override;
  nlohmann::json spec_body() const override;
};

struct SomeOfNode final : GroupNode {
  nlohmann::json n;  // an integer, or [lo, hi] drawn per sample
  bool random_order = false;
  std::string label() const override { return path + " (some_of)"; }

 protected:
  nlohmann::json run_body(Sample& sample, Rng& own, const Rng& sample_rng) const override;
  void replay_body(Sample& sample, const nlohmann::json& record) const override;
  nlohmann::json spec_body() const override;
};

}  // namespace augment::detail
