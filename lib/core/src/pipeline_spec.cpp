// Building a pipeline from its JSON spec, and writing it back.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "augment/core/atomic_file.hpp"
#include "augment/core/closest_names.hpp"
#include "augment/core/error.hpp"
#include "augment/core/json_text.hpp"
#include "augment/core/number_text.hpp"
#include "augment/core/pipeline.hpp"
#include "pipeline_nodes.hpp"

namespace augment {
namespace {

using nlohmann::json;
using detail::GroupNode;
using detail::Node;

const char* const kTopLevelKeys[] = {"kind", "stages", "name", "description", "columns"};

std::string kind_name(Kind k) { return std::string(to_string(k)); }

class Builder {
 public:
  explicit Builder(const Registry& registry) : registry_(registry) {}

  // `incoming` is the kind the node receives; it picks among ops that share a name.
  std::unique_ptr<Node> node(const json& spec, const std::string& path, Kind incoming) {
    if (!spec.is_object())
      throw SpecError(path + ": expected an object with \"op\", \"one_of\", \"some_of\" or "
                             "\"sequence\", got " + spec.dump());
    const std::uint64_t stream = next_stream_++;
    std::unique_ptr<Node> built;
    int forms = 0;
    for (const char* key : {"op", "one_of", "some_of", "sequence"}) forms += spec.contains(key);
    if (forms != 1)
      throw SpecError(path + ": a stage needs exactly one of \"op\", \"one_of\", \"some_of\", "
                             "\"sequence\"; got " + spec.dump());
    if (spec.contains("op")) built = stage(spec, path, incoming);
    else if (spec.contains("one_of")) built = one_of(spec, path, incoming);
    else if (spec.contains("some_of")) built = some_of(spec, path, incoming);
    else built = sequence(spec["sequence"], path, spec, incoming);
    built->stream = stream;
    return built;
  }

  std::unique_ptr<detail::SequenceNode> top_level(const json& stages, Kind kind) {
    auto root = std::make_unique<detail::SequenceNode>();
    root->path = "pipeline";
    root->stream = next_stream_++;
    if (!stages.is_array()) throw SpecError("pipeline: \"stages\" must be a list, got " + stages.dump());
    Kind current = kind;
    for (std::size_t i = 0; i < stages.size(); ++i) {
      root->children.push_back(node(stages[i], "stage " + std::to_string(i), current));
      current = root->children.back()->output;
    }
    chain(*root, kind, "the pipeline's input kind");
    return root;
  }

 private:
  static double probability(const json& spec, const std::string& label) {
    if (!spec.contains("p")) return 1.0;
    const json& p = spec["p"];
    if (!p.is_number() || !(p.get<double>() >= 0.0 && p.get<double>() <= 1.0))
      throw SpecError(label + ": p must be a number in [0, 1], got " + p.dump());
    return p.get<double>();
  }

