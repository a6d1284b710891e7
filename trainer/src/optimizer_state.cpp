#include "augment/trainer/optimizer_state.hpp"

#include <cmath>
#include <utility>

#include "augment/core/error.hpp"

namespace augment::trainer {

namespace {

std::string shape(Eigen::Index rows, Eigen::Index cols) {
  return std::to_string(rows) + "x" + std::to_string(cols);
}

}  // namespace

template <class T>
OptimizerState<T>::OptimizerState(std::string type, std::vector<std::string> buffer_names)
    : type_(std::move(type)), buffer_names_(std::move(buffer_names)) {}

template <class T>
OptimizerSlot<T>& OptimizerState<T>::slot(std::size_t position, const Parameter<T>& parameter) {
  const Matrix<T>& value = parameter.value;
  if (parameter.grad.rows() != value.rows() || parameter.grad.cols() != value.cols()) {
    throw UsageError("optimizer (" + type_ + "): parameter '" + parameter.name + "' has a " +
                     shape(parameter.grad.rows(), parameter.grad.cols()) + " grad for a " +
                     shape(value.rows(), value.cols()) + " value");
  }
  if (position < by_position_.size() && by_position_[position] < slots_.size() &&
      slots_[by_position_[position]].name == parameter.name) {
    return slots_[by_position_[position]];  // the steady state
  }
  std::size_t index = 0;
  while (index < slots_.size() && slots_[index].name != parameter.name) ++index;
  if (index == slots_.size()) {
    OptimizerSlot<T> fresh;
    fresh.name = parameter.name;
    fresh.buffers.assign(buffer_names_.size(), Matrix<T>::Zero(value.rows(), value.cols()));
    slots_.push_back(std::move(fresh));
  }
  for (std::size_t b = 0; b < buffer_names_.size(); ++b) {
    const Matrix<T>& buffer = slots_[index].buffers[b];
    if (buffer.rows() != value.rows() || buffer.cols() != value.cols()) {
      throw UsageError("optimizer (" + type_ + "): the state's " + buffer_names_[b] + " of '" +
                       parameter.name + "' is " + shape(buffer.rows(), buffer.cols()) +
                       " but the parameter is " + shape(value.rows(), value.cols()));
    }
  }
  if (by_position_.size() <= position) by_position_.resize(position + 1, slots_.size());
  by_position_[position] = index;
  return slots_[index];
}

template <class T>
nlohmann::json OptimizerState<T>::to_json() const {
  nlohmann::json parameters = nlohmann::json::object();
  for (const OptimizerSlot<T>& s : slots_) {
    nlohmann::json entry = {{"step", s.step}};
    for (std::size_t b = 0; b < buffer_names_.size(); ++b) {
      entry[buffer_names_[b]] = matrix_to_json(s.buffers[b]);
    }
    parameters[s.name] = std::move(entry);
  }
  return {{"type", type_}, {"parameters", std::move(parameters)}};
}

template <class T>
void OptimizerState<T>::from_json(const nlohmann::json& state) {
  const std::string label = "optimizer state (" + type_ + ")";
  if (!state.is_object() || !state.contains("type") || state["type"] != type_) {
    throw DataError(label + ": expected an object with \"type\": \"" + type_ + "\", got " +
                    (state.is_object() && state.contains("type") ? state["type"].dump()
                                                                 : std::string("none")));
  }
  if (!state.contains("parameters") || !state["parameters"].is_object()) {
    throw DataError(label + ": \"parameters\" must be an object");
  }
  std::vector<OptimizerSlot<T>> slots;
  for (const auto& item : state["parameters"].items()) {
    const std::string& name = item.key();
    const nlohmann::json& entry = item.value();
    const std::string where = label + ": parameter '" + name + "'";
    if (!entry.is_object() || !entry.contains("step") || !entry["step"].is_number_integer() ||
        entry["step"].get<std::int64_t>() < 0) {
      throw DataError(where + ": needs an integer \"step\" >= 0");
    }
    OptimizerSlot<T> s;
    s.name = name;
    s.step = entry["step"].get<std::int64_t>();
    for (const std::string& buffer : buffer_names_) {
      if (!entry.contains(buffer)) throw DataError(where + ": missing buffer \"" + buffer + "\"");
      s.buffers.push_back(matrix_from_json<T>(entry[buffer], where + ": " + buffer));
      if (s.buffers.back().size() != s.buffers.front().size() ||
          s.buffers.back().rows() != s.buffers.front().rows()) {
        throw DataError(where + ": buffers of different shapes");
      }
    }
    slots.push_back(std::move(s));
  }
  slots_ = std::move(slots);
  by_position_.clear();
}

template <class T>
nlohmann::json matrix_to_json(const Matrix<T>& m) {
  std::vector<double> data(m.data(), m.data() + m.size());
  return {{"rows", m.rows()}, {"cols", m.cols()}, {"data", std::move(data)}};
}

template <class T>
Matrix<T> matrix_from_json(const nlohmann::json& j, const std::string& what) {
  if (!j.is_object() || !j.contains("rows") || !j.contains("cols") || !j.contains("data") ||
      !j["rows"].is_number_integer() || !j["cols"].is_number_integer() || !j["data"].is_array()) {
    throw DataError(what + ": expected {\"rows\", \"cols\", \"data\"}");
  }
  const auto rows = j["rows"].get<std::int64_t>(), cols = j["cols"].get<std::int64_t>();
  if (rows < 0 || cols < 0 || static_cast<std::int64_t>(j["data"].size()) != rows * cols) {
    throw DataError(what + ": " + std::to_string(j["data"].size()) + " values for a " +
                    shape(rows, cols) + " matrix");
  }
  Matrix<T> m(rows, cols);
  Eigen::Index i = 0;
  for (const auto& v : j["data"]) {
    if (!v.is_number() || !std::isfinite(v.get<double>())) {
      throw DataError(what + ": values must be finite numbers, got " + v.dump());
    }
    m.data()[i++] = static_cast<T>(v.get<double>());
  }
  return m;
}

template class OptimizerState<float>;
template class OptimizerState<double>;
template nlohmann::json matrix_to_json(const Matrix<float>&);
template nlohmann::json matrix_to_json(const Matrix<double>&);
template Matrix<float> matrix_from_json<float>(const nlohmann::json&, const std::string&);
template Matrix<double> matrix_from_json<double>(const nlohmann::json&, const std::string&);

}  // namespace augment::trainer
