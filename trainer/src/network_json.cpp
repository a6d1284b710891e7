// Network <-> architecture JSON (the format is in network.hpp).
#include <limits>
#include <set>

#include "augment/core/error.hpp"
#include "augment/trainer/network.hpp"
#include "json_fields.hpp"
#include "layer_factory.hpp"
#include "size_checks.hpp"

namespace augment::trainer {
namespace {

/// A stack's output shape. `source` says what feeds the stack, for shape messages; it becomes
/// "<path>.<i> (<type>) output <shape>" after each layer.
template <class T>
Shape build_stack(const nlohmann::json& configs, const std::string& path, Shape shape, std::string& source,
                  std::uint64_t seed, std::vector<std::unique_ptr<Layer<T>>>& layers) {
  if (!configs.is_array()) throw SpecError(path + ": must be a list of layers, got " + configs.dump());
  for (std::size_t i = 0; i < configs.size(); ++i) {
    const std::string prefix = path + "." + std::to_string(i);
    Rng init = Rng(seed).fork(hash_key(prefix));
    layers.push_back(detail::make_layer_at<T>(configs[i], shape, init, prefix, source));
    for (auto* p : layers.back()->parameters()) p->name = prefix + "." + p->name;
    shape = layers.back()->output_shape(shape);
    source = prefix + " (" + layers.back()->type() + ") output " + to_string(shape);
  }
  return shape;
}

/// "input_shape": a list of 1 to 8 positive integers (one sample: [N], [C, L], [C, H, W], a clip's
/// [T, C, H, W], ...); the layers say which ranks they take.
Shape read_input_shape(detail::Fields& top) {
  const auto& v = top.at("input_shape");
  Shape shape;
  if (v.is_array())
    for (const auto& d : v) {
      if (!d.is_number_integer() || d.get<std::int64_t>() < 1 || d.get<std::int64_t>() > (std::int64_t{1} << 31)) break;
      shape.dims.push_back(d.get<std::size_t>());
    }
  if (!v.is_array() || v.empty() || v.size() > 8 || shape.rank() != v.size())
    top.fail("input_shape", "must be a list of 1 to 8 integers >= 1 ([features], [C, L], [C, H, W], ...), got " + v.dump());
  std::uint64_t values = 1;
  for (auto d : shape.dims) values = detail::saturating_product(values, d);
  detail::check_buffer("input_shape: one sample", values, 1, sizeof(float));
  return shape;
}

template <class T>
nlohmann::json stack_json(const std::vector<std::unique_ptr<Layer<T>>>& layers) {
  auto list = nlohmann::json::array();
  for (const auto& l : layers) list.push_back(l->config());
  return list;
}

}  // namespace

template <class T>
Network<T> Network<T>::from_json(const nlohmann::json& architecture, std::uint64_t seed) {
  if (!architecture.is_object()) throw SpecError("architecture: must be an object, got " + architecture.dump());
  detail::Fields top(architecture, "", "key");
  Network net;
  if (top.has("input_shape")) {
    net.input_shape_ = read_input_shape(top);
    net.inputs_ = net.input_shape_.size();
    if (top.has("inputs") && top.required_count("inputs", 1) != net.inputs_)
      top.fail("inputs", top.at("inputs").dump() + ", but input_shape " + to_string(net.input_shape_) + " holds " +
                             std::to_string(net.inputs_) + " values");
  } else {
    net.inputs_ = top.required_count("inputs", 1);
    net.input_shape_ = {net.inputs_};
  }
  std::string source = "the input " + to_string(net.input_shape_);
  const Shape trunk_shape = top.has("trunk") ? build_stack<T>(top.at("trunk"), "trunk", net.input_shape_, source,
                                                              seed, net.trunk_)
                                             : net.input_shape_;
  const auto& heads = top.at("heads");
  if (!heads.is_array() || heads.empty()) top.fail("heads", "must be a non-empty list, got " + heads.dump());
  std::set<std::string> names;
  std::size_t next_column = 0;
  for (std::size_t i = 0; i < heads.size(); ++i) {
    detail::Fields h(heads[i], "heads." + std::to_string(i), "key");
    Head<T> head;
    head.name = std::to_string(i);
    if (h.has("name")) {
      const auto& name = h.at("name");
      if (!name.is_string() || name.get<std::string>().empty() || name.get<std::string>().find('.') != std::string::npos)
        h.fail("name", "must be a non-empty string without '.', got " + name.dump());
      head.name = name.get<std::string>();
    }
    if (!names.insert(head.name).second) h.fail("name", "'" + head.name + "' names two heads");
    const std::string path = "heads." + head.name;
    std::string head_source = source;
    const Shape shape =
        h.has("layers") ? build_stack<T>(h.at("layers"), path, trunk_shape, head_source, seed, head.layers) : trunk_shape;
    if (shape.rank() != 1)  // losses compare a row of outputs with a row of targets
      h.fail("layers", "must end in a flat output (add flatten, global_avg_pool or dense), got " + to_string(shape) +
                           " from " + head_source);
    const std::size_t size = shape.size();
    head.loss = parse_loss(h.text("loss", "softmax_cross_entropy", {"mse", "binary_cross_entropy", "softmax_cross_entropy"}));
    head.weight = h.number("weight", 1, 0, std::numeric_limits<double>::infinity());
    head.target_offset = next_column;
    head.target_size = size;
    if (h.has("targets")) {
      const auto& t = h.at("targets");
      const auto natural = [](const nlohmann::json& v) { return v.is_number_integer() && v.get<std::int64_t>() >= 0; };
      if (!t.is_array() || t.size() != 2 || !natural(t[0]) || !natural(t[1]) || t[1].get<std::size_t>() != size)
        h.fail("targets", "must be [first column, " + std::to_string(size) + "] (the head's output size), got " + t.dump());
      head.target_offset = t[0].get<std::size_t>();
    }
    next_column = head.target_offset + head.target_size;
    h.done();
    net.heads_.push_back(std::move(head));
  }
  top.done();
  return net;
}

template <class T>
nlohmann::json Network<T>::architecture() const {
  auto heads = nlohmann::json::array();
  for (const auto& h : heads_)
    heads.push_back({{"name", h.name},
                     {"layers", stack_json(h.layers)},
                     {"loss", to_string(h.loss)},
                     {"weight", h.weight},
                     {"targets", {h.target_offset, h.target_size}}});
  nlohmann::json a = {{"inputs", inputs_}, {"trunk", stack_json(trunk_)}, {"heads", heads}};
  if (input_shape_.rank() > 1) a["input_shape"] = input_shape_.dims;  // flat: as before shapes existed
  return a;
}

// Members only: network.cpp instantiates the class.
template Network<float> Network<float>::from_json(const nlohmann::json&, std::uint64_t);
template Network<double> Network<double>::from_json(const nlohmann::json&, std::uint64_t);
template nlohmann::json Network<float>::architecture() const;
template nlohmann::json Network<double>::architecture() const;

}  // namespace augment::trainer