  static void reject_unknown(const json& spec, std::initializer_list<const char*> known,
                             const std::string& label) {
    for (const auto& [key, value] : spec.items()) {
      bool ok = false;
      for (const char* k : known) ok = ok || key == k;
      if (!ok) {
        std::string list;
        for (const char* k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        const std::string hint = did_you_mean(key, std::vector<std::string>(known.begin(), known.end()));
        throw SpecError(label + ": unknown key '" + key + "' (" + (hint.empty() ? "" : hint + "; ") + "known: " + list + ")");
      }
    }
  }

  std::unique_ptr<Node> stage(const json& spec, const std::string& path, Kind incoming) {
    if (!spec["op"].is_string()) throw SpecError(path + ": \"op\" must be a string, got " + spec["op"].dump());
    const std::string op = spec["op"].get<std::string>();
    // An op that exists only for another kind is still built, so that chain() can say which
    // kind it takes and which it receives.
    const OpInfo* info = registry_.find(op, incoming);
    if (!info) info = registry_.find(op);
    if (!info) {
      std::string hint;
      for (const auto& s : registry_.suggest(op)) hint += (hint.empty() ? " (did you mean '" : " or '") + s + "'";
      throw SpecError(path + ": unknown op '" + op + "'" + (hint.empty() ? "" : hint + "?)") +
                      "; `augment list` shows them all");
    }
    auto built = std::make_unique<detail::StageNode>();
    built->path = path;
    const std::string label = path + " (" + op + ")";
    built->p = probability(spec, label);
    built->input = info->input;
    built->output = info->output;
    json given = spec;
    given.erase("op");
    given.erase("p");
    json state = given.contains("state") ? given["state"] : json(nullptr);
    given.erase("state");
    try {
      built->transform = info->create(*info, info->resolve(given));
    } catch (const std::invalid_argument& e) {
      throw SpecError(label + ": " + e.what());
    }
    if (!state.is_null()) {
      if (!info->fittable) throw SpecError(label + ": has no fitted state, but \"state\" is given");
      try {
        built->transform->set_state(state);
      } catch (const std::exception& e) {
        throw SpecError(label + ": bad state: " + e.what());
      }
    }
    return built;
  }

  // Choices all receive `incoming`; a sequence's children receive what the one before gives.
  void children(GroupNode& group, const json& list, const std::string& path, const char* key, Kind incoming,
                bool chained) {
    if (!list.is_array() || list.empty())
      throw SpecError(path + " (" + key + "): expected a non-empty list of stages, got " + list.dump());
    Kind current = incoming;
    for (std::size_t i = 0; i < list.size(); ++i) {
      group.children.push_back(node(list[i], path + "." + std::to_string(i), current));
      if (chained) current = group.children.back()->output;
    }
  }

  std::unique_ptr<Node> sequence(const json& list, const std::string& path, const json& spec, Kind incoming) {
    auto built = std::make_unique<detail::SequenceNode>();
    built->path = path;
    reject_unknown(spec, {"sequence", "p"}, built->label());
    built->p = probability(spec, built->label());
    children(*built, list, path, "sequence", incoming, true);
    chain(*built, built->children.front()->input, "");
    return built;
  }

  std::unique_ptr<Node> one_of(const json& spec, const std::string& path, Kind incoming) {
    auto built = std::make_unique<detail::OneOfNode>();
    built->path = path;
    const std::string label = built->label();
    reject_unknown(spec, {"one_of", "weights", "p"}, label);
    built->p = probability(spec, label);
    children(*built, spec["one_of"], path, "one_of", incoming, false);
    if (spec.contains("weights")) {
      const json& w = spec["weights"];
      if (!w.is_array() || w.size() != built->children.size())
        throw SpecError(label + ": weights must be a list of " + std::to_string(built->children.size()) +
                        " numbers, got " + w.dump());
      double total = 0;
      for (const auto& x : w) {
        if (!x.is_number() || !(x.get<double>() >= 0) || !std::isfinite(x.get<double>()))
          throw SpecError(label + ": weights must be finite numbers >= 0, got " + w.dump());
        built->weights.push_back(x.get<double>());
        total += x.get<double>();
      }
      if (!(total > 0)) throw SpecError(label + ": weights must not all be 0");
    } else {
      built->weights.assign(built->children.size(), 1.0);
    }
    agree(*built, label);
    return built;
  }

  std::unique_ptr<Node> some_of(const json& spec, const std::string& path, Kind incoming) {
    auto built = std::make_unique<detail::SomeOfNode>();
    built->path = path;
    const std::string label = built->label();
    reject_unknown(spec, {"some_of", "n", "random_order", "p"}, label);
    built->p = probability(spec, label);
    children(*built, spec["some_of"], path, "some_of", incoming, false);
    ParamSpec n_spec{.name = "n", .type = ParamType::integer, .drawable = true, .minimum = 0,
                     .maximum = static_cast<double>(built->children.size())};
    try {
      built->n = n_spec.validate(spec.contains("n") ? spec["n"] : json(1));
    } catch (const std::invalid_argument& e) {
      throw SpecError(label + ": " + e.what());
    }
    if (spec.contains("random_order")) {
      if (!spec["random_order"].is_boolean())
        throw SpecError(label + ": random_order must be true or false, got " + spec["random_order"].dump());
      built->random_order = spec["random_order"].get<bool>();
    }
    for (const auto& child : built->children)
      if (child->input != child->output)
        throw SpecError(child->label() + ": some_of choices must keep the kind (" +
                        kind_name(child->input) + " in, " + kind_name(child->output) +
                        " out), since any subset of them may run");
    agree(*built, label);
    return built;
  }

  // Checks that each child takes what the one before gives, and sets the group's kinds.
  static void chain(detail::SequenceNode& seq, Kind input, const std::string& source) {
    Kind current = input;
    std::string from = source;
    for (const auto& child : seq.children) {
      if (child->input != current)
        throw SpecError(child->label() + ": takes " + kind_name(child->input) + ", but receives " +
                        kind_name(current) + (from.empty() ? "" : " (" + from + ")"));
      skippable_keeps_kind(*child);
      current = child->output;
      from = "from " + child->label();
    }
    seq.input = input;
    seq.output = current;
    skippable_keeps_kind(seq);
  }

  // All choices of one_of/some_of take and give the same kinds.
  static void agree(GroupNode& group, const std::string& label) {
    const Node& first = *group.children.front();
    for (const auto& child : group.children)
      if (child->input != first.input || child->output != first.output)
        throw SpecError(child->label() + ": takes " + kind_name(child->input) + " and gives " +
                        kind_name(child->output) + ", but " + first.label() + " takes " +
                        kind_name(first.input) + " and gives " + kind_name(first.output) +
                        "; the choices of " + label + " must agree");
    group.input = first.input;
    group.output = first.output;
    skippable_keeps_kind(group);
  }

  // A node that may be skipped (p < 1) must not change the kind, or what follows would get
  // either kind depending on the draw.
  static void skippable_keeps_kind(const Node& node) {
    if (node.p < 1.0 && node.input != node.output)
      throw SpecError(node.label() + ": p < 1 on a stage that turns " + kind_name(node.input) +
                      " into " + kind_name(node.output) + "; when skipped the kinds would not chain");
  }

  const Registry& registry_;
  std::uint64_t next_stream_ = 0;
};

// Spec files read best with the structure first: kind and names, then each stage's op, its
// parameters, and fitted state and the stage list last. nlohmann::json sorts keys, so order here.
nlohmann::ordered_json readable(const json& value) {
  if (value.is_array()) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& v : value) out.push_back(readable(v));
    return out;
  }
  if (!value.is_object()) return nlohmann::ordered_json(value);
  static const std::vector<std::string> first = {"kind", "name", "description", "columns", "op",
                                                 "one_of", "some_of", "sequence", "weights", "n", "p"};
  static const std::vector<std::string> last = {"state", "stages"};
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& key : first)
    if (value.contains(key)) out[key] = readable(value[key]);
  for (const auto& [key, v] : value.items())
    if (std::find(first.begin(), first.end(), key) == first.end() && std::find(last.begin(), last.end(), key) == last.end())
      out[key] = readable(v);
  for (const auto& key : last)
    if (value.contains(key)) out[key] = readable(value[key]);
  return out;
}

}  // namespace

