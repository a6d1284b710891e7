#include "augment/trainer/transfer.hpp"

#include <map>

#include "augment/core/error.hpp"

namespace augment::trainer {

bool under_prefix(const std::string& name, const std::string& prefix) {
  return name == prefix || (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0 &&
                            name[prefix.size()] == '.');
}

template <class T>
std::size_t freeze(Network<T>& network, const std::vector<std::string>& prefixes) {
  const auto parameters = network.parameters();
  std::size_t frozen = 0;
  for (const auto& prefix : prefixes) {
    std::size_t taken = 0;
    for (Parameter<T>* p : parameters)
      if (under_prefix(p->name, prefix)) {
        frozen += p->frozen ? 0 : 1;
        p->frozen = true;
        ++taken;
      }
    if (taken == 0) {
      std::string names;
      for (const Parameter<T>* p : parameters) names += (names.empty() ? "" : ", ") + p->name;
      throw SpecError("transfer.freeze: '" + prefix + "' matches no parameter (they are: " + names + ")");
    }
  }
  return frozen;
}

template <class T>
Network<T> replace_heads(Network<T>& source, const nlohmann::json& heads, std::uint64_t seed) {
  nlohmann::json architecture = source.architecture();
  architecture["heads"] = heads;
  Network<T> target = Network<T>::from_json(architecture, seed);
  std::map<std::string, Parameter<T>*> old_parameters;
  for (Parameter<T>* p : source.parameters()) old_parameters[p->name] = p;
  for (Parameter<T>* p : target.parameters())
    if (under_prefix(p->name, "trunk")) {
      const Parameter<T>* old = old_parameters.at(p->name);
      p->value = old->value;
      p->frozen = old->frozen;
    }
  std::map<std::string, Matrix<T>*> old_buffers;
  for (auto& [name, m] : source.buffers()) old_buffers[name] = m;
  for (auto& [name, m] : target.buffers())
    if (under_prefix(name, "trunk")) *m = *old_buffers.at(name);
  return target;
}

#define AUGMENT_INSTANTIATE(T)                                                           \
  template std::size_t freeze<T>(Network<T>&, const std::vector<std::string>&);        \
  template Network<T> replace_heads<T>(Network<T>&, const nlohmann::json&, std::uint64_t);
AUGMENT_INSTANTIATE(float)
AUGMENT_INSTANTIATE(double)
#undef AUGMENT_INSTANTIATE

}  // namespace augment::trainer