Pipeline::Pipeline() = default;
Pipeline::Pipeline(Pipeline&&) noexcept = default;
Pipeline& Pipeline::operator=(Pipeline&&) noexcept = default;
Pipeline::~Pipeline() = default;

Pipeline Pipeline::from_json(const json& spec, const Registry& registry) {
  if (!spec.is_object()) throw SpecError("pipeline: expected a JSON object, got " + spec.dump());
  for (const auto& [key, value] : spec.items()) {
    bool known = false;
    for (const char* k : kTopLevelKeys) known = known || key == k;
    if (!known) {
      const std::string hint = did_you_mean(key, std::vector<std::string>(std::begin(kTopLevelKeys), std::end(kTopLevelKeys)));
      throw SpecError("pipeline: unknown key '" + key + "' (" + (hint.empty() ? "" : hint + "; ") +
                      "known: kind, stages, name, description, columns)");
    }
  }
  if (!spec.contains("kind") || !spec["kind"].is_string())
    throw SpecError("pipeline: \"kind\" is required, one of features, image, audio, spectrogram, "
                    "text, tokens, video");
  const auto kind = parse_kind(spec["kind"].get<std::string>());
  if (!kind)
    throw SpecError("pipeline: unknown kind '" + spec["kind"].get<std::string>() +
                    "' (known: features, image, audio, spectrogram, text, tokens, video)");
  Pipeline pipeline;
  pipeline.input_kind_ = *kind;
  pipeline.root_ = Builder(registry).top_level(spec.value("stages", json::array()), *kind);
  pipeline.metadata_ = json::object();
  for (const auto& [key, value] : spec.items())
    if (key != "kind" && key != "stages") pipeline.metadata_[key] = value;
  return pipeline;
}

Pipeline Pipeline::load(const std::filesystem::path& file, const Registry& registry) {
  std::error_code ec;
  // An ifstream opens a folder without complaint and then reads nothing.
  if (std::filesystem::is_directory(file, ec)) throw SpecError(file.string() + ": is a folder, not a pipeline spec");
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw SpecError(file.string() + ": cannot open pipeline spec" +
                    (errno != 0 ? std::string(": ") + std::strerror(errno) : std::string()));
  const json spec = parse_json(in, file.string(), JsonSource::spec);
  try {
    return from_json(spec, registry);
  } catch (const SpecError& e) {
    throw SpecError(file.string() + ": " + e.what());
  }
}

json Pipeline::to_json() const {
  json spec = {{"kind", to_string(input_kind_)}};
  json stages = json::array();
  for (const auto& child : root_->children) stages.push_back(child->to_spec());
  spec["stages"] = std::move(stages);
  for (const auto& [key, value] : metadata_.items()) spec[key] = value;
  return spec;
}

void Pipeline::save(const std::filesystem::path& file) const {
  AtomicOutputFile out(file);
  out.stream() << readable(to_json()).dump(2) << '\n';
  out.commit();
}

Kind Pipeline::input_kind() const { return input_kind_; }
Kind Pipeline::output_kind() const { return root_->output; }

json Pipeline::run(Sample& sample, const Rng& rng) const { return root_->run_children(sample, rng); }

std::size_t Pipeline::deterministic_prefix() const {
  std::size_t count = 0;
  for (const auto& child : root_->children) {
    const auto* stage = dynamic_cast<const detail::StageNode*>(child.get());
    if (!stage || stage->p < 1.0 || stage->transform->is_random()) break;
    ++count;
  }
  return count;
}

void Pipeline::run_prefix(Sample& sample, std::size_t count) const {
  if (count > deterministic_prefix()) throw UsageError("run_prefix: the first " + std::to_string(count) + " stages are not all deterministic");
  static const Rng kUnused(0);  // deterministic stages draw nothing
  for (std::size_t i = 0; i < count; ++i) root_->children[i]->run(sample, kUnused);
}

json Pipeline::run_from(Sample& sample, const Rng& rng, std::size_t first_stage) const {
  json records = json::array();
  for (std::size_t i = 0; i < root_->children.size(); ++i)
    records.push_back(i < first_stage ? json(nullptr) : root_->children[i]->run(sample, rng));
  return records;
}

Kind Pipeline::kind_after(std::size_t count) const {
  return count == 0 ? input_kind_ : root_->children.at(count - 1)->output;
}

void Pipeline::replay(Sample& sample, const json& record) const { root_->replay_children(sample, record); }

}  // namespace augment
